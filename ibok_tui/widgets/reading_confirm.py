"""A yes/no question as a small modal dialog (withdrawing a reading and the like)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..i18n import _
from .bindings import translate_bindings
from .dialog_frame import DIALOG_BREAKPOINTS, frame_css


class ConfirmDialog(ModalScreen[bool]):
    """Dismissed with True when the user agrees, False otherwise."""

    DEFAULT_CSS = (
        frame_css("ConfirmDialog")
        + """
    ConfirmDialog > .dialog { width: 64; border: thick $warning; }
    """
    )
    VERTICAL_BREAKPOINTS = DIALOG_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Nie", id="confirm.no"),
        Binding("y,t", "answer(True)", "Tak", id="confirm.yes", show=False),
    ]

    def __init__(self, question: str, *, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self._question = question
        self._yes = yes if yes is not None else _("Tak")
        self._no = no if no is not None else _("Nie")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._question))
            with Horizontal(classes="buttons"):
                yield Button(self._no, id="no")
                yield Button(self._yes, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
