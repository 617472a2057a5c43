"""Wodomierze: the customer's meters with their details, legalization and sub-meters;
requests to install, replace or remove a garden meter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from ...domain.changes import Change
from ...domain.models import Meter, MeterRole, RequestCategory, ServiceRequest
from ...i18n import N_, Messages
from ...widgets.reading_format import (
    LEGALIZATION_STYLE,
    METER_OWNER,
    METER_ROLE,
    METER_STATUS,
    RESOLUTION,
    day,
    legalization,
)
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen
from ..forms.request_form import RequestForm

TEXT: Messages[str] = Messages(
    {
        "filter": N_("Filtruj po numerze wodomierza (/)"),
        "serial": N_("Numer"),
        "role": N_("Rodzaj"),
        "location": N_("Miejsce"),
        "status": N_("Stan"),
        "legalization": N_("Legalizacja do"),
        "property": N_("Posesja"),
        "none": N_("Brak wodomierzy."),
        "detail_title": N_("Wodomierz {serial}"),
        "diameter": N_("Średnica"),
        "owner": N_("Właściciel"),
        "installed": N_("Data montażu"),
        "data": N_("Dane"),
        "parent": N_("Wodomierz główny"),
        "subs": N_("Podliczniki"),
        "no_subs": N_("brak"),
        "actions": N_("g: zgłoś montaż wodomierza ogrodowego · x: wymianę · Del: demontaż"),
        "install_subject": N_("Montaż wodomierza ogrodowego przy wodomierzu {serial}"),
        "replace_subject": N_("Wymiana wodomierza ogrodowego {serial}"),
        "remove_subject": N_("Demontaż wodomierza ogrodowego {serial}"),
        "sub_only": N_(
            "Wybierz wodomierz ogrodowy (podlicznik), aby zgłosić jego wymianę lub demontaż."
        ),
        "sent": N_("Zgłoszenie {number} wysłane. Termin odpowiedzi: {due}."),
    },
)


# the legalization before the place: at 120 columns the place's end may be cut, not the date
COLUMNS = (
    ("serial", 13),
    ("property", 14),
    ("role", 10),
    ("status", 12),
    ("legalization", 14),
    ("location", 22),
)
# narrow (ListTable.column_priorities): the serial, the legalization and the status stay
PRIORITIES = {
    "serial": 10,
    "property": 5,
    "role": 6,
    "status": 8,
    "legalization": 9,
    "location": 4,
}


class MetersScreen(TabScreen):
    """Wodomierze: wodomierze posesji, ich stan i legalizacja; montaż, wymiana i demontaż
    wodomierza ogrodowego."""

    TAB_ID = "wodomierze"
    TAB_TITLE = N_("Wodomierze")
    SHOWS = frozenset({Change.METERS, Change.READINGS, Change.REQUESTS})
    AUTO_FOCUS = "#meters-table"
    DEFAULT_CSS = """
    MetersScreen #meters-left { width: 1fr; }
    MetersScreen #meters-table { height: 1fr; }
    MetersScreen #meter-detail { width: 44; border-left: vkey $foreground 20%; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "garden('install')", "Montaż ogrodowego", id="meters.garden_install"),
        Binding("x", "garden('replace')", "Wymiana ogrodowego", id="meters.garden_replace"),
        Binding("delete", "garden('remove')", "Demontaż ogrodowego", id="meters.garden_remove"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.meters: list[Meter] = []
        self.meter_id: str | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="meters-left"):
                yield Input(placeholder=TEXT["filter"], id="serial-filter", classes="filter")
                yield ListTable[str | Text](id="meters-table", cursor_type="row")
            with VerticalScroll(id="meter-detail"):
                yield Static(id="meter-info")

    def load(self) -> None:
        self.call(self.backend.meters, self._got)

    def _got(self, meters: list[Meter]) -> None:
        self.meters = meters
        self._fill()

    def _fill(self) -> None:
        needle = self.query_one("#serial-filter", Input).value.strip().casefold()
        table = self.query_one("#meters-table", ListTable)
        places = self._places()
        table.clear(columns=True)
        shown = [(key, width) for key, width in COLUMNS if key != "property" or places]
        table.column_priorities = tuple(PRIORITIES[key] for key, _width in shown)
        for key, width in shown:
            table.add_column(Text(TEXT[key]), key=key, width=width)
        mine = self.of_property(self.meters, lambda m: m.property_id)
        self.show_property_note(len(mine), len(self.meters))
        for meter in mine:
            if needle and needle not in meter.serial.casefold():
                continue
            style = LEGALIZATION_STYLE[meter.legalization]
            cells: list[str | Text] = [meter.serial]
            if places:
                cells.append(Text(places.get(meter.property_id, meter.property_id)))
            cells += [
                METER_ROLE[meter.role],
                METER_STATUS[meter.status],
                Text(day(meter.legalization_expires), style=style),
                Text(meter.location),
            ]
            table.add_row(*cells, key=meter.id)
            if meter.id == self.meter_id:
                table.move_cursor(row=table.row_count - 1)
        if table.row_count == 0:
            table.add_row(TEXT["none"])
            self.query_one("#meter-info", Static).update("")

    def _places(self) -> dict[str, str]:
        """Property id -> its name, while all of several properties are shown ("wszystkie"):
        then the list says whose each meter is; empty otherwise."""
        profile = self.host.profile_data
        if self.chosen_property is not None or profile is None or len(profile.properties) < 2:
            return {}
        return {place.id: str(place.label) for place in profile.properties}

    def property_changed(self) -> None:
        self._fill()
        shown = self._meter(highlighted_key(self.query_one("#meters-table", DataTable)))
        if shown is not None:
            self.meter_id = shown.id
            self.show_detail(shown)

    @on(Input.Changed, "#serial-filter")
    def _filter(self) -> None:
        self._fill()

    @on(DataTable.RowHighlighted, "#meters-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        meter = self._meter(event.row_key.value)
        if meter is not None:
            self.meter_id = meter.id
            self.show_detail(meter)

    def _meter(self, meter_id: str | None) -> Meter | None:
        return next((m for m in self.meters if m.id == meter_id), None)

    @on(DataTable.RowSelected, "#meters-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a meter: its detail in a dialog (at 80 columns the pane beside the
        list is narrow)."""
        event.stop()
        meter = self._meter(event.row_key.value)
        if meter is not None:
            from ..forms.dialogs import TextDialog

            title = TEXT["detail_title"].format(serial=meter.serial)
            self.app.push_screen(TextDialog(title, self.detail_text(meter, pane=False)))

    def show_detail(self, meter: Meter) -> None:
        self.query_one("#meter-info", Static).update(self.detail_text(meter))

    def detail_text(self, meter: Meter, *, pane: bool = True) -> Text:
        """The meter's facts; in the pane beside the list also its title and its keys."""
        out = Text()
        if pane:
            out.append(TEXT["detail_title"].format(serial=meter.serial) + "\n\n", style="bold")
        rows: list[tuple[str, Text | str]] = [
            (TEXT["role"], METER_ROLE[meter.role]),
            (TEXT["diameter"], f"DN {meter.diameter_mm} mm"),
            (TEXT["location"], Text(meter.location)),
            (TEXT["status"], METER_STATUS[meter.status]),
            (TEXT["owner"], METER_OWNER[meter.owner]),
            (TEXT["installed"], day(meter.installed_on)),
            (TEXT["legalization"], legalization(meter.legalization, meter.legalization_expires)),
            (TEXT["data"], RESOLUTION[meter.resolution]),
        ]
        parent = self._meter(meter.parent_id)
        if parent is not None:
            rows.append((TEXT["parent"], f"{parent.serial} ({parent.location})"))
        for label, value in rows:
            out.append(f"{label + ':':<17}", style="bold")
            out.append_text(value if isinstance(value, Text) else Text(value))
            out.append("\n")
        subs = [m for m in self.meters if m.parent_id == meter.id]
        if meter.role is MeterRole.MAIN:
            out.append(f"\n{TEXT['subs']}:\n", style="bold")
            for sub in subs:
                out.append(f"  {sub.serial}  {sub.location}  ")
                out.append_text(legalization(sub.legalization, sub.legalization_expires))
                out.append("\n")
            if not subs:
                out.append(f"  {TEXT['no_subs']}\n")
        if pane:
            out.append("\n" + TEXT["actions"], style="dim")
        out.rstrip()
        return out

    def action_garden(self, what: str) -> None:
        meter = self._meter(self.meter_id)
        if meter is None:
            return
        if what == "install":
            form = RequestForm(
                category=RequestCategory.GARDEN_METER_INSTALL,
                meter_id=meter.id,
                subject=TEXT["install_subject"].format(serial=meter.serial),
            )
        elif meter.role is not MeterRole.SUB:
            self.notify(TEXT["sub_only"], severity="warning")
            return
        else:
            category = (
                RequestCategory.GARDEN_METER_REPLACE
                if what == "replace"
                else RequestCategory.GARDEN_METER_REMOVE
            )
            form = RequestForm(
                category=category,
                meter_id=meter.id,
                subject=TEXT[f"{what}_subject"].format(serial=meter.serial),
            )

        def done(created: ServiceRequest | None) -> None:
            if created is not None:
                self.notify(TEXT["sent"].format(number=created.number, due=day(created.due_date)))

        self.app.push_screen(form, done)
