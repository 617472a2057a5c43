"""Activating a registered account with the code from the registration e-mail: the code is
typed (or pasted) here, in the console, and the account is active at once."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.errors import IbokError, ValidationFailed
from ...host import host_of
from ...i18n import _
from ...i18n.problems import error_text
from ..forms.dialogs import Dialog
from ..forms.workers import guarded

CODE_MAX = 200  # characters; the server's own bound on a token is checked at its door


class ActivateDialog(Dialog):
    """Dismisses with True once the account is active, else None."""

    DEFAULT_CSS = """
    ActivateDialog #activate-dialog { width: 76; max-width: 98%; }
    ActivateDialog #activate-message { height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="activate-dialog"):
            yield Label(_("Aktywacja konta kodem"), classes="title")
            yield Static(
                _(
                    "Wpisz kod aktywacyjny z e-maila, który przyszedł po rejestracji. Kod jest"
                    " ważny 72 godziny; po nim konto może aktywować Biuro Obsługi Klienta."
                )
            )
            yield Label(_("Kod aktywacyjny"))
            yield Input(id="activate-code", max_length=CODE_MAX, compact=True)
            yield Static(id="activate-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Aktywuj"), id="activate", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "activate":
            self.activate()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.activate()

    def _message(self, text: str) -> None:
        self.query_one("#activate-message", Static).update(Text(text))

    @guarded("activate")
    async def activate(self) -> None:
        code = "".join(self.query_one("#activate-code", Input).value.split())
        if not code:
            self._message(_("Wpisz kod z e-maila."))
            return
        try:
            await host_of(self).backend.confirm_registration(code)
        except ValidationFailed:
            self._message(
                _(
                    "Ten kod jest nieprawidłowy, wygasł albo został już użyty. Sprawdź go w"
                    " e-mailu albo poproś Biuro Obsługi Klienta o aktywację konta."
                )
            )
            return
        except IbokError as error:  # e.g. the account is no longer waiting for activation
            self._message(error_text(error))
            return
        self.app.notify(_("Konto aktywne. Zaloguj się kodem nabywcy i hasłem."), markup=False)
        self.dismiss(True)
