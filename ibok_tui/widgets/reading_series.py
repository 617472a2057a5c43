"""A smart meter's consumption as a table: by month or by day, drilled down to hours.

The widget holds the daily series it was given and aggregates months itself; for the
hours of one day it posts `ReadingSeries.HoursWanted` and the screen fetches them (a
widget never does I/O). No more than `MAX_ROWS` rows are ever put in the table: a
longer series shows its latest rows and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from ..domain.analytics import aggregate
from ..domain.models import Resolution, SeriesPoint
from ..i18n import N_, Messages, n_
from .bindings import translate_bindings
from .reading_format import MONTHS, WEEKDAYS, day, m3
from .tables import ListTable

MAX_ROWS = 10_000
TEXT: Messages[str] = Messages(
    {
        "by_month": N_("Zużycie miesięczne, {count} mies. (Enter: dni miesiąca; d: dni)"),
        "month_days": N_("{month}: zużycie dobowe (Enter: godziny; Backspace: miesiące)"),
        "hours": N_("{day}: zużycie godzinowe (Backspace: wróć)"),
        "cut": N_(" — pokazano najnowsze {shown} z {total}"),
        "period": N_("Okres"),
        "litres": N_("Zużycie [m³]"),
        "total": N_("Razem"),
        "empty": N_("Brak danych w tym okresie."),
    },
)


class ReadingSeries(Vertical):
    """Levels: "month" → "days" of one month → "hours" of one day; or "day" → "hours"."""

    DEFAULT_CSS = """
    ReadingSeries { height: 1fr; }
    ReadingSeries > #series-title { height: 1; text-style: bold; }
    ReadingSeries > DataTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace", "up", "Wróć", id="series.up"),
    ]

    class HoursWanted(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self._daily: list[SeriesPoint] = []
        self.level = "month"  # "month" | "day" | "days" (of a month) | "hours"
        self._back = "month"
        self._month: date | None = None
        self.hours_of: date | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="series-title")
        table: DataTable[str | Text] = ListTable(id="series-table", cursor_type="row")
        table.add_column(Text(TEXT["period"]), key="period", width=22)
        table.add_column(Text(TEXT["litres"]), key="litres", width=14)
        yield table

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#series-table", DataTable)

    def set_daily(self, points: Sequence[SeriesPoint]) -> None:
        self._daily = list(points)
        self.show(self.level if self.level in ("day", "month") else self._back)

    def show(self, level: str) -> None:
        """Show the whole series by "day" or by "month"."""
        self.level = self._back = level
        if level == "month":
            points = aggregate(self._daily, Resolution.MONTH)
            title = TEXT["by_month"].format(count=len(points))
            self._fill(points, title, lambda p: f"{MONTHS[p.start.month - 1]} {p.start.year}")
        else:
            title = n_(
                "Zużycie dobowe, {count} dzień (Enter: godziny; m: miesiące)",
                "Zużycie dobowe, {count} dni (Enter: godziny; m: miesiące)",
                len(self._daily),
            )
            self._fill(
                self._daily, title, lambda p: f"{day(p.start)} {WEEKDAYS[p.start.weekday()]}"
            )

    def show_hours(self, of: date, points: Sequence[SeriesPoint]) -> None:
        self.level, self.hours_of = "hours", of
        self._fill(points, TEXT["hours"].format(day=day(of)), lambda p: p.start.strftime("%H:00"))

    def _show_month_days(self, month: date) -> None:
        self.level, self._month = "days", month
        points = [
            p for p in self._daily if (p.start.year, p.start.month) == (month.year, month.month)
        ]
        title = TEXT["month_days"].format(month=f"{MONTHS[month.month - 1]} {month.year}")
        self._fill(points, title, lambda p: day(p.start))

    def _fill(self, points: Sequence[SeriesPoint], title: str, label: object) -> None:
        """Days and months newest first, the hours of a day in their order."""
        table = self.table
        table.clear()
        shown = list(points)[-MAX_ROWS:]
        if self.level != "hours":
            shown.reverse()
        if len(shown) < len(points):
            title += TEXT["cut"].format(shown=len(shown), total=len(points))
        self.query_one("#series-title", Static).update(Text(title))
        for point in shown:
            table.add_row(
                label(point),  # type: ignore[operator]
                Text(m3(point.litres), justify="right"),
                key=point.start.isoformat(),
            )
        if not shown:
            table.add_row(TEXT["empty"], "")
        else:
            total = sum(p.litres for p in points)
            table.add_row(
                Text(TEXT["total"], style="bold"),
                Text(m3(total), style="bold", justify="right"),
                key="total",
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is None or key == "total":
            return
        start = datetime.fromisoformat(key)
        if self.level == "month":
            self._show_month_days(start.date())
        elif self.level in ("day", "days"):
            self.post_message(self.HoursWanted(start.date()))

    def action_up(self) -> None:
        if self.level == "hours" and self._back == "month" and self._month is not None:
            self._show_month_days(self._month)
        elif self.level in ("hours", "days"):
            self.show(self._back)
