"""The frame every dialog shares, at 120×40 as at 80×24 (screens/forms/dialogs.py).

A dialog's `.dialog` container holds its `.title`, docked at the top, its `.buttons`,
docked at the bottom, and between them everything else, which scrolls inside the frame
when the terminal is too small for it: the title and the buttons stay on screen whatever
the length of the body. A part of a dialog that may be long on its own (a request's text
in the clerk's reply) gets a height of its own in that dialog's CSS, so that the fields
after it stay in view; a `VerticalScroll` inside a dialog grows with its content unless
given one. The docked title and buttons are opaque: what scrolls passes under them.
On a short terminal (fewer than `TALL` rows) the frame fills the height, drops
its padding and spacing, and its buttons are one row high (Textual's compact buttons).
"""

from __future__ import annotations

TALL = 32
"""Rows from which a dialog's frame keeps its padding and its margins."""

DIALOG_BREAKPOINTS: list[tuple[int, str]] = [(0, "-short"), (TALL, "-tall")]
"""A dialog screen's `VERTICAL_BREAKPOINTS`: the class `-short` below `TALL` rows."""

FRAME_CSS = """
.dialog { width: 72; max-width: 100%; height: auto; max-height: 90%;
          border: thick $accent; background: $surface; padding: 1 2;
          overflow-y: auto; scrollbar-size-vertical: 1; }
.dialog .title { text-style: bold; }
.dialog > .title { dock: top; width: 100%; margin-bottom: 1; background: $surface; }
.dialog > .buttons { dock: bottom; height: auto; margin-top: 1; align-horizontal: right;
                     background: $surface; }
.dialog > .buttons Button { margin-left: 1; }
.dialog VerticalScroll { height: auto; }
SCREEN.-short .dialog { max-height: 100%; padding: 0 1; }
SCREEN.-short .dialog > .title { margin-bottom: 0; }
SCREEN.-short .dialog .buttons { margin-top: 0; }
SCREEN.-short .dialog .buttons Button { height: 1; min-width: 0; border: none !important; }
"""


def frame_css(screen_type: str) -> str:
    """The frame's CSS for the DEFAULT_CSS of the screen class `screen_type` (a class's
    DEFAULT_CSS is scoped to it: a rule about the screen itself must name it)."""
    return FRAME_CSS.replace("SCREEN", screen_type) + f"{screen_type} {{ align: center middle; }}"
