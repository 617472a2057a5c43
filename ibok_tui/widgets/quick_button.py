"""A one-line button: focusable, pressed with Enter, Space or a click.

For the first screen people see (the login), where Textual's `Button` (three rows, a large
stylesheet) was the dearest widget of the first frame.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static


class QuickButton(Static, can_focus=True):
    DEFAULT_CSS = """
    QuickButton {
        width: auto;
        height: 1;
        padding: 0 2;
        background: $primary;
        color: $text;
        text-style: bold;
        &:hover { background: $primary-lighten-1; }
        &:focus { background: $primary-lighten-2; text-style: bold underline; }
        &:disabled { background: $panel; color: $text-disabled; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "press", "Naciśnij", show=False),
    ]

    class Pressed(Message):
        def __init__(self, button: QuickButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> QuickButton:
            return self.button

    def action_press(self) -> None:
        if not self.disabled:
            self.post_message(self.Pressed(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()
