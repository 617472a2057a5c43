"""Zgłoszenia: everything the customer sent, with status, due date and whole history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from ...domain.changes import Change
from ...domain.deadlines import is_overdue
from ...domain.models import (
    CUSTOMER_AUTHOR,
    OPEN_REQUEST_STATUSES,
    Profile,
    RequestCategory,
    ServiceRequest,
)
from ...i18n import N_, Messages
from ...widgets.reading_format import REQUEST_CATEGORY, REQUEST_STATUS, day, stamp
from ...widgets.sorting import SortOrder
from ...widgets.tables import ListTable
from ..forms.base import TabScreen
from ..forms.request_form import RequestForm

TEXT: Messages[str] = Messages(
    {
        "filter": N_("Filtruj: numer, temat, rodzaj (/)"),
        "all": N_("wszystkie"),
        "open": N_("otwarte"),
        "done": N_("zakończone"),
        "number": N_("Numer"),
        "category": N_("Rodzaj"),
        "subject": N_("Temat"),
        "status": N_("Status"),
        "created": N_("Złożone"),
        "due": N_("Termin"),
        "none": N_("Brak zgłoszeń."),
        "choose": N_("Wybierz zgłoszenie, aby zobaczyć jego historię. n: nowe zgłoszenie"),
        "complaint": N_("Reklamacja: odpowiedź w ciągu 14 dni od złożenia, do {due}."),
        "left": N_(" Zostało dni: {days}."),
        "overdue": N_(" Termin minął."),
        "meter": N_("Wodomierz: {meter}"),
        "history": N_("Historia"),
        "customer": N_("klient"),
        "created_ok": N_("Zgłoszenie {number} wysłane. Termin odpowiedzi: {due}."),
    },
)
COLUMNS = ("number", "category", "subject", "status", "created", "due")
WIDTHS = {"number": 14, "category": 26, "subject": 30, "status": 16, "created": 10, "due": 10}
# too narrow (80 columns): the date filed goes first, then the category; Status stays
PRIORITIES = {"number": 9, "category": 3, "subject": 6, "status": 10, "created": 2, "due": 5}
SORT_KEYS: dict[str, Callable[[ServiceRequest], Any]] = {
    "number": lambda r: r.number,
    "category": lambda r: REQUEST_CATEGORY[r.category],
    "subject": lambda r: r.subject.casefold(),
    "status": lambda r: REQUEST_STATUS[r.status],
    "created": lambda r: r.created_at,
    "due": lambda r: r.due_date,
}


class RequestsScreen(TabScreen):
    """Zgłoszenia: zgłoszenia i reklamacje z terminami odpowiedzi i historią; nowe
    zgłoszenie."""

    TAB_ID = "zgloszenia"
    TAB_TITLE = N_("Zgłoszenia")
    SHOWS = frozenset({Change.REQUESTS})
    AUTO_FOCUS = "#request-table"
    DEFAULT_CSS = """
    RequestsScreen #request-filters { height: 3; }
    RequestsScreen #request-filter { width: 1fr; }
    RequestsScreen #status-filter { width: 24; }
    RequestsScreen #request-table { height: 1fr; }
    RequestsScreen #request-detail { height: 1fr; border-top: hkey $foreground 20%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_request", "Nowe zgłoszenie", id="requests.new"),
        Binding("s", "sort", "Sortuj", id="requests.sort"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[ServiceRequest] = []
        self.today: date | None = None
        self.order: SortOrder[ServiceRequest] = SortOrder(SORT_KEYS, "created", reverse=True)
        self.shown_id: str | None = None
        self.meter_names: dict[str, str] = {}
        self.meter_places: dict[str, str] = {}  # meter id: its property's id

    def compose_body(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="request-filters"):
                yield Input(placeholder=TEXT["filter"], id="request-filter", classes="filter")
                yield Select[str](
                    [(TEXT["all"], "all"), (TEXT["open"], "open"), (TEXT["done"], "done")],
                    value="all",
                    allow_blank=False,
                    id="status-filter",
                )
            yield ListTable[str | Text](id="request-table", cursor_type="row")
            with VerticalScroll(id="request-detail"):
                yield Static(TEXT["choose"], id="request-body")

    def load(self) -> None:
        async def fetch() -> tuple[Profile, list[ServiceRequest]]:
            return await self.backend.profile(), await self.backend.requests()

        self.call(fetch, self._got)

    def _got(self, found: tuple[Profile, list[ServiceRequest]]) -> None:
        profile, self.items = found
        self.today = profile.data_as_of + timedelta(days=1)
        self.meter_names = {
            meter.id: f"{meter.serial} ({meter.location})"
            for place in profile.properties
            for point in place.points
            for meter in point.meters
        }
        self.meter_places = {
            meter.id: place.id
            for place in profile.properties
            for point in place.points
            for meter in point.meters
        }
        self._fill()

    def property_changed(self) -> None:
        self._fill()

    def _of_property(self) -> list[ServiceRequest]:
        """A request about a meter belongs to its property; the others, to the account."""
        return self.of_property(self.items, lambda r: self.meter_places.get(r.meter_id or ""))

    def _visible(self) -> list[ServiceRequest]:
        needle = self.query_one("#request-filter", Input).value.strip().casefold()
        which = self.query_one("#status-filter", Select).value
        found = []
        for item in self._of_property():
            is_open = item.status in OPEN_REQUEST_STATUSES
            if (which == "open" and not is_open) or (which == "done" and is_open):
                continue
            haystack = (item.number, item.subject, REQUEST_CATEGORY[item.category])
            if needle and not any(needle in text.casefold() for text in haystack):
                continue
            found.append(item)
        return self.order.apply(found)

    def _fill(self) -> None:
        table = self.query_one("#request-table", ListTable)
        table.clear(columns=True)
        table.column_priorities = tuple(PRIORITIES[key] for key in COLUMNS)
        for key in COLUMNS:
            table.add_column(Text(TEXT[key] + self.order.arrow(key)), key=key, width=WIDTHS[key])
        visible = self._visible()
        self.show_property_note(len(self._of_property()), len(self.items))
        for item in visible:
            late = self.today is not None and is_overdue(item.due_date, self.today, item.status)
            table.add_row(
                item.number,
                REQUEST_CATEGORY[item.category],
                Text(item.subject),
                REQUEST_STATUS[item.status],
                day(item.created_at),
                Text(day(item.due_date), style="bold red" if late else ""),
                key=item.id,
            )
        if not visible:
            table.add_row(TEXT["none"])
        elif self.shown_id is not None and self.shown_id in {i.id for i in visible}:
            table.move_cursor(row=table.get_row_index(self.shown_id))

    @on(Input.Changed, "#request-filter")
    @on(Select.Changed, "#status-filter")
    def _filters_changed(self) -> None:
        if self.items:
            self._fill()

    @on(DataTable.HeaderSelected, "#request-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        if self.order.header_selected(str(event.column_key.value)):
            self._fill()

    def action_sort(self) -> None:
        self.order.advance()
        self._fill()

    @on(DataTable.RowHighlighted, "#request-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        found = next((i for i in self.items if i.id == event.row_key.value), None)
        if found is not None:
            self.show_detail(found)

    @on(DataTable.RowSelected, "#request-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a request: its detail and history in a dialog of their own (the pane
        under the list shows only its first lines at 80×24)."""
        event.stop()
        found = next((i for i in self.items if i.id == event.row_key.value), None)
        if found is not None:
            from ..forms.dialogs import TextDialog

            self.app.push_screen(TextDialog(found.number, self.detail_text(found)))

    def show_detail(self, item: ServiceRequest) -> None:
        self.shown_id = item.id
        self.query_one("#request-body", Static).update(self.detail_text(item))

    def detail_text(self, item: ServiceRequest) -> Text:
        out = Text()
        out.append(f"{item.number}  ", style="bold")
        out.append(f"{REQUEST_CATEGORY[item.category]}, {REQUEST_STATUS[item.status]}\n")
        out.append(item.subject + "\n", style="bold")
        out.append(item.body + "\n")
        if item.meter_id:
            name = self.meter_names.get(item.meter_id, item.meter_id)
            out.append(TEXT["meter"].format(meter=name) + "\n")
        if item.category is RequestCategory.COMPLAINT:
            out.append_text(self._complaint_deadline(item))
            out.append("\n")
        else:
            out.append(f"{TEXT['due']}: {day(item.due_date)}\n")
        out.append(f"\n{TEXT['history']}\n", style="bold underline")
        for event in item.history:
            out.append(f"{stamp(event.at)}  {REQUEST_STATUS[event.status]}  ", style="bold")
            # the customer's own events by their code ("klient" from an older server)
            by_customer = event.author in (CUSTOMER_AUTHOR, "klient")
            out.append(TEXT["customer"] if by_customer else event.author)
            if event.text:
                out.append(f": {event.text}")
            out.append("\n")
        out.rstrip()
        return out

    def _complaint_deadline(self, item: ServiceRequest) -> Text:
        text = Text(TEXT["complaint"].format(due=day(item.due_date)), style="bold")
        if self.today is not None and item.status in OPEN_REQUEST_STATUSES:
            left = (item.due_date - self.today).days
            if left < 0:
                text.append(TEXT["overdue"], style="bold red")
            else:
                text.append(TEXT["left"].format(days=left), style="yellow" if left <= 3 else "")
        return text

    def action_new_request(self) -> None:
        self.open_form(RequestForm())

    def open_form(self, form: RequestForm) -> None:
        def done(created: ServiceRequest | None) -> None:
            if created is None:
                return
            self.items = [created] + [i for i in self.items if i.id != created.id]
            self.shown_id = created.id
            self._fill()
            self.show_detail(created)
            self.notify(TEXT["created_ok"].format(number=created.number, due=day(created.due_date)))

        self.app.push_screen(form, done)
