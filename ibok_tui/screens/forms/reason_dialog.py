"""A question that needs a reason (the clerk's: reject, block, unblock, reject a scan);
in forms, so that every room's screens may ask it. The reason has the server's bound on
its length: a counter beside the field shows it, and a longer reason (or one with a
character the server refuses) is refused here, in the server's words, before it is sent;
a refusal from the server keeps the dialog and the reason too (`Dialog.send_with`)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.models import ACCOUNT_REASON_MAX
from ...domain.text import text_error
from ...i18n import _
from ...i18n.problems import field_text
from .dialogs import Dialog

TYPED_MAX = 10  # times the limit: what the field takes at all (a paste of a book stops there)

FORM_CSS = """
.dialog Input, .dialog Select { margin-bottom: 0; }
.dialog TextArea { height: 5; }
.dialog .error { color: $error; height: auto; }
#reason-count { height: 1; color: $text-muted; text-align: right; }
#reason-count.-over { color: $error; text-style: bold; }
"""


class ReasonDialog(Dialog):
    """A yes/no question that needs a reason of at most `limit` characters; dismisses with
    the reason (or what `send_with`'s call answered), or None."""

    DEFAULT_CSS = FORM_CSS

    def __init__(
        self, title: str, message: str, confirm: str, *, limit: int = ACCOUNT_REASON_MAX
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm = confirm
        self.limit = limit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reason-dialog"):
            yield Label(Text(self.title_text), classes="title")
            yield Static(Text(self.message))
            yield Label(_("Powód (zapisywany w dzienniku audytu)"))
            yield Input(id="reason", compact=True, max_length=self.limit * TYPED_MAX)
            yield Static(self.count_text(""), id="reason-count")
            yield Static(id="reason-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(self.confirm, id="confirm", variant="error")

    def count_text(self, reason: str) -> str:
        return f"{len(reason.strip())}/{self.limit}"

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "reason":
            counter = self.query_one("#reason-count", Static)
            counter.update(self.count_text(event.value))
            counter.set_class(len(event.value.strip()) > self.limit, "-over")

    def _confirm(self) -> None:
        field = self.query_one("#reason", Input)
        reason = field.value.strip()
        error = self.query_one("#reason-error", Static)
        problem = text_error("reason", reason, max_length=self.limit)
        if not reason or problem is not None:
            error.update(Text(field_text(problem)) if problem else _("Podaj powód."))
            self.reveal_error(field, error)
            return
        error.update("")
        self.finish(reason)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self._confirm()
        else:
            self.leave()
