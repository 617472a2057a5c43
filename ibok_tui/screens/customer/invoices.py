"""Faktury: the invoices sorted by issue date, filtered by number, status and date; the
detail with its lines; the PDF saved to the downloads directory and opened; e-invoice."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from ...domain.models import Invoice, InvoiceStatus
from ...i18n import N_, _, day, label, money
from ...i18n.columns import invoice_headers
from ...widgets.export import day_cell, money_cell
from ...widgets.forms import parse_day
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen


class InvoicesScreen(TabScreen):
    """Faktury: lista faktur z filtrem, szczegóły z pozycjami, PDF i e-faktura."""

    TAB_ID = "faktury"
    TAB_TITLE = N_("Faktury")
    AUTO_FOCUS = "DataTable"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Szczegóły", id="faktury.open", show=False),
        Binding("p", "pdf", "Pobierz PDF", id="faktury.pdf"),
        Binding("z", "pay", "Zapłać", id="faktury.pay"),
        Binding("f", "e_invoice", "E-faktura", id="faktury.e_invoice"),
        Binding("a", "invoice_archive", "Archiwum faktur (ZIP)", id="faktury.archive", show=False),
    ]
    DEFAULT_CSS = """
    InvoicesScreen #invoice-filters { height: auto; padding: 0 1; }
    InvoicesScreen #invoice-filters Input { width: 1fr; }
    InvoicesScreen #invoice-filters Select { width: 28; }
    InvoicesScreen #invoices-table { height: 1fr; }
    InvoicesScreen #invoices-summary { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.invoices: list[Invoice] = []

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
            yield ListTable(id="invoices-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="invoices-summary")

    def on_mount(self) -> None:
        table = self.query_one("#invoices-table", ListTable)
        table.add_columns(*invoice_headers())
        # too narrow (80 columns): Okres, Rodzaj, Wystawiona… go first; Do zapłaty stays
        table.column_priorities = (9, 2, 3, 1, 6, 4, 5, 10, 8)

    def load(self) -> None:
        table = self.query_one("#invoices-table", DataTable)
        table.loading = True

        def done(invoices: list[Invoice]) -> None:
            table.loading = False
            self.invoices = sorted(invoices, key=lambda i: (i.issue_date, i.number), reverse=True)
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
        for field in ("#invoice-from", "#invoice-to"):
            box = self.query_one(field, Input)
            try:
                bounds.append(parse_day(box.value))
                box.remove_class("-invalid")
            except ValueError:
                bounds.append(None)
                box.add_class("-invalid")
        start, end = bounds
        found = []
        for invoice in self.of_property(self.invoices, lambda i: i.property_id):
            if number and number not in invoice.number.lower():
                continue
            if isinstance(status, str) and invoice.status.value != status:
                continue
            if (start and invoice.issue_date < start) or (end and invoice.issue_date > end):
                continue
            found.append(invoice)
        return found

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
