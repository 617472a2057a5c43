"""A pie chart drawn in the terminal's cells, with its legend (Analizy's shares).

plotext draws no pie, so this draws one on a half-block canvas: each cell holds two
pixels, its upper half (▀, the foreground colour) and its lower half (the background
colour). A terminal cell is about twice as tall as it is wide, so each pixel is about
square, and a circle of radius r pixels takes 2r columns and r rows: a circle, not an
ellipse, at any size. A pixel belongs to the sector in which the angle of its centre lies,
measured clockwise from twelve o'clock; sectors follow the values in order.

The chart fits the space it has: the legend beside the circle or below it, whichever lets
the circle be larger; when neither leaves room for a circle of `MIN_RADIUS`, the legend
alone is shown, with a note. Each sector's label comes from the data and is shown
literally on one line (`literal.literal`, `visible`); its share is in per cent with the
language's decimal mark.
"""

from __future__ import annotations

import math
import textwrap
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget

from ..domain.text import visible
from ..i18n import N_, Messages
from .literal import literal
from .reading_format import decimal_text

MIN_RADIUS = 4  # pixels: 8 columns by 4 rows, the least that still reads as a circle
GAP = 2  # columns between the circle and a legend beside it
PALETTE = ("primary", "warning", "success", "accent", "secondary", "error")
FALLBACK = ((0, 135, 255), (255, 170, 0), (0, 170, 90), (200, 80, 200), (90, 160, 220))
LEGEND_LABEL = 24  # at most, in cells; a longer label is cut with an ellipsis

TEXT: Messages[str] = Messages(
    {
        "small": N_("Za mało miejsca na wykres kołowy: powiększ okno."),
        "empty": N_("Brak danych do wykresu."),
    }
)


def bounds(values: Sequence[int]) -> list[float]:
    """Where each sector ends, as a fraction of the full turn (the last ends at exactly 1);
    empty when there is nothing to share (no values, or all of them zero or less)."""
    parts = [max(0, v) for v in values]
    total = sum(parts)
    if total <= 0:
        return []
    ends = [s / total for s in accumulate(parts)]
    ends[-1] = 1.0
    return ends


def sector_at(turn: float, ends: Sequence[float]) -> int:
    """The sector at `turn` (0 ≤ turn < 1 of a full turn, clockwise from twelve o'clock).
    A sector of zero share ends where it starts, so it is never hit."""
    return min(bisect_right(ends, turn), len(ends) - 1)


def pixel_sector(x: int, y: int, radius: int, ends: Sequence[float]) -> int | None:
    """The sector of pixel (x, y) of a circle of `radius` pixels whose square canvas is
    2·radius pixels on a side (y grows downwards); None outside the circle or the data."""
    if not ends:
        return None
    dx = x + 0.5 - radius
    dy = y + 0.5 - radius
    if dx * dx + dy * dy > radius * radius:
        return None
    turn = (math.atan2(dx, -dy) / math.tau) % 1.0
    return sector_at(turn, ends)


def pie_pixels(radius: int, ends: Sequence[float]) -> list[list[int | None]]:
    """The canvas: 2·radius rows of 2·radius pixels, each a sector's index or None."""
    side = 2 * radius
    return [[pixel_sector(x, y, radius, ends) for x in range(side)] for y in range(side)]


def sector_colour(index: int, count: int, colours: int) -> int:
    """Which of `colours` colours sector `index` of `count` gets: in turn, except that the
    last sector, which touches the first, never takes the first one's colour."""
    chosen = index % colours
    if count > 2 and index == count - 1 and chosen == 0:
        chosen = 1 % colours
    return chosen


