"""The session expired: ask for the password again over the screen the user was on, so
nothing typed there is lost, then retry what failed."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ..domain.errors import IbokError
from ..i18n import _
from .dialogs import Dialog


class ReauthDialog(Dialog):
    """Dismisses with True once signed in again, with False when the user gives up."""

    def __init__(self, customer_number: str, *, operator: bool = False) -> None:
        super().__init__()
        self.customer_number = customer_number
        self.operator = operator

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reauth"):
            yield Label(_("Sesja wygasła"), classes="title")
            yield Static(
                Text(
                    _(
                        "Podaj hasło, aby kontynuować jako {number}. "
                        "To, co wpisano na ekranie, zostanie zachowane.",
                        number=self.customer_number,
                    )
                )
            )
            yield Input(password=True, id="reauth-password", placeholder=_("Hasło"), compact=True)
            yield Static(id="reauth-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Zaloguj"), id="sign-in", variant="primary")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.sign_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sign-in":
            self.sign_in()
        else:
            self.dismiss(False)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(False)

    @work(exclusive=True, group="reauth", exit_on_error=False)
    async def sign_in(self) -> None:
        password = self.query_one("#reauth-password", Input).value
        message = self.query_one("#reauth-message", Static)
        backend = self.app.backend  # type: ignore[attr-defined]
        try:
            if self.operator:
                await backend.operator_login(self.customer_number, password)
            else:
                await backend.login(self.customer_number, password)
        except IbokError as error:
            message.update(Text(error.message, style="red"))
            self.query_one("#reauth-password", Input).value = ""
            return
        self.dismiss(True)
