"""Whether a widget is displayed: light enough for the first frame (no form widgets)."""

from __future__ import annotations

from typing import Any

from textual.dom import DOMNode
from textual.widget import Widget


def shown(widget: Widget, top: DOMNode | None = None) -> bool:
    """The widget and its containers up to `top` (else up to its screen) are displayed: a
    widget in a pane that a ContentSwitcher or a TabbedContent put away is not."""
    node: Any = widget
    while node is not None and node is not top:
        if not node.display:
            return False
        node = node.parent
    return True
