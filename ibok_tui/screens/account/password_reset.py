"""Forgot password: ask for a code by e-mail, then set a new password with that code."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.errors import IbokError, ValidationFailed
from ...host import host_of
from ...i18n import _
from ...i18n.problems import error_text, fields_text
from ...widgets.mail_note import mail_note
from ...widgets.password_rules import PasswordRules
from ..forms.workers import guarded
from .password_dialog import PasswordDialog


class PasswordResetDialog(PasswordDialog):
    PASSWORD_INPUT = "reset-password"
    AUTO_FOCUS = "#reset-number"
    # the second step (code, password twice, the rules, a demo's mail note) fits 80×24
    DEFAULT_CSS = "PasswordResetDialog #reset-dialog { max-height: 98%; }"

    def __init__(self, customer_number: str = "") -> None:
        super().__init__()
        self.customer_number = customer_number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reset-dialog"):
            yield Label(_("Nie pamiętam hasła"), classes="title")
            with Vertical(id="reset-step1"):
                yield Static(_("Podaj kod nabywcy i adres e-mail konta: wyślemy jednorazowy kod."))
                yield Label(_("Kod nabywcy"))
                yield Input(self.customer_number, id="reset-number", compact=True)
                yield Label(_("E-mail"))
                yield Input(id="reset-email", compact=True)
            with Vertical(id="reset-step2"):
                yield Static(_("Wpisz kod z e-maila i nowe hasło."))
                yield Label(_("Kod z e-maila"))
                yield Input(id="reset-code", compact=True)
                yield Label(_("Nowe hasło"))
                yield Input(id="reset-password", password=True, compact=True)
                yield PasswordRules(id="reset-rules")
                yield Label(_("Powtórz hasło"))
                yield Input(id="reset-password-repeat", password=True, compact=True)
            yield Static(id="reset-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Wyślij kod"), id="send", variant="primary")
                yield Button(_("Ustaw hasło"), id="set", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#reset-step2").display = False
        self.query_one("#set").display = False
        self.load_policy()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.leave()
        elif event.button.id == "send":
            self.send()
        elif event.button.id == "set":
            self.set_password()

    def _message(self, text: str) -> None:
        self.query_one("#reset-message", Static).update(Text(text))

    @guarded("reset")
    async def send(self) -> None:
        number = self.query_one("#reset-number", Input).value.strip()
        email = self.query_one("#reset-email", Input).value.strip()
        if not number or not email:
            self._message(_("Podaj kod nabywcy i e-mail."))
            return
        try:
            await host_of(self).backend.request_password_reset(number, email)
        except IbokError as error:
            self._message(error_text(error))
            return
        self.query_one("#reset-step1").display = False
        self.query_one("#send").display = False
        self.query_one("#reset-step2").display = True
        self.query_one("#set").display = True
        self._message(
            _("Jeśli dane się zgadzają, wysłaliśmy e-mail z kodem. Kod jest ważny godzinę.")
            + mail_note(host_of(self).backend)
        )
        self.query_one("#reset-code", Input).focus()

    @guarded("reset")
    async def set_password(self) -> None:
        code = self.query_one("#reset-code", Input).value.strip()
        password = self.query_one("#reset-password", Input).value
        if not self.query_one(PasswordRules).check(password, self.policy):
            self._message(_("Hasło nie spełnia zasad."))
            return
        if password != self.query_one("#reset-password-repeat", Input).value:
            self._message(_("Hasła nie są takie same."))
            self.query_one("#reset-password-repeat", Input).focus()
            return
        try:
            await host_of(self).backend.reset_password(code, password)
        except ValidationFailed as error:
            self._message(fields_text(error.errors))
            return
        except IbokError as error:
            self._message(error_text(error))
            return
        self.app.notify(_("Hasło zmienione. Zaloguj się nowym hasłem."))
        self.dismiss(True)
