"""A question that needs a reason (the clerk's: reject, block, unblock, reject a scan);
in forms, so that every room's screens may ask it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...i18n import _
from .dialogs import Dialog

FORM_CSS = """
.dialog Input, .dialog Select { margin-bottom: 0; }
.dialog TextArea { height: 5; }
.dialog .error { color: $error; height: auto; }
"""


class ReasonDialog(Dialog):
    """A yes/no question that needs a reason; dismisses with the reason, or None."""

    DEFAULT_CSS = FORM_CSS

    def __init__(self, title: str, message: str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reason-dialog"):
            yield Label(Text(self.title_text), classes="title")
            yield Static(Text(self.message))
            yield Label(_("Powód (zapisywany w dzienniku audytu)"))
            yield Input(id="reason", compact=True)
            yield Static(id="reason-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(self.confirm, id="confirm", variant="error")

    def _confirm(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#reason-error", Static).update(_("Podaj powód."))
            self.query_one("#reason", Input).focus()
            return
        self.finish(reason)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self._confirm()
        else:
            self.leave()
