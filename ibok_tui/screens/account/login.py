"""Signing in: customer number and password, the captcha when asked, "remember me" when
a keyring exists, the clerk's toggle, and the ways to forgotten-password, registration and
the activation code from the registration e-mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from ...host import Host, host_of
from ...i18n import N_, _
from ...widgets.bindings import translate_bindings
from ...widgets.key_bar import KeyBar
from ...widgets.quick_controls import QuickButton, QuickToggle
from ..forms.workers import ShowsWorkerFailures, guarded

if TYPE_CHECKING:
    from ...domain.errors import Captcha

# The captcha box and the errors are imported when a sign-in needs them (start-up time).

DEMO_ACCOUNTS = (
    ("100001", "Woda!Kowalski1", N_("Jan Kowalski: mieszkanie, faktura do zapłaty")),
    ("100002", "Woda!Nowak2026", N_("Anna Nowak: dom z podlicznikiem, nadpłata")),
    ("100003", "Woda!Wisniewski3", N_("Piotr Wiśniewski: wodomierz zdalny, wyciek")),
    ("200001", "Woda!ZlotyKlos4", N_("Piekarnia Złoty Kłos: 3 posesje, zaległości")),
    ("100004", "Woda!Wojcik2026", N_("Maria Wójcik: korekta faktury, zgłoszenia")),
    ("100007", "Nadane!Haslo77", N_("Krzysztof Zieliński: hasło do zmiany")),
    ("bok.anna", "Operator!2026a", N_("pracownik BOK")),
)


class LoginScreen(ShowsWorkerFailures, Screen[None]):
    TAB_ID = "login"
    AUTO_FOCUS = "#number"
    DEFAULT_CSS = """
    LoginScreen { align: center top; }
    #login-box, #demo-accounts { width: 84; max-width: 100%; height: auto; }
    #login-box {
        border: round $accent; border-title-color: $accent; border-title-style: bold;
        padding: 1 2 0 2; margin-top: 1;
    }
    #login-box Input { margin-bottom: 0; }
    #sign-in { margin: 0 0 1 0; }
    #login-message { color: $error; height: auto; }
    #keyring-note { color: $text-muted; height: auto; }
    #demo-accounts { border: round $secondary; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "forgot", "Nie pamiętam hasła", id="login.forgot"),
        Binding("f3", "register", "Rejestracja", id="login.register"),
        Binding("f4", "terms", "Regulamin", id="login.terms"),
        Binding("f5", "activate", "Aktywuj kodem", id="login.activate"),
        # Enter on the "pracownik BOK" tick box signs in (space ticks it), as in a dialog
        Binding("enter", "sign_in_from_box", "Zaloguj", id="login.enter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="login-screen")
        translate_bindings(self)

    @property
    def host(self) -> Host:
        return host_of(self)

    def compose(self) -> ComposeResult:
        # Few widgets, no wrappers (the screen itself scrolls and centres the boxes), a
        # one-line button: the first frame costs per widget, and this is the first frame
        # most people see.
        box = Vertical(id="login-box")
        box.border_title = _("iBOK: logowanie")
        with box:
            yield Label(_("Kod nabywcy (z faktury)"), id="number-label")
            yield Input(id="number", placeholder="100001", compact=True)
            yield Label(_("Hasło"))
            yield Input(id="password", password=True, compact=True)
            yield QuickToggle(_("pracownik BOK"), id="operator")
            yield Static(id="login-message")
            # F2 (forgotten password), F3 (registration) and F5 (the activation code) are on
            # the key bar, clickable
            yield QuickButton(_("Zaloguj"), id="sign-in")
        if self.host.demo:
            lines = [f"{n:<9} {p:<17} {_(who)}" for n, p, who in DEMO_ACCOUNTS]
            accounts = Text(_("Konta demonstracyjne (kod nabywcy / hasło)") + "\n")
            accounts.append("\n".join(lines))
            yield Static(accounts, id="demo-accounts")
        yield KeyBar()

    def on_mount(self) -> None:
        prefill = self.host.prefill_customer
        if prefill:
            self.query_one("#number", Input).value = prefill
        if self.host.first_frame_shown:  # else the app asks after it
            self.check_keyring()

    @guarded("keyring", thread=True)
    def check_keyring(self) -> None:
        available = self.host.keyring_available()
        self.app.call_from_thread(self._show_keyring, available)

    def _show_keyring(self, available: bool) -> None:
        """The "remember me" box where a keyring exists, else a note that it cannot be; both
        come after the first frame (asking the keyring takes a while), and only once."""
        if self.query("#remember, #keyring-note") or not self.host.remember_allowed():
            return
        if available:
            remember = QuickToggle(_("Zapamiętaj mnie"), id="remember")
            remember.disabled = self.query_one("#operator", QuickToggle).value
            self.query_one("#login-box").mount(remember, before="#operator")
        else:
            note = Static(_("Brak systemowego pęku kluczy: hasła nie można zapamiętać."))
            note.id = "keyring-note"
            self.query_one("#login-box").mount(note, before="#operator")

    def _remember(self) -> QuickToggle | None:
        found = self.query("#remember")
        return found.first(QuickToggle) if found else None

    def on_quick_toggle_changed(self, event: QuickToggle.Changed) -> None:
        if event.toggle.id == "operator":
            operator = event.value
            self.query_one("#number-label", Label).update(
                _("Login pracownika") if operator else _("Kod nabywcy (z faktury)")
            )
            remember = self._remember()
            if remember is not None:
                if operator:
                    remember.value = False
                remember.disabled = operator

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign_in_from_box":
            return isinstance(self.focused, QuickToggle)
        return True

    def action_sign_in_from_box(self) -> None:
        self.sign_in()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "number":
            self.query_one("#password", Input).focus()
        else:
            self.sign_in()

    def on_quick_button_pressed(self, event: QuickButton.Pressed) -> None:
        event.stop()
        self.sign_in()

    def action_forgot(self) -> None:
        from .password_reset import PasswordResetDialog

        self.app.push_screen(PasswordResetDialog(self.query_one("#number", Input).value))

    def action_activate(self) -> None:
        from .activate import ActivateDialog

        self.app.push_screen(ActivateDialog())

    def action_register(self) -> None:
        from .register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    def action_terms(self) -> None:
        """The terms in force, with their version, and any version published to come."""
        self._show_terms()

    @guarded("terms")
    async def _show_terms(self) -> None:
        from ...i18n import day
        from ...widgets.literal import literal as literal_text
        from ...widgets.terms_text import terms_text
        from ..forms.dialogs import TextDialog

        backend = self.host.backend
        terms = await backend.terms()
        text = terms_text(terms)
        for coming in await backend.terms_versions():
            if coming.effective_from > terms.effective_from:
                text.append("\n\n")
                note = _(
                    "Od {date} będzie obowiązywać nowa wersja {version}. Co się zmienia:",
                    date=day(coming.effective_from),
                    version=coming.version,
                )
                text.append(note, style="bold")
                text.append("\n")
                text.append(literal_text(coming.changes or "-"))
        self.app.push_screen(TextDialog(_("Regulamin iBOK"), text))

    def show_message(self, text: str) -> None:
        self.query_one("#login-message", Static).update(Text(text))

    async def show_captcha(self, captcha: Captcha | None) -> None:
        """Start the proof of work under the password (the box is made the first time one
        is needed: most sign-ins never see it), or hide it."""
        from ...widgets.captcha import CaptchaBox

        boxes = self.query(CaptchaBox)
        if not boxes and captcha is None:
            return
        if boxes:
            box = boxes.first()
        else:
            box = CaptchaBox("captcha")
            await self.query_one("#login-box").mount(box, after="#password")
        box.prepare(captcha)

    def sign_in(self) -> None:
        number = self.query_one("#number", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not number or not password:
            self.show_message(_("Podaj kod nabywcy i hasło."))
            return
        self._sign_in(number, password)

    @guarded("login")
    async def _sign_in(self, number: str, password: str) -> None:
        button = self.query_one("#sign-in", QuickButton)
        try:
            await self._try_sign_in(number, password, button)
        except Exception as error:  # whatever failed, "Logowanie…" ends with what happened
            from ...i18n.problems import error_text

            self.show_message(error_text(error))
            raise  # and the app shows it (the error dialog)
        finally:
            button.disabled = False

    async def _try_sign_in(self, number: str, password: str, button: QuickButton) -> None:
        from ...domain.errors import CaptchaRequired, IbokError, LoginFailed
        from ...widgets.captcha import CaptchaBox, captcha_to_show, sign_in_failure

        operator = self.query_one("#operator", QuickToggle).value
        remember = self._remember()
        wants_remember = remember is not None and remember.value and not operator
        button.disabled = True
        backend = self.host.backend
        try:
            # a captcha asked for before the password was checked is solved and the same
            # sign-in sent again, at most twice (nothing typed is lost or retyped)
            for _attempt in range(3):
                boxes = self.query(CaptchaBox)
                if boxes and boxes.first().busy:
                    self.show_message(_("Sprawdzanie…"))
                proof = await boxes.first().proof() if boxes else {}
                captcha_id, answer = proof.get("captcha_id"), proof.get("captcha_answer")
                self.show_message(_("Logowanie…"))
                try:
                    if operator:
                        session = await backend.operator_login(
                            number, password, captcha_id=captcha_id, captcha_answer=answer
                        )
                    else:
                        session = await backend.login(
                            number,
                            password,
                            captcha_id=captcha_id,
                            captcha_answer=answer,
                            remember=wants_remember,
                        )
                    break
                except CaptchaRequired as error:
                    captcha = await captcha_to_show(error, backend)
                    await self.show_captcha(captcha)
                    if captcha is None or _attempt == 2:
                        raise
        except LoginFailed as error:  # a lock says until when; the next captcha is begun
            await self.show_captcha(await captcha_to_show(error, backend))
            self.show_message(sign_in_failure(error))
        except IbokError as error:
            self.show_message(sign_in_failure(error))
        else:
            self.query_one("#password", Input).value = ""
            await self.show_captcha(None)
            self.show_message("")
            await self.host.signed_in(session, password, remember=wants_remember)
