"""Untrusted text for a widget: shown literally, never as markup, with each character that
could steer a terminal shown as a visible stand-in of one cell (␛ for ESC; see
`ibok_tui.domain.text.visible`). The render guard (textual_internals.py) removes what a
widget still lets through; this is what a reader should see instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..domain.text import visible

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


def literal(value: str | Text) -> Text:
    """`value` as a Text: markup not interpreted, control characters made visible. A Text's
    styles stay where they were (each stand-in takes the place of one character)."""
    if isinstance(value, Text):
        shown = visible(value.plain)
        if shown is value.plain:
            return value
        copy = value.copy()
        copy.plain = shown
        return copy
    return Text(visible(value))


def literal_cell(value: object) -> object:
    """A table cell: text made literal, anything else (a number, a renderable) as it is."""
    if isinstance(value, str | Text):
        return literal(value)
    return value


class LiteralNotifications:
    """For an App: every toast is shown literally (never as markup, control characters
    visible), whatever screen raised it and with whatever text."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(  # type: ignore[misc]
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )
