"""Faktury: the invoices sorted by any column (newest first at the start; widgets/sorting.py,
as Odczyty), filtered by number, status and date (a date that is none says why); the
detail with its lines; the PDF saved to the downloads directory and opened; e-invoice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from ...domain.changes import Change
from ...domain.dates import day_problem
from ...domain.models import Invoice, InvoiceStatus
from ...i18n import N_, _, day, label, money
from ...i18n.columns import invoice_headers
from ...widgets.export import day_cell, money_cell
from ...widgets.forms import parse_day
from ...widgets.sorting import SortOrder
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen

COLUMNS = ("number", "kind", "issued", "period", "due", "gross", "paid", "to_pay", "status")
STATUS_ORDER = {status: rank for rank, status in enumerate(InvoiceStatus)}
SORT_KEYS: dict[str, Callable[[Invoice], Any]] = {
    "number": lambda i: i.number,
    "kind": lambda i: (label(i.kind), i.number),
    "issued": lambda i: (i.issue_date, i.number),
    "period": lambda i: (i.period_from, i.period_to, i.number),
    "due": lambda i: (i.due_date, i.number),
    "gross": lambda i: (i.gross, i.number),
    "paid": lambda i: (i.paid, i.number),
    "to_pay": lambda i: (i.to_pay, i.number),
    "status": lambda i: (STATUS_ORDER[i.status], i.number),
}
DATE_PROBLEMS = {
    "format": N_("Data „{which}” {text}: wpisz ją jako dd.mm.rrrr, np. 21.11.2026."),
    "no_such_day": N_("Data „{which}” {text}: nie ma takiego dnia w kalendarzu."),
}


class InvoicesScreen(TabScreen):
    """Faktury: lista faktur z filtrem, szczegóły z pozycjami, PDF i e-faktura."""

    TAB_ID = "faktury"
    TAB_TITLE = N_("Faktury")
    SHOWS = frozenset({Change.BILLING})
    AUTO_FOCUS = "DataTable"
    NEEDS_SERVER = frozenset({"pdf", "e_invoice", "invoice_archive"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Szczegóły", id="faktury.open", show=False),
        Binding("p", "pdf", "Pobierz PDF", id="faktury.pdf"),
        Binding("z", "pay", "Zapłać", id="faktury.pay"),
        Binding("f", "e_invoice", "E-faktura", id="faktury.e_invoice"),
        Binding("a", "invoice_archive", "Archiwum faktur (ZIP)", id="faktury.archive", show=False),
        Binding("s", "sort", "Sortuj", id="faktury.sort", show=False),
    ]
    DEFAULT_CSS = """
    InvoicesScreen #invoice-filters { height: auto; padding: 0 1; }
    InvoicesScreen #invoice-filters Input { width: 1fr; }
    InvoicesScreen #invoice-filters Select { width: 28; }
    InvoicesScreen #invoices-table { height: 1fr; }
    InvoicesScreen #invoices-summary { height: 1; padding: 0 1; color: $text-muted; }
    InvoicesScreen #invoice-filter-problem { display: none; height: auto; padding: 0 1;
        color: $error; }
    InvoicesScreen #invoice-filter-problem.-shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.invoices: list[Invoice] = []
        self.order: SortOrder[Invoice] = SortOrder(SORT_KEYS, "issued", reverse=True)

    def compose_body(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="invoice-filters"):
                yield Input(
                    placeholder=_("/ numer faktury"),
                    id="invoice-number",
                    classes="filter",
                    compact=True,
                )
                statuses = [(label(s), s.value) for s in InvoiceStatus]
                yield Select(
                    statuses, prompt=_("status: wszystkie"), id="invoice-status", compact=True
                )
                yield Input(placeholder=_("od (dd.mm.rrrr)"), id="invoice-from", compact=True)
                yield Input(placeholder=_("do (dd.mm.rrrr)"), id="invoice-to", compact=True)
            yield Static(id="invoice-filter-problem", markup=False)
            yield ListTable(id="invoices-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="invoices-summary")

    def on_mount(self) -> None:
        table = self.query_one("#invoices-table", ListTable)
        # too narrow (80 columns): Okres, Rodzaj, Wystawiona… go first; Do zapłaty stays
        table.column_priorities = (9, 2, 3, 1, 6, 4, 5, 10, 8)
        self._columns()

    def _columns(self) -> None:
        """The headers, the one sorted by marked ▲/▼."""
        table = self.query_one("#invoices-table", ListTable)
        table.clear(columns=True)
        for key, header in zip(COLUMNS, invoice_headers(), strict=True):
            table.add_column(Text(header + self.order.arrow(key)), key=key)

    @on(DataTable.HeaderSelected, "#invoices-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        if self.order.header_selected(str(event.column_key.value)):
            self._columns()
            self.refill()

    def action_sort(self) -> None:
        """Next column, ascending; the same column again reverses (as Odczyty)."""
        self.order.advance()
        self._columns()
        self.refill()

    def load(self) -> None:
        table = self.query_one("#invoices-table", DataTable)
        table.loading = True

        def done(invoices: list[Invoice]) -> None:
            table.loading = False
            self.invoices = invoices
            self.refill()

        def failed(error: BaseException) -> bool:
            table.loading = False
            return False

        self.call(self.backend.invoices, done, on_error=failed)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refill()

    def matching(self) -> list[Invoice]:
        number = self.query_one("#invoice-number", Input).value.strip().lower()
        status = self.query_one("#invoice-status", Select).value
        bounds = []
        problems = []
        for field, which in (("#invoice-from", _("od")), ("#invoice-to", _("do"))):
            box = self.query_one(field, Input)
            problem = day_problem(box.value)
            box.set_class(problem is not None, "-invalid")
            if problem is None:
                bounds.append(parse_day(box.value))
            else:  # not applied: the list is filtered by what can be read
                bounds.append(None)
                text = box.value.strip()
                problems.append(_(DATE_PROBLEMS[problem], which=which, text=text))
        start, end = bounds
        if start and end and start > end:
            problems.append(_("Data „od” jest późniejsza niż „do”: żadna faktura nie pasuje."))
        note = self.query_one("#invoice-filter-problem", Static)
        note.update(Text(" ".join(problems)))
        note.set_class(bool(problems), "-shown")
        found = []
        for invoice in self.of_property(self.invoices, lambda i: i.property_id):
            if number and number not in invoice.number.lower():
                continue
            if isinstance(status, str) and invoice.status.value != status:
                continue
            if (start and invoice.issue_date < start) or (end and invoice.issue_date > end):
                continue
            found.append(invoice)
        return self.order.apply(found)

    def property_changed(self) -> None:
        self.refill()

    def refill(self) -> None:
        table = self.query_one("#invoices-table", DataTable)
        table.clear()
        shown = self.matching()
        mine = self.of_property(self.invoices, lambda i: i.property_id)
        self.show_property_note(len(mine), len(self.invoices))
        for invoice in shown:
            status = Text(label(invoice.status))
            if invoice.status is InvoiceStatus.OVERDUE:
                status.stylize("bold red")
            elif invoice.status is InvoiceStatus.PAID:
                status.stylize("green")
            table.add_row(
                Text(invoice.number),
                label(invoice.kind),
                day_cell(invoice.issue_date),
                f"{day(invoice.period_from)[:5]}–{day(invoice.period_to)}",
                day_cell(invoice.due_date),
                money_cell(invoice.gross),
                money_cell(invoice.paid),
                money_cell(invoice.to_pay),
                status,
                key=invoice.number,
            )
        to_pay = sum(i.to_pay for i in shown)
        self.query_one("#invoices-summary", Static).update(
            Text(
                _(
                    "Faktur: {count} z {total}; do zapłaty razem {amount}",
                    count=len(shown),
                    total=len(self.invoices),
                    amount=money(to_pay),
                )
            )
        )

    def selected(self) -> str | None:
        return highlighted_key(self.query_one("#invoices-table", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        number = self.selected()
        if number is None:
            return

        def done(invoice: Invoice) -> None:
            from ..forms.invoice_detail import InvoiceDialog

            self.app.push_screen(InvoiceDialog(invoice), self._after_detail)

        self.call(lambda: self.backend.invoice(number), done, group="detail")

    def _after_detail(self, result: Any) -> None:
        if result == "pdf":
            self.action_pdf()
        elif result == "pay":
            self.action_pay()

    def action_pdf(self) -> None:
        if self.policy_takes("pdf"):  # a kiosk shows the invoice as text
            return
        number = self.selected()
        if number is None:
            return
        self.notify(_("Pobieranie {number}…", number=number), markup=False)

        def done(content: bytes) -> None:
            from ...widgets.tables import save_bytes

            folder = self.host.downloads_dir
            filename = "faktura-" + number.replace("/", "-") + ".pdf"
            try:
                path = save_bytes(folder, filename, content)
            except OSError as error:
                self.notify(
                    str(error), title=_("Nie zapisano pliku"), severity="error", markup=False
                )
                return
            self.notify(str(path), title=_("Zapisano PDF"), markup=False)
            self.host.open_file(path)

        self.call(lambda: self.backend.invoice_pdf(number), done, group="pdf")

    def action_invoice_archive(self) -> None:
        """Every invoice's PDF in one zip, in the downloads directory."""
        if self.policy_takes("invoice_archive"):  # a kiosk writes no files
            return
        from .invoice_archive import save_invoice_archive

        save_invoice_archive(self)

    def action_pay(self) -> None:
        number = self.selected()
        from .payment import PaymentDialog

        self.call(
            lambda: self.backend.payment_details(number),
            lambda details: self.app.push_screen(PaymentDialog(details)),
            group="pay",
        )

    def action_e_invoice(self) -> None:
        from ..account.consents import EInvoiceDialog

        self.call(
            self.backend.profile,
            lambda profile: self.app.push_screen(EInvoiceDialog(profile.customer)),
            group="consent",
        )
