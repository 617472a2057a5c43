"""Signing in: customer number and password, the captcha when asked, "remember me" when
a keyring exists, the clerk's toggle, and the ways to forgotten-password and registration."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from ..domain.errors import (
    AccountLocked,
    Captcha,
    CaptchaRequired,
    IbokError,
    LoginFailed,
)
from ..i18n import _, moment
from .base import translate_bindings

DEMO_ACCOUNTS = (
    ("100001", "Woda!Kowalski1", "Jan Kowalski: mieszkanie, faktura do zapłaty"),
    ("100002", "Woda!Nowak2026", "Anna Nowak: dom z podlicznikiem, nadpłata"),
    ("100003", "Woda!Wisniewski3", "Piotr Wiśniewski: wodomierz zdalny, alarm wycieku"),
    ("200001", "Woda!ZlotyKlos4", "Piekarnia Złoty Kłos: firma, 3 posesje, zaległości"),
    ("100004", "Woda!Wojcik2026", "Maria Wójcik: korekta faktury, zgłoszenia"),
    ("100007", "Nadane!Haslo77", "Krzysztof Zieliński: hasło do zmiany"),
    ("bok.anna", "Operator!2026a", "pracownik BOK"),
)


class LoginScreen(Screen[None]):
    TAB_ID = "login"
    AUTO_FOCUS = "#number"
    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen VerticalScroll { width: 100%; height: 100%; align: center top; }
    #login-box { width: 64; height: auto; border: round $accent; padding: 0 2; margin-top: 1; }
    #login-box Input { margin-bottom: 0; }
    #login-title { text-style: bold; color: $accent; margin-bottom: 1; }
    #captcha-box { height: auto; display: none; }
    #captcha-art { color: $warning; }
    #login-buttons { height: auto; margin-top: 1; }
    #login-buttons Button { margin-right: 1; }
    #login-message { color: $error; height: auto; }
    #keyring-note { color: $text-muted; height: auto; }
    #demo-box { width: 64; height: auto; border: round $secondary; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "forgot", "Nie pamiętam hasła", id="login.forgot"),
        Binding("f3", "register", "Rejestracja", id="login.register"),
    ]

    def __init__(self) -> None:
        super().__init__(id="login-screen")
        translate_bindings(self)
        self.captcha: Captcha | None = None

    @property
    def ibok(self) -> Any:
        return self.app

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            with Center(), Vertical(id="login-box"):
                yield Label(_("iBOK: logowanie"), id="login-title")
                yield Label(_("Kod nabywcy (z faktury)"), id="number-label")
                yield Input(id="number", placeholder="100001", compact=True)
                yield Label(_("Hasło"))
                yield Input(id="password", password=True, compact=True)
                with Vertical(id="captcha-box"):
                    yield Static(id="captcha-art")
                    yield Label(_("Przepisz cyfry z obrazka"))
                    yield Input(id="captcha", restrict=r"[0-9]*", max_length=8, compact=True)
                yield Checkbox(_("Zapamiętaj mnie"), id="remember", compact=True)
                yield Static(id="keyring-note")
                yield Checkbox(_("pracownik BOK"), id="operator", compact=True)
                yield Static(id="login-message")
                with Horizontal(id="login-buttons"):
                    yield Button(_("Zaloguj"), id="sign-in", variant="primary")
                    yield Button(_("Nie pamiętam hasła"), id="forgot")
                    yield Button(_("Rejestracja"), id="register")
            if getattr(self.app, "demo", False):
                with Center(), Vertical(id="demo-box"):
                    yield Label(_("Konta demonstracyjne (kod nabywcy / hasło)"))
                    lines = [f"{n:<9} {p:<17} {_(who)}" for n, p, who in DEMO_ACCOUNTS]
                    yield Static(Text("\n".join(lines)), id="demo-accounts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#remember", Checkbox).display = False
        prefill = getattr(self.app, "prefill_customer", "")
        if prefill:
            self.query_one("#number", Input).value = prefill
        self.check_keyring()

    @work(thread=True, exclusive=True, group="keyring", exit_on_error=False)
    def check_keyring(self) -> None:
        available = self.ibok.keyring_available()
        self.app.call_from_thread(self._show_keyring, available)

    def _show_keyring(self, available: bool) -> None:
        self.query_one("#remember", Checkbox).display = available
        note = self.query_one("#keyring-note", Static)
        if not available and self.ibok.remember_allowed():
            note.update(_("Brak systemowego pęku kluczy: hasła nie można zapamiętać."))
        elif not self.ibok.remember_allowed():
            note.display = False
        else:
            note.display = False

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "operator":
            operator = event.value
            self.query_one("#number-label", Label).update(
                _("Login pracownika") if operator else _("Kod nabywcy (z faktury)")
            )
            remember = self.query_one("#remember", Checkbox)
            if operator:
                remember.value = False
            remember.disabled = operator

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "number":
            self.query_one("#password", Input).focus()
        else:
            self.sign_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sign-in":
            self.sign_in()
        elif event.button.id == "forgot":
            self.action_forgot()
        elif event.button.id == "register":
            self.action_register()

    def action_forgot(self) -> None:
        from .password_reset import PasswordResetDialog

        self.app.push_screen(PasswordResetDialog(self.query_one("#number", Input).value))

    def action_register(self) -> None:
        from .register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    def show_message(self, text: str) -> None:
        self.query_one("#login-message", Static).update(Text(text))

    def show_captcha(self, captcha: Captcha | None) -> None:
        self.captcha = captcha
        box = self.query_one("#captcha-box")
        box.display = captcha is not None
        field = self.query_one("#captcha", Input)
        field.value = ""
        if captcha is not None:
            self.query_one("#captcha-art", Static).update(Text(captcha.art))

    def sign_in(self) -> None:
        number = self.query_one("#number", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not number or not password:
            self.show_message(_("Podaj kod nabywcy i hasło."))
            return
        self._sign_in(number, password)

    @work(exclusive=True, group="login", exit_on_error=False)
    async def _sign_in(self, number: str, password: str) -> None:
        operator = self.query_one("#operator", Checkbox).value
        remember = self.query_one("#remember", Checkbox)
        wants_remember = remember.display and remember.value and not operator
        captcha_id = self.captcha.id if self.captcha else None
        answer = self.query_one("#captcha", Input).value if self.captcha else None
        button = self.query_one("#sign-in", Button)
        button.disabled = True
        self.show_message(_("Logowanie…"))
        backend = self.ibok.backend
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
        except AccountLocked as error:
            self.show_captcha(None)
            until = moment(error.locked_until) if error.locked_until else ""
            self.show_message(
                _("Zbyt wiele nieudanych prób. Konto zablokowane do {until}.", until=until)
            )
        except CaptchaRequired as error:
            self.show_captcha(error.captcha)
            self.show_message(_("Przepisz kod z obrazka i podaj hasło ponownie."))
            self.query_one("#captcha", Input).focus()
        except LoginFailed:
            self.show_captcha(None)
            self.show_message(_("Nieprawidłowy kod nabywcy lub hasło."))
        except IbokError as error:
            self.show_message(error.message)
        else:
            self.query_one("#password", Input).value = ""
            self.show_captcha(None)
            self.show_message("")
            await self.ibok.signed_in(session, password, remember=wants_remember)
        finally:
            button.disabled = False
