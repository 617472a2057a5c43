"""A bordered panel with its title: one widget where a container, a title Label and a
Static were.

Pulpit's panels were each three widgets (a Vertical with the border, a Label, a Static):
on a resumed start, mounting, laying out and painting those was most of what came
between Pulpit's first frame and its data. A `Panel` draws the same: the border, the
title on its first line (bold, the theme's accent), the content below it. Its `content`
is what was given to `update` (the title is `title`), as a Static's is.

A Rich renderable given as content (the utility's contact table) is drawn once per width
and style (`DrawnOnce`): Textual's RichVisual draws it once to count its lines for the
layout and again to paint them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.visual import RichVisual, Visual, VisualType
from textual.widgets import Static

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.app import RenderResult
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


class Stacked(Visual):
    """Visuals one below the other, each given the whole width."""

    def __init__(self, parts: Sequence[Visual]) -> None:
        self._parts = parts

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for part in self._parts:
            left = None if height is None else height - len(strips)
            if left is not None and left <= 0:
                break
            strips.extend(part.render_strips(width, left, style, options))
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(part.get_optimal_width(rules, container_width) for part in self._parts)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max(part.get_minimal_width(rules) for part in self._parts)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(part.get_height(rules, width) for part in self._parts)


class DrawnOnce(Visual):
    """A Rich renderable of `widget`, drawn as Textual's RichVisual draws it, but once for
    the height the layout asks for and the lines then painted (the same width and style)."""

    def __init__(self, widget: Static, renderable: RenderableType) -> None:
        self._panel = widget
        self._rich = RichVisual(widget, renderable)
        self._source = renderable
        self._drawn: tuple[int, Style, list[Strip]] | None = None

    def _draw(self, width: int, style: Style) -> list[Strip]:
        if self._drawn is not None and self._drawn[:2] == (width, style):
            return self._drawn[2]
        app = self._panel.app
        options = app.console_options.update(highlight=False, width=width, height=None)
        renderable = self._panel.post_render(self._source, style.rich_style)
        segments = app.console.render(renderable, options)
        lines = Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False)
        strips = [Strip(line) for line in lines]
        self._drawn = (width, style, strips)
        return strips

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return list(islice(self._draw(width, style), None, height))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._rich.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self._rich.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._draw(width, self._panel.visual_style))


class Panel(Static):
    """A bordered box: `title` on its first line, its content below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"panel--title"}
    DEFAULT_CSS = """
    Panel { border: round $primary; padding: 0 1; height: auto; }
    Panel > .panel--title { text-style: bold; color: $accent; }
    """

    def __init__(
        self,
        title: str,
        content: VisualType = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(content, id=id, classes=classes, markup=False)
        self._heading = title
        self._drawn: DrawnOnce | None = None

    @property
    def title(self) -> str:
        return self._heading

    @title.setter
    def title(self, title: str) -> None:
        if title != self._heading:
            self._heading = title
            self.refresh(layout=True)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._drawn = None
        super().update(content, layout=layout)

    def body(self) -> Visual:
        """The content's visual (a Rich renderable's drawn once: DrawnOnce)."""
        visual = self.visual
        if not isinstance(visual, RichVisual):
            return visual
        if self._drawn is None:
            self._drawn = DrawnOnce(self, self.content)  # type: ignore[arg-type]
        return self._drawn

    def parts(self) -> list[Visual]:
        """What is drawn below the title (a subclass adds its own)."""
        return [self.body()]

    def render(self) -> RenderResult:
        return Stacked([Content.styled(self._heading, ".panel--title"), *self.parts()])


class TitledBox(Vertical):
    """A bordered box of widgets with a title on its first line, drawn by the box itself
    (its first child keeps that line free with `margin-top: 1`): a Panel for a widget that
    cannot be a Static's content (Pulpit's meters table), without a Label of its own."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"panel--title"}
    DEFAULT_CSS = """
    TitledBox { border: round $primary; padding: 0 1; height: auto; }
    TitledBox > .panel--title { text-style: bold; color: $accent; }
    TitledBox > * { margin-top: 1; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title

    def render(self) -> RenderResult:
        return Content.styled(self.title, ".panel--title")
