"""The Textual internals the console relies on, in one place; tests/ui/test_textual_internals.py
asserts that each still has the shape relied on, so a Textual upgrade fails there first.

The render guard: every frame Textual sends to the terminal is made of `Strip.render`'s
output (the compositor's updates join their strips' renders, `App._display` writes them
to the driver). A segment's text is what a widget shows; its control sequences come only
from the segment's style (colours, attributes, an OSC 8 link). So removing the characters
that steer a terminal from each segment's text, and from a link's target, there, is the
one net that no screen can forget: a customer's street, a server's `detail` or a file
name cannot clear the screen, set the window title or write the clipboard. Rich gives
those characters no cell, so a line keeps its width (a lone surrogate, which has one and
cannot be encoded, becomes U+FFFD). Widgets show them as visible
stand-ins first where that is cheap (`ibok_tui.domain.text.visible`); the guard catches
the rest.

The same rule for what Textual prints with Rich outside frames (the error console's
traceback after a crash): `CleanRenderHook` cleans every segment such a console renders.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import wraps
from operator import itemgetter
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.strip import Strip

from ..domain.text import unsafe_character, without_unsafe

ORIGINAL_STRIP_RENDER = Strip.render
_GUARD_MARK = "_ibok_render_guard"


def _clean_style(style: Style | None) -> Style | None:
    if style is None or not style._link or unsafe_character(style._link, multiline=True) is None:
        return style
    return style.update_link(without_unsafe(style._link) or None)


_TEXT, _STYLE = itemgetter(0), itemgetter(1)


def _needs_cleaning(segments: Sequence[Segment]) -> bool:
    # the fast path: one look at the line's text (printable text holds nothing unsafe)
    # and at the few styles with a link
    text = "".join(map(_TEXT, segments))
    if not text.isprintable() and unsafe_character(text, multiline=True) is not None:
        return True
    linked = [style for style in map(_STYLE, segments) if style is not None and style._link]
    return bool(linked) and any(_clean_style(style) is not style for style in linked)


def _clean_text(text: str) -> str:
    # A lone surrogate has a cell (and cannot be written at all): it becomes U+FFFD, one
    # cell too; the rest of the unsafe characters have none and are removed.
    if unsafe_character(text, multiline=True) is None:
        return text
    whole = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return without_unsafe(whole)


def clean_segments(segments: Iterable[Segment]) -> list[Segment]:
    """`segments` with the unsafe characters taken out of their text and link targets,
    each line keeping its width. Control segments (cursor moves Rich makes itself) are
    kept as they are."""
    return [
        segment
        if segment.control
        else Segment(_clean_text(segment.text), _clean_style(segment.style))
        for segment in segments
    ]


def _guarded_render(self: Strip, console: Console) -> str:
    if self._render_cache is None:
        segments = self._segments
        if _needs_cleaning(segments):
            # Textual's own render of the cleaned line becomes this strip's cached render
            cleaned = Strip(clean_segments(segments), self.cell_length)
            self._render_cache = ORIGINAL_STRIP_RENDER(cleaned, console)
    return ORIGINAL_STRIP_RENDER(self, console)


def install_render_guard() -> None:
    """Make every frame's text safe for the terminal (idempotent); see the module's doc."""
    if getattr(Strip.render, _GUARD_MARK, False):
        return
    guarded = wraps(ORIGINAL_STRIP_RENDER)(_guarded_render)
    setattr(guarded, _GUARD_MARK, True)
    Strip.render = guarded  # type: ignore[method-assign]


def render_guard_installed() -> bool:
    return bool(getattr(Strip.render, _GUARD_MARK, False))


class _Clean:
    """A renderable that renders another and cleans its segments."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from clean_segments(console.render(self.renderable, options))


class CleanRenderHook(RenderHook):
    """A Rich console hook: everything the console prints is cleaned as frames are."""

    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Clean(renderable) for renderable in renderables]


def guard_terminal(app: App[Any]) -> None:
    """Install the render guard (once per process) and guard `app`'s error console: what
    Textual prints there after the terminal is back (a crash's traceback, `App.exit`'s
    message) goes through the same rule."""
    install_render_guard()
    if not any(isinstance(hook, CleanRenderHook) for hook in app.error_console._render_hooks):
        app.error_console.push_render_hook(CleanRenderHook())