def percent_text(value: int, total: int) -> str:
    """A share in per cent with one decimal in the language's notation; a share too small
    to show as 0.1 % is '<0,1 %', not '0,0 %'."""
    share = value * 100 / total if total > 0 else 0.0
    if 0 < share < 0.05:
        return f"<{decimal_text('0.1')} %"
    return f"{decimal_text(f'{share:.1f}')} %"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class Pie(Widget):
    """Parts of a whole as a pie with its legend (label, share, amount per sector)."""

    DEFAULT_CSS = "Pie { height: 1fr; width: 1fr; padding: 0 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.labels: list[str] = []
        self.values: list[int] = []
        self.amount: Callable[[int], str] = str
        self.radius = 0  # of the last drawn circle, in pixels; 0: the legend alone

    def show(
        self,
        labels: Sequence[str],
        values: Sequence[int],
        *,
        title: str,
        amount: Callable[[int], str],
    ) -> None:
        self.title = title
        self.labels = list(labels)
        self.values = list(values)
        self.amount = amount
        self.refresh()

    def colours(self) -> list[Style]:
        styles = []
        variables = self.app.theme_variables
        for index, name in enumerate(PALETTE):
            try:
                colour = Color.parse(variables[name]).rich_color
            except (KeyError, Exception):
                colour = Color(*FALLBACK[index % len(FALLBACK)]).rich_color
            styles.append(Style(color=colour))
        return styles

    def legend(self, width: int) -> list[Text]:
        styles = self.colours()
        total = sum(max(0, v) for v in self.values)
        lines = []
        for index, (name, value) in enumerate(zip(self.labels, self.values, strict=True)):
            tail = f"  {percent_text(max(0, value), total)}  {self.amount(value)}"
            room = max(width - 2 - len(tail), 4)
            colour = styles[sector_colour(index, len(self.values), len(styles))]
            line = Text("█ ", style=colour)
            one_line = visible(name, multiline=False)  # a newline would break the legend
            line.append_text(literal(_cut(one_line, min(room, LEGEND_LABEL))))
            line.append(tail)
            lines.append(line)
        return lines

    def _radius(self, width: int, height: int, legend: list[Text]) -> tuple[int, bool]:
        """The largest radius that fits, and whether the legend goes beside the circle."""
        legend_width = max((line.cell_len for line in legend), default=0)
        beside = min((width - legend_width - GAP) // 2, height)
        below = min(width // 2, height - len(legend) - 1)
        if beside >= below:
            return beside, True
        return below, False

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        title = textwrap.wrap(visible(self.title, multiline=False), max(width, 1)) or [""]
        out = Text("\n".join(title) + "\n", style="bold")
        ends = bounds(self.values)
        if not ends:
            self.radius = 0
            out.append(TEXT["empty"])
            return out
        legend = self.legend(width)
        radius, beside = self._radius(width, height - len(title), legend)
        if radius < MIN_RADIUS:
            self.radius = 0
            out.append(Text("\n").join(legend))
            out.append("\n" + TEXT["small"], style="italic")
            return out
        self.radius = radius
        rows = self._circle(radius, ends)
        if beside:
            top = max(0, (radius - len(legend)) // 2)
            for index, row in enumerate(rows):
                entry = index - top
                if 0 <= entry < len(legend):
                    row.append(" " * GAP)
                    row.append_text(legend[entry])
            out.append(Text("\n").join(rows))
        else:
            indent = " " * max(0, (width - 2 * radius) // 2)  # the circle centred
            rows = [Text(indent) + row for row in rows]
            out.append(Text("\n").join([*rows, Text(), *legend]))
        return out

    def _circle(self, radius: int, ends: Sequence[float]) -> list[Text]:
        """The canvas in half-block cells: ▀ for an upper pixel (and a lower one as the
        background), ▄ for a lower pixel alone, a space for none."""
        palette = self.colours()
        styles = [palette[sector_colour(i, len(ends), len(palette))] for i in range(len(ends))]
        pixels = pie_pixels(radius, ends)
        rows = []
        for upper, lower in zip(pixels[0::2], pixels[1::2], strict=True):
            row = Text()
            for top, bottom in zip(upper, lower, strict=True):
                if top is None and bottom is None:
                    row.append(" ")
                elif top is None:
                    row.append("▄", style=styles[bottom])  # type: ignore[index]
                elif bottom is None:
                    row.append("▀", style=styles[top])
                else:
                    row.append("▀", style=styles[top] + Style(bgcolor=styles[bottom].color))
            rows.append(row)
        return rows
