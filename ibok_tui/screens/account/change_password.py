"""Change the password: forced after a generated one, or from Ustawienia."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.errors import IbokError, ValidationFailed
from ...host import host_of
from ...i18n import _
from ...i18n.problems import error_text, fields_text
from ...widgets.password_rules import PasswordRules
from ..forms.workers import guarded
from .password_dialog import PasswordDialog


class ChangePasswordDialog(PasswordDialog):
    """Dismisses with the new password once changed, None when cancelled."""

    PASSWORD_INPUT = "new-password"

    def __init__(self, *, forced: bool = False) -> None:
        super().__init__()
        self.forced = forced

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="password-dialog"):
            yield Label(_("Zmiana hasła"), classes="title")
            if self.forced:
                yield Static(
                    _("Hasło zostało nadane przez wodociągi: ustaw własne, aby kontynuować.")
                )
            yield Label(_("Obecne hasło"))
            yield Input(id="old-password", password=True, compact=True)
            yield Label(_("Nowe hasło"))
            yield Input(id="new-password", password=True, compact=True)
            yield PasswordRules(id="new-rules")
            yield Label(_("Powtórz nowe hasło"))
            yield Input(id="repeat-password", password=True, compact=True)
            yield Static(id="password-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Wyloguj") if self.forced else _("Anuluj"), id="cancel")
                yield Button(_("Zmień hasło"), id="change", variant="primary")

    def on_mount(self) -> None:
        self.load_policy()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "change":
            self.change()
        else:
            self.leave()

    def _message(self, text: str) -> None:
        self.query_one("#password-message", Static).update(Text(text))

    @guarded("password")
    async def change(self) -> None:
        old = self.query_one("#old-password", Input).value
        new = self.query_one("#new-password", Input).value
        if new != self.query_one("#repeat-password", Input).value:
            self._message(_("Hasła nie są takie same."))
            return
        if not self.query_one(PasswordRules).check(new, self.policy):
            self._message(_("Hasło nie spełnia zasad."))
            return
        try:
            await host_of(self).backend.change_password(old, new)
        except ValidationFailed as error:
            self._message(fields_text(error.errors))
            return
        except IbokError as error:
            self._message(error_text(error))
            return
        except Exception as error:  # said here, and shown by the app (the error dialog)
            self._message(error_text(error))
            raise
        self.app.notify(_("Hasło zostało zmienione."))
        host_of(self).keep_session(new)  # "remember me" keeps the new password, not the old
        self.dismiss(new)
