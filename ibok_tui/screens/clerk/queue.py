"""Kolejka: the office's work queue. Registrations to activate or reject, requests by due
date (the overdue marked) to reply to, re-status or close, readings waiting for import
(several at once) and notices to publish."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from ...domain.deadlines import is_overdue
from ...domain.models import (
    Notice,
    PendingReading,
    PendingRegistration,
    RequestStatus,
    ServiceRequest,
)
from ...host import host_of
from ...i18n import _, day, label, moment
from ...widgets.reading_format import REQUEST_CATEGORY, REQUEST_STATUS, m3, route_cell, route_line
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen, translate_bindings

WARSAW = ZoneInfo("Europe/Warsaw")
SECTIONS = ("queue-registrations", "queue-requests", "queue-readings", "queue-notices")


def office_today(node: DOMNode) -> date:
    """Today at the office by the console's clock (pinned by tests and IBOK_CLOCK)."""
    return host_of(node).now().astimezone(WARSAW).date()


def _table(table_id: str, columns: list[tuple[str, str, int]]) -> DataTable[Any]:
    """A section's list: its columns as (title, key, priority); when the window is narrow
    the lowest priorities are left out first (ListTable.column_priorities)."""
    table: ListTable[Any] = ListTable(id=table_id, cursor_type="row", zebra_stripes=True)
    table.column_priorities = tuple(priority for _title, _key, priority in columns)
    for title, key, _priority in columns:
        table.add_column(title, key=key)
    return table


