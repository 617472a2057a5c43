"""Registration: the customer's data, the password checked as typed, the captcha (a proof
of work the console does itself), and the current terms shown and accepted. Errors are
shown by their fields; nothing typed is lost."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...domain.errors import Captcha, IbokError, ValidationFailed
from ...domain.models import Registration, Terms
from ...domain.passwords import PasswordPolicy
from ...host import host_of
from ...i18n import N_, _
from ...i18n.problems import error_text, field_text
from ...widgets.captcha import CaptchaBox
from ...widgets.mail_note import mail_note
from ...widgets.password_rules import PasswordRules
from ..forms.dialogs import Dialog
from ..forms.workers import guarded

FIELDS = (
    ("customer_number", N_("Kod nabywcy")),
    ("last_invoice_number", N_("Numer ostatniej faktury")),
    ("full_name", N_("Imię i nazwisko lub nazwa firmy")),
    ("email", N_("E-mail")),
    ("password", N_("Hasło")),
    ("password_repeat", N_("Powtórz hasło")),
)


class RegisterScreen(Dialog):
    AUTO_FOCUS = "#reg-customer_number"  # typing starts at the first field
    DEFAULT_CSS = """
    RegisterScreen #register { width: 90; max-height: 98%; }
    RegisterScreen .field-error { color: $error; height: auto; }
    RegisterScreen #register #terms-text { height: 8; border: round $secondary; }
    RegisterScreen.-short #register #terms-text { height: 6; }
    RegisterScreen #register #terms-text:focus { border: round $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.policy = PasswordPolicy()
        self.terms: Terms | None = None
        self.captcha: Captcha | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="register"):
            yield Label(_("Rejestracja w iBOK"), classes="title")
            for name, text in FIELDS:
                yield Label(_(text))
                yield Input(id=f"reg-{name}", password=name.startswith("password"), compact=True)
                if name == "password":
                    yield PasswordRules(id="reg-rules")
                yield Static(classes="field-error", id=f"err-{name}")
            yield Label(_("Regulamin"))
            with VerticalScroll(id="terms-text"):  # the dialog's frame scrolls the rest
                yield Static(id="terms-body")
            yield Checkbox(_("Akceptuję regulamin"), id="reg-terms", compact=True)
            yield Static(classes="field-error", id="err-terms_accepted")
            yield CaptchaBox("reg-captcha")
            yield Static(classes="field-error", id="err-captcha_answer")
            yield Static(id="reg-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Zarejestruj"), id="submit", variant="primary")

    def on_mount(self) -> None:
        self.load()

    @guarded("register-load")
    async def load(self) -> None:
        backend = host_of(self).backend
        try:
            self.policy = await backend.password_policy()
            self.terms = await backend.terms()
            await self._new_captcha()
        except IbokError as error:
            self.query_one("#reg-message", Static).update(Text(error_text(error)))
            return
        self.query_one("#terms-body", Static).update(
            Text(f"{self.terms.version}\n\n{self.terms.text}")
        )
        password = self.query_one("#reg-password", Input).value
        self.query_one(PasswordRules).check(password, self.policy)

    async def _new_captcha(self) -> None:
        """Fetch a captcha and begin its proof of work while the form is filled in."""
        self.captcha = await host_of(self).backend.new_captcha()
        self.query_one(CaptchaBox).prepare(self.captcha)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "reg-password":
            self.query_one(PasswordRules).check(event.value, self.policy)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.submit()
        else:
            self.leave()

    def value(self, name: str) -> str:
        return self.query_one(f"#reg-{name}", Input).value

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """Each field's errors under it; the first of them focused and scrolled into view."""
        first: Static | None = None
        for error_box in self.query(".field-error").results(Static):  # in the form's order
            field = (error_box.id or "").removeprefix("err-")
            error_box.update(Text("\n".join(errors.get(field, []))))
            if first is None and errors.get(field):
                first = error_box
        if first is not None:
            name = (first.id or "").removeprefix("err-")
            field_id = {"terms_accepted": "reg-terms"}.get(name, f"reg-{name}")
            found = self.query(f"#{field_id}")
            self.reveal_error(found.first() if found else None, first)

    @guarded("register")
    async def submit(self) -> None:
        errors: dict[str, list[str]] = {}
        for name, _text in FIELDS:
            if not self.value(name).strip():
                errors.setdefault(name, []).append(_("Pole jest wymagane."))
        if self.value("password") != self.value("password_repeat"):
            errors.setdefault("password_repeat", []).append(_("Hasła nie są takie same."))
        if not self.query_one(PasswordRules).check(self.value("password"), self.policy):
            errors.setdefault("password", []).append(_("Hasło nie spełnia zasad."))
        accepted = self.query_one("#reg-terms", Checkbox).value
        if not accepted:
            errors.setdefault("terms_accepted", []).append(_("Zaakceptuj regulamin."))
        self.show_errors(errors)
        if errors or self.terms is None or self.captcha is None:
            return
        box = self.query_one(CaptchaBox)
        if box.busy:
            self.query_one("#reg-message", Static).update(Text(_("Sprawdzanie…")))
        proof = await box.proof()
        self.query_one("#reg-message", Static).update("")
        form = Registration(
            customer_number=self.value("customer_number").strip(),
            last_invoice_number=self.value("last_invoice_number").strip(),
            full_name=self.value("full_name").strip(),
            email=self.value("email").strip(),
            password=self.value("password"),
            password_repeat=self.value("password_repeat"),
            terms_version=self.terms.version,
            terms_accepted=accepted,
            captcha_id=proof["captcha_id"] or "",
            captcha_answer=proof["captcha_answer"] or "",
        )
        backend = host_of(self).backend
        try:
            await backend.register(form)
        except ValidationFailed as error:
            found: dict[str, list[str]] = {}
            for item in error.errors:
                found.setdefault(item.field, []).append(field_text(item))
            self.show_errors(found)
            await self._new_captcha()
            return
        except IbokError as error:
            self.query_one("#reg-message", Static).update(Text(error_text(error)))
            await self._new_captcha()
            return
        self.app.notify(
            _(
                "Konto zarejestrowane. Wpisz kod aktywacyjny z e-maila (F5 na ekranie"
                " logowania) albo poczekaj na aktywację przez BOK."
            )
            + mail_note(backend),
            timeout=15,
            markup=False,
        )
        self.dismiss(True)
