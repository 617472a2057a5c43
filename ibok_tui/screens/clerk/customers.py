"""Klienci: the clerk finds a customer by number, name, street or meter serial (results as
they type), opens the customer's own tabs, blocks or unblocks the account (with a
reason), issues a new password, records the end of the supply contract and reads the
customer's audit log."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from ...domain.models import AccountStatus, ContractEnd, ContractEndGrace, CustomerSummary
from ...host import host_of
from ...i18n import N_, _, label
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen, run_guarded, translate_bindings

SEARCH_DELAY = 0.25  # seconds of quiet typing before the search runs
MIN_QUERY = 2
MAX_QUERY = 200  # what the server takes
PAGE = 50  # results per call, the backend's default page
COLUMNS = {
    "number": N_("Kod"),
    "name": N_("Klient"),
    "address": N_("Adres"),
    "status": N_("Status"),
    "meters": N_("Wodomierze"),
}
# narrow (ListTable.column_priorities): the number, the name and the account's status stay
# longest; the meters' serials go first, then the address
PRIORITIES = {"number": 10, "name": 9, "address": 7, "status": 8, "meters": 5}
STATUS_STYLE = {
    AccountStatus.ACTIVE: "green",
    AccountStatus.PENDING: "yellow",
    AccountStatus.BLOCKED_BY_OPERATOR: "bold red",
    AccountStatus.BLOCKED_BY_CUSTOMER: "red",
    AccountStatus.REJECTED: "dim",
    AccountStatus.UNREGISTERED: "dim",
    AccountStatus.DEACTIVATED: "dim",
}


class CustomersPane(Vertical):
    """The search field and its results; the keys act on the highlighted customer."""

    DEFAULT_CSS = """
    CustomersPane { height: 1fr; }
    CustomersPane #customer-query { margin: 0 0 1 0; }
    CustomersPane #customers-table { height: 1fr; }
    CustomersPane #customers-note { height: auto; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Obsłuż klienta", id="customers.open_key"),
        Binding("b", "block", "Zablokuj", id="customers.block"),
        Binding("u", "unblock", "Odblokuj", id="customers.unblock"),
        Binding("h", "issue_password", "Link do hasła", id="customers.password"),
        Binding("k", "contract_end", "Koniec umowy", id="customers.contract_end"),
        Binding("a", "audit", "Audyt", id="customers.audit"),
        Binding("n", "more", "Więcej wyników", id="customers.more"),
    ]

    def __init__(self) -> None:
        super().__init__(id="customers-pane")
        translate_bindings(self)
        self.results: list[CustomerSummary] = []
        self.more = False  # whether the last page was full: there may be more
        self._timer: Timer | None = None
        self.searched = ""  # the query whose results are shown

    @property
    def tab(self) -> TabScreen:
        screen = self.screen
        assert isinstance(screen, TabScreen)
        return screen

    def compose(self) -> ComposeResult:
        yield Input(
            id="customer-query",
            placeholder=_("kod nabywcy, nazwisko, ulica lub nr wodomierza"),
            classes="filter",
            compact=True,
            max_length=MAX_QUERY,
        )
        table: ListTable[Any] = ListTable(
            id="customers-table", cursor_type="row", zebra_stripes=True
        )
        table.column_priorities = tuple(PRIORITIES[key] for key in COLUMNS)
        for key in COLUMNS:
            table.add_column(_(COLUMNS[key]), key=key)
        yield table
        yield Static(_("Wpisz co najmniej 2 znaki."), id="customers-note")

    # --- searching ----------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "customer-query":
            return
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self.search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "customer-query":
            return
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.search()
        self.query_one("#customers-table", DataTable).focus()

    def search(self) -> None:
        query = self.query_one("#customer-query", Input).value.strip()
        if len(query) < MIN_QUERY:
            self._show(query, [])
            return
        self.query_one("#customers-note", Static).update(_("Szukam…"))
        backend = self.tab.backend
        self.tab.call(
            lambda: backend.search_customers(query),
            lambda found: self._show(query, found),
            group="customer-search",
        )

    def refresh_results(self) -> None:
        if self.searched:
            self.search()

    def action_more(self) -> None:
        """The next page of the same search, added below the rows shown."""
        if not self.more:
            return
        query, shown = self.searched, list(self.results)
        backend = self.tab.backend
        self.tab.call(
            lambda: backend.search_customers(query, offset=len(shown)),
            lambda found: self._show(query, found, shown),
            group="customer-search",
        )

    def _show(
        self,
        query: str,
        found: list[CustomerSummary],
        shown: list[CustomerSummary] | None = None,
    ) -> None:
        """Show a search's first page, or (`shown` given) add the next one to it."""
        self.searched = query
        self.more = len(found) >= PAGE
        table = self.query_one("#customers-table", DataTable)
        shown = shown or []
        if not shown:
            table.clear()
        known = {c.number for c in shown}
        found = [c for c in found if c.number not in known]  # a row moved in between
        self.results = [*shown, *found]
        for item in found:
            table.add_row(
                item.number,
                Text(item.name),
                Text(item.address),
                Text(label(item.status), style=STATUS_STYLE.get(item.status, "")),
                Text(", ".join(item.meter_serials)),
                key=item.number,
            )
        note = self.query_one("#customers-note", Static)
        if len(query) < MIN_QUERY:
            note.update(_("Wpisz co najmniej 2 znaki."))
        elif not self.results:
            note.update(Text(_("Brak klientów dla „{query}”.", query=query)))
        elif self.more:
            note.update(
                _(
                    "Pokazano: {count}, są następne. n: następne wyniki, Enter: obsłuż klienta.",
                    count=len(self.results),
                )
            )
        else:
            note.update(_("Znaleziono: {count}. Enter: obsłuż klienta.", count=len(self.results)))
        self.refresh_bindings()

    # --- the highlighted customer ---------------------------------------------------------
    def selected(self) -> CustomerSummary | None:
        key = highlighted_key(self.query_one("#customers-table", DataTable))
        if key is None:
            return None
        return next((c for c in self.results if c.number == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in (
            "open",
            "block",
            "unblock",
            "issue_password",
            "contract_end",
            "audit",
            "more",
        ):
            focused = self.screen.focused
            if isinstance(focused, Input):
                return False
            return self.more if action == "more" else self.selected() is not None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        host = host_of(self)
        run_guarded(self.app, lambda: host.serve_customer(chosen), group="desk")

    def action_block(self) -> None:
        self._with_reason(
            "block",
            _("Zablokować dostęp do iBOK?"),
            _("Klient {name} ({number}) nie zaloguje się, dopóki BOK nie odblokuje konta."),
            _("Zablokuj"),
        )

    def action_unblock(self) -> None:
        self._with_reason(
            "unblock",
            _("Odblokować dostęp do iBOK?"),
            _("Klient {name} ({number}) znowu będzie mógł się logować."),
            _("Odblokuj"),
        )

    def _with_reason(self, what: str, title: str, message: str, confirm: str) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        from .operator_dialogs import ReasonDialog

        backend = self.tab.backend
        number = chosen.number

        request = backend.block_account if what == "block" else backend.unblock_account
        done = _("Konto zablokowane.") if what == "block" else _("Konto odblokowane.")

        def changed(result: object) -> None:
            if result is not None:
                self._after(done)

        text = message.format(name=chosen.name, number=number)
        dialog = ReasonDialog(title, text, confirm).send_with(
            lambda reason: request(number, reason)
        )
        self.app.push_screen(dialog, changed)

    def action_issue_password(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        from ..forms.dialogs import ConfirmDialog

        backend = self.tab.backend
        number = chosen.number

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.tab.call(
                    lambda: backend.issue_password(number),
                    lambda _result: self._after(
                        _("Wysłano e-mailem link do ustawienia hasła (ważny 72 godziny).")
                    ),
                    group="customer-change",
                )

        self.app.push_screen(
            ConfirmDialog(
                _("Wysłać link do nowego hasła?"),
                _(
                    "Klient {name} ({number}) dostanie e-mailem jednorazowy link do ustawienia"
                    " hasła. Dotychczasowe hasło przestanie działać, a otwarte sesje się"
                    " zakończą."
                ).format(name=chosen.name, number=number),
                _("Wyślij link"),
            ),
            confirmed,
        )

    def action_contract_end(self) -> None:
        """The end of the supply contract: the grace period is fetched first, so the dialog
        says when the account closes."""
        chosen = self.selected()
        if chosen is None:
            return
        from .contract_end import ContractEndDialog, recorded_text
        from .queue import office_today

        backend = self.tab.backend

        def ask(grace: ContractEndGrace) -> None:
            dialog = ContractEndDialog(
                backend, chosen.number, chosen.name, office_today(self), grace
            )

            def recorded(end: ContractEnd | None) -> None:
                if end is not None:
                    self._after(recorded_text(end))

            self.app.push_screen(dialog, recorded)

        self.tab.call(backend.contract_end_grace, ask, group="customer-change")

    def action_audit(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        from .audit import AuditDialog

        self.app.push_screen(AuditDialog(self.tab.backend, chosen.number, chosen.name))

    def _after(self, message: str) -> None:
        self.notify(message)
        self.refresh_results()
