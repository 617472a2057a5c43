"""The rules every form shares: which key sends it, how its focus shows, what of it is
content worth keeping as a draft; and dates as people type them.

A dialog (screens/forms/dialogs.py's `Dialog`) applies these to whatever widgets it
composes, so a new dialog gets them without code of its own:

- Enter sends the form from a one-line field and from a tick box (space ticks it; Enter on
  a tick box never toggles it); in a multi-line `TextArea` Enter is a new line and `ctrl+s`
  sends; on a button, a list or a select Enter does what that widget does.
- The focused widget is marked in every theme (`FOCUS_CSS`): Textual's compact fields drop
  their border, and with it the only sign of focus.
- A form's content is what the user typed: its text fields (never a password), ticks and
  choices, as `field_values`; `restore_fields` puts them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from ..domain.dates import parse_day
from .visibility import shown

__all__ = [
    "FOCUS_CSS",
    "field_values",
    "parse_day",
    "restore_fields",
    "sends_on_enter",
    "shown",
    "typed_differs",
    "typed_values",
]

# The focused field of a form: a tinted background and an accent bar on its left (the
# bar's column is kept blank when not focused, so focus moves nothing). Buttons reverse
# (Textual's own), lists show their cursor only when focused (Textual's own), a text to
# scroll has the bar on its left and its scroll bar takes the accent.
FOCUS_CSS = """
Dialog Input.-textual-compact, Dialog Select.-textual-compact > SelectCurrent {
    border-left: blank !important;
}
Dialog Input.-textual-compact:focus, Dialog Select.-textual-compact:focus > SelectCurrent {
    border-left: outer $accent !important;
}
Dialog Input:focus, Dialog TextArea:focus, Dialog Select:focus > SelectCurrent,
Dialog Checkbox:focus, Dialog RadioButton:focus {
    background: $accent 30%;
}
Dialog TextArea:focus, Dialog DataTable:focus, Dialog OptionList:focus,
Dialog DirectoryTree:focus {
    border: tall $accent;
}
Dialog Button:focus { text-style: bold reverse; }
Dialog VerticalScroll { border-left: blank; }
Dialog VerticalScroll:focus { border-left: outer $accent; scrollbar-color: $accent; }
"""

FIELD_TYPES = (Input, TextArea, Checkbox, Select)


def sends_on_enter(widget: Widget | None) -> bool:
    """Enter on this widget sends the form: a one-line field or a tick box (a `TextArea`
    takes Enter as a new line; buttons, lists and selects do their own thing)."""
    return isinstance(widget, Input | Checkbox | RadioButton)


def _kept(widget: Widget) -> bool:
    return bool(widget.id) and not (isinstance(widget, Input) and widget.password)


def field_values(node: DOMNode) -> dict[str, object]:
    """What was entered in the form under `node`, by widget id: text fields (never a
    password), tick boxes and selects' values."""
    values: dict[str, object] = {}
    for widget in node.query("*"):
        if not isinstance(widget, FIELD_TYPES) or not _kept(widget):
            continue
        assert widget.id is not None
        if isinstance(widget, TextArea):
            values[widget.id] = widget.text
        elif isinstance(widget, Select):
            value = widget.value
            if value is not Select.BLANK:
                values[widget.id] = value
        else:
            values[widget.id] = widget.value
    return values


def typed_values(node: DOMNode) -> dict[str, object]:
    """`field_values` without the selects' choices: a choice alone is not content (it has
    a default, and a form may choose it itself once its options have loaded, as the
    reading form chooses the first meter)."""
    selects = {widget.id for widget in node.query(Select)}
    return {key: value for key, value in field_values(node).items() if key not in selects}


def typed_differs(before: Mapping[str, object], after: Mapping[str, object]) -> bool:
    """Whether something was typed or ticked between two `typed_values`."""
    for key, value in after.items():
        empty = "" if isinstance(value, str) else False
        if isinstance(value, str | bool) and before.get(key, empty) != value:
            return True
    return False


def restore_fields(node: DOMNode, values: Mapping[str, object]) -> None:
    """Put `field_values` back into the form under `node` (a select only to one of its
    options; a field that is gone is skipped)."""
    for key, value in values.items():
        found = node.query(f"#{key}")
        if not found:
            continue
        widget: Any = found.first()
        if isinstance(widget, TextArea) and isinstance(value, str):
            widget.text = value
        elif (isinstance(widget, Input) and isinstance(value, str) and not widget.password) or (
            isinstance(widget, Checkbox) and isinstance(value, bool)
        ):
            widget.value = value
        elif isinstance(widget, Select):
            with suppress(InvalidSelectValueError):  # options changed since: the default stays
                widget.value = value
