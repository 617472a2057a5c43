"""A panel with a sparkline between its title and its content (Pulpit's twelve months of
use): one widget where a container, a title, a Sparkline and a Static were.

The bars are drawn as Textual's `Sparkline` draws them (its renderable's buckets, bar
characters and colours, blended from `$primary 30%` to `$primary`), three rows high with
a column of margin on each side, but each column is worked out once for all rows and the
cells of a colour go out as one segment: Textual's renderable made a style per cell, and
was the costliest thing Pulpit's first data painted.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar

from rich.color import Color
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.strip import Strip
from textual.visual import Visual

from .panel import Panel

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions

BARS = "▁▂▃▄▅▆▇█"  # textual.renderables.sparkline.Sparkline.BARS
Cell = tuple[str, RichStyle | None]  # a bar's character and its colour (None: blank)


def _split(data: list[float], count: int) -> list[list[float]]:
    """`data` in `count` parts, as Textual's sparkline cuts it (empty parts left out)."""
    step = Fraction(len(data), count)
    parts = (data[int(step * number) : int(step * (number + 1))] for number in range(count))
    return [part for part in parts if part]


def _blend(low: Color, high: Color, ratio: float) -> Color:
    """textual.renderables._blend_colors.blend_colors."""
    if low.triplet is None or high.triplet is None:
        return high
    (r1, g1, b1), (r2, g2, b2) = low.triplet, high.triplet
    return Color.from_rgb(r1 + (r2 - r1) * ratio, g1 + (g2 - g1) * ratio, b1 + (b2 - b1) * ratio)


class Bars(Visual):
    """`rows` rows of bars, one per column but the margin's, of `data` (each column the
    largest value of its part), from `low`'s colour at the smallest to `high`'s."""

    def __init__(self, data: Sequence[float], low: Color, high: Color, rows: int) -> None:
        self._series = list(data)
        self._low, self._high = low, high
        self._row_count = rows

    def _cells(self, width: int) -> list[list[Cell]]:
        """Each row's cells, top row first: a bar's character and its colour."""
        rows, data = self._row_count, self._series
        low, high = RichStyle(color=self._low), RichStyle(color=self._high)
        blank: Cell = (" ", None)
        if not data:
            return [[blank] * width] * (rows - 1) + [[("▁", low)] * width]
        if len(data) == 1:
            return [[("█", high)] * width] * rows
        minimum, maximum = min(data), max(data)
        extent = maximum - minimum or 1
        parts = _split(data, width)
        step = len(parts) / width
        colours: dict[float, RichStyle] = {}
        columns: list[tuple[int, RichStyle]] = []
        at = 0.0
        for _ in range(width):
            ratio = (max(parts[int(at)]) - minimum) / extent
            colour = colours.get(ratio)
            if colour is None:
                colour = colours[ratio] = RichStyle(color=_blend(self._low, self._high, ratio))
            columns.append((int(ratio * (len(BARS) * rows - 1)), colour))
            at += step
        cells: list[list[Cell]] = []
        for row in reversed(range(rows)):
            bottom, top = row * len(BARS), (row + 1) * len(BARS)
            cells.append(
                [
                    blank
                    if bar < bottom
                    else ("█", colour)
                    if bar >= top
                    else (BARS[bar % len(BARS)], colour)
                    for bar, colour in columns
                ]
            )
        return cells

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        margin = Segment(" " * min(width, 1), base)
        inner = max(width - 2, 0)
        strips = []
        for row in self._cells(inner) if inner else [[]] * self._row_count:
            segments = [margin]
            for character, colour in row:
                cell = base if colour is None else base + colour
                last = segments[-1]
                if last.style == cell and len(segments) > 1:
                    segments[-1] = Segment(last.text + character, cell)
                else:
                    segments.append(Segment(character, cell))
            if width > 1:
                segments.append(margin)
            strips.append(Strip(segments, width))
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._row_count


class SparklinePanel(Panel):
    """A `Panel` with bars of `data` below its title, above its content."""

    ROWS = 3
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "panel--title",
        "sparkline-panel--min",
        "sparkline-panel--max",
    }
    DEFAULT_CSS = """
    SparklinePanel > .sparkline-panel--max { color: $primary; }
    SparklinePanel > .sparkline-panel--min { color: $primary 30%; }
    """

    def __init__(self, title: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(title, id=id, classes=classes)
        self._series: list[float] = []

    @property
    def data(self) -> list[float]:
        return self._series

    @data.setter
    def data(self, data: Sequence[float]) -> None:
        self._series = list(data)
        self.refresh()

    def parts(self) -> list[Visual]:
        _, base = self.background_colors
        low = base + self.get_component_styles("sparkline-panel--min").color
        high = base + self.get_component_styles("sparkline-panel--max").color
        return [Bars(self._series, low.rich_color, high.rich_color, self.ROWS), self.body()]
