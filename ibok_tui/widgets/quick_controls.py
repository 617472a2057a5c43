"""One-line controls for the first screen people see (the login): a button and a check box.

Textual's `Button` (three rows, a large stylesheet) and `Checkbox` were the dearest widgets
of the first frame; these draw one line of text and handle the keys and the mouse.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class QuickButton(Static, can_focus=True):
    """A button: focusable, pressed with Enter, Space or a click."""

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
        Binding("enter,space", "press", "Naciśnij", id="button.press", show=False),
    ]

    class Pressed(Message):
        def __init__(self, button: QuickButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> QuickButton:
            return self.button

    def action_press(self) -> None:
        if not self.is_disabled:  # its own state or a container's
            self.post_message(self.Pressed(self))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()


class QuickToggle(Static, can_focus=True):
    """A check box, "[X] label": Space, Enter or a click turns it; `Changed` says so."""

    DEFAULT_CSS = """
    QuickToggle {
        width: auto;
        height: 1;
        &:hover { background: $boost; }
        &:focus { background: $primary 40%; text-style: bold; }
        &:disabled { color: $text-disabled; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # space ticks; Enter is the form's (it signs in), never a tick
        Binding("space", "flip", "Przełącz", id="switch.flip", show=False),
    ]

    value: reactive[bool] = reactive(False, init=False)

    class Changed(Message):
        def __init__(self, toggle: QuickToggle, value: bool) -> None:
            super().__init__()
            self.toggle = toggle
            self.value = value

        @property
        def control(self) -> QuickToggle:
            return self.toggle

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.set_reactive(QuickToggle.value, value)
        self.update(self._content())

    def _content(self) -> Content:
        mark = Content.styled("X", "bold $text-success") if self.value else Content(" ")
        return Content.assemble("[", mark, "] ", self.label)

    def watch_value(self, value: bool) -> None:
        self.update(self._content())
        self.post_message(self.Changed(self, value))

    def action_flip(self) -> None:
        if not self.is_disabled:
            self.value = not self.value

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_flip()
