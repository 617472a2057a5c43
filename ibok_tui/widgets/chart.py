"""Consumption and money charts over textual-plotext, in the theme's colours.

One `Chart` widget draws one figure at a time; the screen gives it prepared numbers
and never a backend. Long series are downsampled (Largest-Triangle-Three-Buckets) to
two points per column (at most `MAX_POINTS`) before drawing, so two years of hourly
data draw as fast as a month.
plotext has no pie chart: Analizy draws its shares with `pie.Pie` instead.
The value axis is labelled by the chart itself (`_value_ticks`), with a decimal comma in
Polish: plotext writes its own numbers with a point.

Values are plotted as floats: that is only a screen coordinate, every amount and volume
stays exact (integer litres and grosze) up to this point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from textual.color import Color
from textual_plotext import PlotextPlot

from ..domain.analytics import downsample
from ..domain.models import SeriesPoint
from .chart_data import axis_ticks, tick_text
from .reading_format import decimal_text
from .textual_internals import fresh_plot

MAX_POINTS = 480  # at most, whatever the width
POINTS_PER_COLUMN = 2  # the "hd" marker draws 2×2 dots per cell: more points are not seen
X_TICKS = 5


class Chart(PlotextPlot):
    """A chart; `kind` says what it shows now ("line", "bars", "grouped")."""

    DEFAULT_CSS = "Chart { height: 1fr; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = ""
        self.drawn_points = 0  # how many points the last line chart drew (after downsampling)
        self.marked_at: list[datetime] = []  # where the last line chart's markers are

    def _colour(self, name: str) -> tuple[int, int, int]:
        try:
            return Color.parse(self.app.theme_variables[name]).rgb
        except (KeyError, Exception):
            return (0, 135, 255)

    def _reset(self, title: str, ylabel: str = "") -> None:
        fresh_plot(self)  # a fresh figure: plotext keeps layout state between builds
        plt = self.plt
        plt.title(title)
        if ylabel:
            plt.ylabel(ylabel)

    def line(
        self,
        points: Sequence[SeriesPoint],
        *,
        title: str,
        ylabel: str,
        tick: Callable[[datetime], str],
        marked: Callable[[SeriesPoint], bool] | None = None,
        marker_label: str = "",
    ) -> None:
        """A series of litres as m³ over time; points for which `marked` holds get a marker.
        The marked points are drawn whatever the downsampling drops: the marker lands on the
        very points it describes (a leak's night hours)."""
        self._reset(title, ylabel)
        self.kind = "line"
        self.marked_at = []
        columns = self.size.width or 100
        shown = downsample(points, min(MAX_POINTS, POINTS_PER_COLUMN * columns))
        if marked is not None:
            kept = {id(p) for p in shown}
            extra = [p for p in points if id(p) not in kept and marked(p)]
            if extra:
                shown = sorted([*shown, *extra], key=lambda p: p.start)
        self.drawn_points = len(shown)
        if shown:
            xs = list(range(len(shown)))
            ys = [p.litres / 1000 for p in shown]
            self.plt.plot(xs, ys, color=self._colour("primary"), marker="hd")
            self._value_ticks(ys)
            self.plt.xlim(0, max(len(shown) - 1, 1))
            self._ticks([tick(p.start) for p in shown])
            if marked is not None:
                hits = [i for i, p in enumerate(shown) if marked(p)]
                self.marked_at = [shown[i].start for i in hits]
                if hits:
                    self.plt.scatter(
                        hits,
                        [ys[i] for i in hits],
                        color=self._colour("error"),
                        marker="x",
                        label=marker_label,
                    )
        self.refresh()

    def _value_ticks(self, values: Sequence[float], *, axis: str = "y") -> None:
        """Label the value axis with round numbers in the language's notation."""
        if not values:
            return
        ticks = axis_ticks(min(0.0, min(values)), max(values))
        labels = [decimal_text(tick_text(t)) for t in ticks]
        positions = [float(t) for t in ticks]
        if axis == "y":
            self.plt.yticks(positions, labels)
        else:
            self.plt.xticks(positions, labels)

    def _ticks(self, labels: Sequence[str], *, first: int = 0, most: int = X_TICKS) -> None:
        """Label at most `most` evenly spread positions (plotext's own choice varies)."""
        if not labels:
            return
        step = max(1, -(-(len(labels) - 1) // max(most - 1, 1)))
        indexes = list(range(0, len(labels), step))
        self.plt.xticks([first + i for i in indexes], [labels[i] for i in indexes])

    def bars(
        self, labels: Sequence[str], values: Sequence[float], *, title: str, ylabel: str
    ) -> None:
        self._reset(title, ylabel)
        self.kind = "bars"
        if values:
            xs = list(range(1, len(values) + 1))
            self.plt.bar(xs, list(values), color=self._colour("accent"), width=0.6)
            self._value_ticks(list(values))
            self._ticks(list(labels), first=1)
        self.refresh()

    def grouped(
        self,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float]]],
        *,
        title: str,
        ylabel: str,
    ) -> None:
        """Bars side by side: one group per label, one bar per named series."""
        self._reset(title, ylabel)
        self.kind = "grouped"
        if labels and series:
            colours = [self._colour("primary"), self._colour("warning"), self._colour("success")]
            self.plt.multiple_bar(  # type: ignore[call-arg]  # plotext takes `labels`
                list(range(1, len(labels) + 1)),
                [list(values) for _, values in series],
                labels=[name for name, _ in series],
                color=colours[: len(series)],  # type: ignore[arg-type]  # one per series
                width=0.8,
            )
            self.plt.xlim(0.5, len(labels) + 0.5)
            self._value_ticks([v for _, values in series for v in values])
            short = max(len(label) for label in labels) <= 3
            self._ticks(list(labels), first=1, most=len(labels) if short else X_TICKS)
        self.refresh()