class QueuePane(Vertical):
    """Four sections, each a list; the keys act on the section in front of the clerk."""

    DEFAULT_CSS = """
    QueuePane { height: 1fr; }
    QueuePane TabbedContent, QueuePane TabPane { height: 1fr; }
    QueuePane DataTable { height: 1fr; }
    QueuePane .queue-note { height: auto; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "section(1)", "Następna sekcja", id="queue.next"),
        Binding("left_square_bracket", "section(-1)", "Poprzednia sekcja", id="queue.prev"),
        Binding("a", "activate", "Aktywuj", id="queue.activate"),
        Binding("x", "reject", "Odrzuć", id="queue.reject"),
        Binding("o", "reply", "Odpowiedz", id="queue.reply"),
        Binding("s", "status", "Zmień status", id="queue.status"),
        Binding("z", "close_request", "Zamknij zgłoszenie", id="queue.close"),
        Binding("space", "mark", "Zaznacz", id="queue.toggle"),
        Binding("w", "select_all", "Zaznacz wszystkie", id="queue.all"),
        Binding("i", "import", "Importuj", id="queue.import"),
        Binding("n", "notice", "Nowy komunikat", id="queue.notice"),
    ]

    def __init__(self) -> None:
        super().__init__(id="queue-pane")
        translate_bindings(self)
        self.registrations: list[PendingRegistration] = []
        self.requests: list[ServiceRequest] = []
        self.readings: list[PendingReading] = []
        self.notices: list[Notice] = []
        self.marked: set[str] = set()  # reading ids chosen for import

    @property
    def tab(self) -> TabScreen:
        screen = self.screen
        assert isinstance(screen, TabScreen)
        return screen

    def compose(self) -> ComposeResult:
        with TabbedContent(id="queue-sections"):
            with TabPane(_("Rejestracje"), id="queue-registrations"):
                yield _table(
                    "registrations-table",
                    [
                        (_("Kod"), "number", 9),
                        (_("Imię i nazwisko"), "name", 8),
                        (_("E-mail"), "email", 6),
                        (_("Zgłoszono"), "at", 5),
                        (_("Aktywować do"), "by", 10),
                    ],
                )
                yield Static(_("a: aktywuj, x: odrzuć (z powodem)"), classes="queue-note")
            with TabPane(_("Zgłoszenia"), id="queue-requests"):
                yield _table(
                    "requests-table",
                    [
                        (_("Termin"), "due", 10),
                        (_("Numer"), "number", 9),
                        (_("Klient"), "customer", 6),
                        (_("Przekazano"), "route", 3),
                        (_("Rodzaj"), "category", 4),
                        (_("Temat"), "subject", 7),
                        (_("Status"), "status", 8),
                    ],
                )
                yield Static(id="request-route", classes="queue-note")
                yield Static(_("o: odpowiedz, s: zmień status, z: zamknij"), classes="queue-note")
            with TabPane(_("Odczyty"), id="queue-readings"):
                yield _table(
                    "readings-table",
                    [
                        ("✓", "mark", 10),
                        (_("Klient"), "customer", 8),
                        (_("Wodomierz"), "meter", 7),
                        (_("Data"), "date", 6),
                        (_("Stan (m³)"), "index", 9),
                        (_("Zużycie (m³)"), "used", 5),
                    ],
                )
                yield Static(
                    _("spacja: zaznacz, w: wszystkie, i: importuj zaznaczone"),
                    classes="queue-note",
                    id="readings-note",
                )
            with TabPane(_("Komunikaty"), id="queue-notices"):
                yield _table(
                    "notices-table",
                    [
                        (_("Rodzaj"), "kind", 8),
                        (_("Tytuł"), "title", 10),
                        (_("Od"), "from", 7),
                        (_("Do"), "to", 6),
                        (_("Obszar"), "area", 4),
                    ],
                )
                yield Static(_("n: nowy komunikat"), classes="queue-note")

    # --- loading --------------------------------------------------------------------------
    def load(self) -> None:
        backend = self.tab.backend
        self.tab.call(backend.pending_registrations, self.show_registrations, group="q-reg")
        self.tab.call(backend.request_queue, self.show_requests, group="q-req")
        self.tab.call(backend.pending_readings, self.show_readings, group="q-read")
        self.tab.call(backend.notices, self.show_notices, group="q-notice")

    def _title(self, section: str, text: str, count: int) -> None:
        tabs = self.query_one("#queue-sections", TabbedContent)
        tabs.get_tab(section).label = f"{text} ({count})"

    def show_registrations(self, found: list[PendingRegistration]) -> None:
        self.registrations = found
        table = self.query_one("#registrations-table", DataTable)
        table.clear()
        for item in found:
            table.add_row(
                item.customer_number,
                Text(item.name),
                Text(item.email),
                moment(item.registered_at),
                moment(item.activate_by),
                key=item.customer_number,
            )
        self._title("queue-registrations", _("Rejestracje"), len(found))

    def show_requests(self, found: list[ServiceRequest]) -> None:
        today = office_today(self.app)
        self.requests = sorted(found, key=lambda r: (r.due_date, r.number))
        table = self.query_one("#requests-table", DataTable)
        table.clear()
        for item in self.requests:
            late = is_overdue(item.due_date, today, item.status)
            due = Text(day(item.due_date))
            if late:
                due = Text("! " + day(item.due_date) + _(" po terminie"), style="bold red")
            table.add_row(
                due,
                item.number,
                item.customer_number,
                route_cell(item.route),
                REQUEST_CATEGORY[item.category],
                Text(item.subject),
                REQUEST_STATUS[item.status],
                key=item.id,
            )
        self._title("queue-requests", _("Zgłoszenia"), len(found))
        self._show_route()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "requests-table":
            self._show_route()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row opens what it is about: a registration's check against the
        utility's data, a request with its reply form, a notice's text. A reading waiting
        for import has nothing more to show than its row (space marks it)."""
        opens = {
            "registrations-table": self.action_activate,
            "requests-table": lambda: self._reply(None),
            "notices-table": self._open_notice,
        }.get(event.data_table.id or "")
        if opens is not None:
            event.stop()
            opens()

    def _show_route(self) -> None:
        """Where the highlighted request went, in full, under the list."""
        request_id = self._key("#requests-table")
        request = next((r for r in self.requests if r.id == request_id), None)
        line = route_line(request.route) if request is not None else ""
        self.query_one("#request-route", Static).update(line)

    def show_readings(self, found: list[PendingReading]) -> None:
        self.readings = found
        self.marked &= {p.reading.id for p in found}
        table = self.query_one("#readings-table", DataTable)
        row = table.cursor_row
        table.clear()
        for item in found:
            table.add_row(
                "✓" if item.reading.id in self.marked else " ",
                Text(f"{item.customer_name} ({item.customer_number})"),
                item.meter_serial,
                day(item.reading.read_on),
                m3(item.reading.index),
                m3(item.reading.consumption),
                key=item.reading.id,
            )
        if found:
            table.move_cursor(row=min(row, len(found) - 1))
        self._title("queue-readings", _("Odczyty"), len(found))

    def show_notices(self, found: list[Notice]) -> None:
        self.notices = found
        table = self.query_one("#notices-table", DataTable)
        table.clear()
        for item in found:
            table.add_row(
                label(item.kind),
                Text(item.title),
                day(item.valid_from),
                day(item.valid_to) if item.valid_to else "—",
                Text(item.area),
                key=item.id,
            )

    # --- which section, which row ---------------------------------------------------------
    @property
    def section(self) -> str:
        return self.query_one("#queue-sections", TabbedContent).active

    def action_section(self, step: int) -> None:
        index = (SECTIONS.index(self.section) + step) % len(SECTIONS)
        self.show_section(SECTIONS[index])

    def show_section(self, section: str) -> None:
        self.query_one("#queue-sections", TabbedContent).active = section
        pane = self.query_one(f"#{section}", TabPane)
        pane.query_one(DataTable).focus()

    def _key(self, table_id: str) -> str | None:
        return highlighted_key(self.query_one(table_id, DataTable))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = {
            "activate": "queue-registrations",
            "reject": "queue-registrations",
            "reply": "queue-requests",
            "status": "queue-requests",
            "close_request": "queue-requests",
            "mark": "queue-readings",
            "select_all": "queue-readings",
            "import": "queue-readings",
            "notice": "queue-notices",
        }
        if action in needs:
            return self.section == needs[action]
        return True

    # --- registrations ----------------------------------------------------------------------
    def action_activate(self) -> None:
        number = self._key("#registrations-table")
        if number is None:
            return
        found = [r for r in self.registrations if r.customer_number == number]
        if not found:
            return
        from .registration_check import ActivateRegistrationDialog

        backend = self.tab.backend

        def confirmed(activate: bool | None) -> None:
            if activate:
                self.tab.call(
                    lambda: backend.activate_registration(number),
                    lambda _r: self._done(_("Konto {number} aktywowane.", number=number)),
                    group="q-change",
                )

        self.app.push_screen(ActivateRegistrationDialog(found[0]), confirmed)

    def action_reject(self) -> None:
        number = self._key("#registrations-table")
        if number is None:
            return
        from .operator_dialogs import ReasonDialog

        backend = self.tab.backend

        def rejected(reason: str | None) -> None:
            if reason:
                self._done(_("Rejestracja {number} odrzucona.", number=number))

        self.app.push_screen(
            ReasonDialog(
                _("Odrzucić rejestrację {number}?", number=number),
                _("Klient dostanie wiadomość z powodem odrzucenia."),
                _("Odrzuć"),
            ).send_with(lambda reason: backend.reject_registration(number, reason)),
            rejected,
        )

    # --- requests ------------------------------------------------------------------------
    def _reply(self, status: RequestStatus | None) -> None:
        request_id = self._key("#requests-table")
        request = next((r for r in self.requests if r.id == request_id), None)
        if request is None:
            return
        from .operator_dialogs import ReplyDialog

        backend = self.tab.backend

        def sent(replied: ServiceRequest | None) -> None:
            if replied is not None:
                self._done(
                    _(
                        "Zgłoszenie {number}: {status}.",
                        number=replied.number,
                        status=REQUEST_STATUS[replied.status],
                    )
                )

        def reply(result: tuple[str, RequestStatus]) -> Awaitable[ServiceRequest]:
            text, new_status = result
            return backend.reply_request(request.id, text, new_status)

        self.app.push_screen(ReplyDialog(request, status).send_with(reply), sent)

    def action_reply(self) -> None:
        self._reply(RequestStatus.ANSWERED)

    def action_status(self) -> None:
        self._reply(RequestStatus.IN_PROGRESS)

    def action_close_request(self) -> None:
        self._reply(RequestStatus.CLOSED)

    # --- readings ------------------------------------------------------------------------
    def action_mark(self) -> None:
        reading_id = self._key("#readings-table")
        if reading_id is None:
            return
        self.marked ^= {reading_id}
        table = self.query_one("#readings-table", DataTable)
        table.update_cell(reading_id, "mark", "✓" if reading_id in self.marked else " ")
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_select_all(self) -> None:
        every = {p.reading.id for p in self.readings}
        self.marked = set() if self.marked == every else every
        self.show_readings(self.readings)

    def action_import(self) -> None:
        chosen = [p.reading.id for p in self.readings if p.reading.id in self.marked]
        if not chosen:
            current = self._key("#readings-table")
            chosen = [current] if current is not None else []
        if not chosen:
            return
        backend = self.tab.backend

        def imported(count: int) -> None:
            self.marked -= set(chosen)
            self._done(_("Zaimportowano odczyty: {count}.", count=count))

        self.tab.call(lambda: backend.import_readings(chosen), imported, group="q-change")

    # --- notices -------------------------------------------------------------------------
    def action_notice(self) -> None:
        from .operator_dialogs import NoticeDialog

        backend = self.tab.backend

        def published(notice: Any) -> None:
            if notice is not None:
                self._done(_("Opublikowano: {title}", title=notice.title))

        dialog = NoticeDialog(office_today(self.app)).send_with(backend.publish_notice)
        self.app.push_screen(dialog, published)

    def _open_notice(self) -> None:
        notice_id = self._key("#notices-table")
        notice = next((n for n in self.notices if n.id == notice_id), None)
        if notice is None:
            return
        from ..forms.dialogs import TextDialog

        until = day(notice.valid_to) if notice.valid_to else "—"
        body = Text(f"{label(notice.kind)}, {day(notice.valid_from)} – {until}")
        if notice.area:
            body.append(f"\n{_('Obszar')}: ")
            body.append(notice.area)
        body.append("\n\n")
        body.append(notice.body)
        self.app.push_screen(TextDialog(notice.title, body))

    def _done(self, message: str) -> None:
        """The write is done: the queue heard it from the backend (records_changed)."""
        self.notify(message, markup=False)
