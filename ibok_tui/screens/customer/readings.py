"""Odczyty: the meters, the chosen meter's readings, a smart meter's series; submitting,
correcting and withdrawing a reading."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from ...backends.base import Conflict
from ...domain.changes import Change
from ...domain.models import Meter, Reading, ReadingStatus, Resolution, SeriesPoint
from ...domain.readings import is_editable
from ...i18n import N_, P_, Messages
from ...i18n.problems import error_text
from ...widgets.reading_format import (
    METER_STATUS,
    READING_STATUS,
    READING_TYPE,
    RESOLUTION,
    day,
    m3,
)
from ...widgets.reading_series import MAX_ROWS, ReadingSeries
from ...widgets.sorting import SortOrder
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen
from ..forms.dialogs import ConfirmDialog
from ..forms.reading_form import ReadingForm

TEXT: Messages[str] = Messages(
    {
        "filter": N_("Filtruj wodomierze: numer, miejsce, stan (/)"),
        "serial": N_("Numer"),
        "location": N_("Miejsce"),
        "status": N_("Stan"),
        "date": N_("Data"),
        "index": N_("Stan [m³]"),
        "consumption": N_("Zużycie [m³]"),
        "type": P_("reading type", "Rodzaj"),
        "reading_status": N_("Status"),
        "meter_title": N_(
            "Wodomierz {serial} ({location}), dane: {resolution}. "
            "n: podaj odczyt, p: popraw, Del: wycofaj, s: sortuj"
        ),
        "no_meter": N_("Wybierz wodomierz."),
        "no_readings": N_("Brak odczytów."),
        "accepted": N_("Odczyt przyjęty: {index} m³, oczekuje na import przez wodociągi."),
        "edited": N_("Odczyt poprawiony: {index} m³."),
        "withdrawn": N_("Odczyt z {date} wycofany."),
        "not_editable": N_("Ten odczyt został już przyjęty przez wodociągi: nie można go zmienić."),
        "choose_pending": N_("Wybierz odczyt oczekujący na import."),
        "withdraw_title": N_("Wycofanie odczytu"),
        "withdraw_q": N_("Wycofać odczyt {index} m³ z {date}? Wodociągi go nie zaimportują."),
        "withdraw_yes": N_("Wycofaj"),
        "withdraw_no": N_("Zostaw"),
        "more": N_("… pokazano ostatnie {shown} z {total} odczytów"),
    },
)
READING_COLUMNS = ("date", "index", "consumption", "type", "status")
WIDTHS = {"date": 10, "index": 10, "consumption": 12, "type": 16, "status": 18}
# narrow (ListTable.column_priorities): the date, the index and the status stay longest
PRIORITIES = {"date": 10, "index": 9, "consumption": 6, "type": 4, "status": 8}
SORT_KEYS: dict[str, Callable[[Reading], Any]] = {
    "date": lambda r: (r.read_on, r.submitted_at.timestamp() if r.submitted_at else 0),
    "index": lambda r: r.index,
    "consumption": lambda r: -1 if r.consumption is None else r.consumption,
    "type": lambda r: READING_TYPE[r.type],
    "status": lambda r: READING_STATUS[r.status],
}
SMART = (Resolution.HOUR, Resolution.DAY)
STATUS_STYLE = {ReadingStatus.PENDING: "bold yellow", ReadingStatus.WITHDRAWN: "dim strike"}


def withdraw_question(reading: Reading) -> ConfirmDialog:
    """The question before a submitted reading is withdrawn (Del): Enter on the focused
    Zostaw keeps it, ctrl+s withdraws, Esc leaves."""
    question = TEXT["withdraw_q"].format(index=m3(reading.index), date=day(reading.read_on))
    return ConfirmDialog(
        TEXT["withdraw_title"], question, TEXT["withdraw_yes"], cancel=TEXT["withdraw_no"]
    )


class ReadingsScreen(TabScreen):
    """Odczyty: historia odczytów każdego wodomierza, zużycie dzienne i miesięczne; podanie,
    poprawa i wycofanie odczytu."""

    TAB_ID = "odczyty"
    TAB_TITLE = N_("Odczyty")
    SHOWS = frozenset({Change.READINGS, Change.METERS})
    AUTO_FOCUS = "#meter-table"
    DEFAULT_CSS = """
    ReadingsScreen #meters-pane { width: 43; height: 1fr; border-right: vkey $foreground 20%; }
    ReadingsScreen #meter-table { height: 1fr; }
    ReadingsScreen #readings-pane { width: 1fr; height: 1fr; padding-left: 1; }
    ReadingsScreen #meter-title { height: auto; text-style: bold; }
    ReadingsScreen #reading-table { height: 1fr; }
    ReadingsScreen ReadingSeries { display: none; }
    ReadingsScreen.smart ReadingSeries { display: block; }
    """
    NEEDS_SERVER = frozenset({"edit_reading", "withdraw_reading"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "submit_reading", "Podaj odczyt", id="readings.submit"),
        Binding("p", "edit_reading", "Popraw", id="readings.edit"),
        Binding("delete", "withdraw_reading", "Wycofaj", id="readings.withdraw"),
        Binding("s", "sort", "Sortuj", id="readings.sort", show=False),
        Binding("d", "series('day')", "Dni", id="readings.days", show=False),
        Binding("m", "series('month')", "Miesiące", id="readings.months", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.meters: list[Meter] = []
        self.readings: dict[str, list[Reading]] = {}
        self.meter_id: str | None = None
        self.order: SortOrder[Reading] = SortOrder(SORT_KEYS, "date", reverse=True)
        self.series_loaded: str | None = None  # the meter whose daily series is shown

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="meters-pane"):
                yield Input(placeholder=TEXT["filter"], id="meter-filter", classes="filter")
                meters: DataTable[str | Text] = ListTable(id="meter-table", cursor_type="row")
                meters.add_column(TEXT["serial"], key="serial", width=13)
                meters.add_column(TEXT["location"], key="location", width=15)
                meters.add_column(TEXT["status"], key="status", width=7)
                yield meters
            with Vertical(id="readings-pane"):
                yield Static(TEXT["no_meter"], id="meter-title")
                table: ListTable[str | Text] = ListTable(id="reading-table", cursor_type="row")
                table.column_priorities = tuple(PRIORITIES[key] for key in READING_COLUMNS)
                for key in READING_COLUMNS:
                    label = TEXT["reading_status" if key == "status" else key]
                    table.add_column(Text(label), key=key, width=WIDTHS[key])
                yield table
                yield ReadingSeries(id="series")

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        """The meters, and the chosen meter's readings and series, in one worker."""
        self.readings.clear()
        self.series_loaded = None
        wanted = self.meter_id

        async def fetch() -> tuple[list[Meter], Meter | None, list[Reading], list[SeriesPoint]]:
            meters = await self.backend.meters()
            mine = self.of_property(meters, lambda m: m.property_id)
            meter = next((m for m in mine if m.id == wanted), mine[0] if mine else None)
            if meter is None:
                return meters, None, [], []
            readings = await self.backend.readings(meter.id)
            series: list[SeriesPoint] = []
            if meter.resolution in SMART:
                series = await self.backend.series(meter.id, Resolution.DAY)
            return meters, meter, readings, series

        self.call(fetch, self._got_all, group="meters")

    def _got_all(
        self, found: tuple[list[Meter], Meter | None, list[Reading], list[SeriesPoint]]
    ) -> None:
        self.meters, meter, readings, series = found
        if meter is not None:
            self.meter_id = meter.id
            self.readings[meter.id] = readings
            if meter.resolution in SMART:
                self.series_loaded = meter.id
                self.query_one(ReadingSeries).set_daily(series)
        self._fill_meters()
        if meter is not None:
            self._open_meter(meter.id)

    def _fill_meters(self) -> None:
        needle = self.query_one("#meter-filter", Input).value.strip().casefold()
        table = self.query_one("#meter-table", DataTable)
        table.clear()
        mine = self.of_property(self.meters, lambda m: m.property_id)
        self.show_property_note(len(mine), len(self.meters))
        for meter in mine:
            status = METER_STATUS[meter.status]
            if needle and not any(
                needle in text.casefold() for text in (meter.serial, meter.location, status)
            ):
                continue
            table.add_row(meter.serial, Text(meter.location), status, key=meter.id)
            if meter.id == self.meter_id:
                table.move_cursor(row=table.row_count - 1)

    def property_changed(self) -> None:
        """Only the chosen property's meters; the first of them when the shown one is not."""
        mine = self.of_property(self.meters, lambda m: m.property_id)
        if mine and self.meter_id not in {m.id for m in mine}:
            self.meter_id = mine[0].id
            self._open_meter(mine[0].id)
        elif not mine:
            self.meter_id = None
            self.set_class(False, "smart")
            self.query_one("#meter-title", Static).update(TEXT["no_meter"])
            self.query_one("#reading-table", DataTable).clear()
        self._fill_meters()

    @on(Input.Changed, "#meter-filter")
    def _filter_changed(self) -> None:
        self._fill_meters()

    @on(DataTable.RowHighlighted, "#meter-table")
    def _meter_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if key is not None and key != self.meter_id:
            self._open_meter(key)

    def _meter(self, meter_id: str | None) -> Meter | None:
        return next((m for m in self.meters if m.id == meter_id), None)

    def _open_meter(self, meter_id: str) -> None:
        self.meter_id = meter_id
        meter = self._meter(meter_id)
        if meter is None:
            return
        self.query_one("#meter-title", Static).update(
            Text(
                TEXT["meter_title"].format(
                    serial=meter.serial,
                    location=meter.location,
                    resolution=RESOLUTION[meter.resolution],
                )
            )
        )
        smart = meter.resolution in SMART
        self.set_class(smart, "smart")
        if meter_id in self.readings:
            self._fill_readings()
        else:
            self.query_one("#reading-table", DataTable).clear()
            self.call(
                lambda: self.backend.readings(meter_id),
                lambda found: self._got_readings(meter_id, found),
                group="readings",
            )
        if smart and self.series_loaded != meter_id:
            self.call(
                lambda: self.backend.series(meter_id, Resolution.DAY),
                lambda points: self._got_series(meter_id, points),
                group="series",
            )

    def _got_readings(self, meter_id: str, readings: list[Reading]) -> None:
        self.readings[meter_id] = readings
        if meter_id == self.meter_id:
            self._fill_readings()

    def _got_series(self, meter_id: str, points: list[SeriesPoint]) -> None:
        if meter_id == self.meter_id:
            self.series_loaded = meter_id
            self.query_one(ReadingSeries).set_daily(points)

    # --- the readings table ------------------------------------------------------------------

    def _fill_readings(self) -> None:
        table = self.query_one("#reading-table", DataTable)
        table.clear(columns=True)
        for key in READING_COLUMNS:
            label = TEXT["reading_status" if key == "status" else key] + self.order.arrow(key)
            table.add_column(Text(label), key=key, width=WIDTHS[key])
        readings = self.order.apply(self.readings.get(self.meter_id or "", []))
        shown = readings[:MAX_ROWS]
        for reading in shown:
            style = STATUS_STYLE.get(reading.status, "")
            table.add_row(
                day(reading.read_on),
                Text(m3(reading.index), justify="right"),
                Text(m3(reading.consumption), justify="right"),
                READING_TYPE[reading.type],
                Text(READING_STATUS[reading.status], style=style),
                key=reading.id,
            )
        if len(shown) < len(readings):
            table.add_row(Text(TEXT["more"].format(shown=len(shown), total=len(readings))))
        if not readings:
            table.add_row(TEXT["no_readings"])

    @on(DataTable.HeaderSelected, "#reading-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        if self.order.header_selected(str(event.column_key.value)):
            self._fill_readings()

    def action_sort(self) -> None:
        """Next column, ascending; the same column again reverses."""
        self.order.advance()
        self._fill_readings()

    @on(DataTable.RowSelected, "#reading-table")
    def _reading_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a reading: its detail with its history."""
        event.stop()
        reading = self.selected_reading()
        if reading is not None:
            from .reading_detail import ReadingDetail

            self.app.push_screen(ReadingDetail(reading, self._meter(reading.meter_id)))

    def selected_reading(self) -> Reading | None:
        key = highlighted_key(self.query_one("#reading-table", DataTable))
        if key is None:
            return None
        return next((r for r in self.readings.get(self.meter_id or "", []) if r.id == key), None)

    def _replace(self, reading: Reading) -> None:
        found = self.readings.setdefault(reading.meter_id, [])
        self.readings[reading.meter_id] = [r for r in found if r.id != reading.id] + [reading]
        if reading.meter_id == self.meter_id:
            self._fill_readings()
            table = self.query_one("#reading-table", DataTable)
            table.move_cursor(row=table.get_row_index(reading.id))

    # --- submit, edit, withdraw --------------------------------------------------------------

    def action_submit_reading(self) -> None:
        def done(reading: Reading | None) -> None:
            if reading is not None:
                self._replace(reading)
                self.notify(TEXT["accepted"].format(index=m3(reading.index)))

        self.app.push_screen(ReadingForm(meter_id=self.meter_id), done)

    def _pending_selected(self) -> Reading | None:
        reading = self.selected_reading()
        if reading is None:
            self.notify(TEXT["choose_pending"], severity="warning")
        elif not is_editable(reading):
            self.notify(TEXT["not_editable"], severity="warning")
            return None
        return reading

    def action_edit_reading(self) -> None:
        reading = self._pending_selected()
        if reading is None:
            return

        def done(edited: Reading | None) -> None:
            if edited is not None:
                self._replace(edited)
                self.notify(TEXT["edited"].format(index=m3(edited.index)))

        self.app.push_screen(ReadingForm(editing=reading), done)

    def action_withdraw_reading(self) -> None:
        reading = self._pending_selected()
        if reading is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call(
                    lambda: self.backend.withdraw_reading(reading.id),
                    self._withdrawn,
                    group="withdraw",
                    on_error=self._refused,
                )

        self.app.push_screen(withdraw_question(reading), answered)

    def _withdrawn(self, reading: Reading) -> None:
        self._replace(reading)
        self.notify(TEXT["withdrawn"].format(date=day(reading.read_on)))

    def _refused(self, error: BaseException) -> bool:
        """Imported meanwhile: say so and show the readings as they are now."""
        if not isinstance(error, Conflict):
            return False
        self.notify(error_text(error), severity="warning")
        if self.meter_id is not None:
            self.readings.pop(self.meter_id, None)
            self._open_meter(self.meter_id)
        return True

    # --- the series ------------------------------------------------------------------------

    def action_series(self, level: str) -> None:
        if self.has_class("smart"):
            self.query_one(ReadingSeries).show(level)

    def on_reading_series_hours_wanted(self, event: ReadingSeries.HoursWanted) -> None:
        meter_id, wanted = self.meter_id, event.day
        if meter_id is None:
            return
        self.call(
            lambda: self.backend.series(meter_id, Resolution.HOUR, wanted, wanted),
            lambda points: self.query_one(ReadingSeries).show_hours(wanted, points),
            group="hours",
        )
