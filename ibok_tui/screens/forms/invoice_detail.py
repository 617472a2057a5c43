"""One invoice: its header, amounts and lines."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from ...domain.billing import vat_summary
from ...domain.models import Invoice
from ...i18n import _, day, decimal, label, money
from ...i18n.render import invoice_title
from .dialogs import Dialog


def invoice_table(invoice: Invoice) -> Table:
    lines = Table(expand=True, show_edge=False)
    for title in (_("Pozycja"), _("Ilość"), _("Cena netto"), _("Netto"), _("VAT"), _("Brutto")):
        lines.add_column(title, justify="left" if title == _("Pozycja") else "right")
    for line in invoice.lines:
        lines.add_row(
            Text(line.description or label(line.kind)),
            Text(f"{decimal(line.quantity)} {line.unit}"),
            money(line.unit_price),
            money(line.net),
            f"{money(line.vat)} ({int(line.vat_rate * 100)}%)",
            money(line.gross),
        )
    lines.add_section()
    # art. 106e ust. 1 pkt 14: the tax of the sum of the nets per rate; with one rate that
    # sum is the total below, so the rate's row is shown only beside another one
    per_rate = vat_summary(invoice.lines)
    for rate, net, vat in per_rate if len(per_rate) > 1 else ():
        lines.add_row(
            Text(_("w tym stawka {rate}%", rate=int(rate * 100))),
            "",
            "",
            money(net),
            money(vat),
            money(net + vat),
        )
    lines.add_row(
        Text(_("Razem"), style="bold"),
        "",
        "",
        money(invoice.net),
        money(invoice.vat),
        Text(money(invoice.gross), style="bold"),
    )
    return lines


class InvoiceDialog(Dialog):
    """Dismisses with "pdf" or "pay" when the user asks for that, else None."""

    DEFAULT_CSS = "InvoiceDialog #invoice-dialog { width: 100; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "choose('pdf')", "Pobierz PDF", id="invoice.pdf"),
        Binding("z", "choose('pay')", "Zapłać", id="invoice.pay"),
    ]

    def __init__(self, invoice: Invoice) -> None:
        super().__init__()
        self.invoice = invoice

    def compose(self) -> ComposeResult:
        invoice = self.invoice
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_row(_("Rodzaj"), label(invoice.kind), _("Status"), label(invoice.status))
        facts.add_row(
            _("Wystawiona"), day(invoice.issue_date), _("Sprzedaż"), day(invoice.sale_date)
        )
        facts.add_row(
            _("Okres"),
            f"{day(invoice.period_from)}–{day(invoice.period_to)}",
            _("Termin płatności"),
            day(invoice.due_date),
        )
        facts.add_row(
            _("Zapłacono"),
            money(invoice.paid),
            _("Do zapłaty"),
            Text(money(invoice.to_pay), style="bold"),
        )
        if invoice.corrects:
            facts.add_row(_("Koryguje"), Text(invoice.corrects), "", "")
        with Vertical(classes="dialog", id="invoice-dialog"):
            yield Label(Text(invoice_title(invoice.kind.value, invoice.number)), classes="title")
            with VerticalScroll():
                yield Static(facts)
                yield Static(invoice_table(invoice), id="invoice-lines")
            with Horizontal(classes="buttons"):
                yield Button(_("Pobierz PDF"), id="pdf")
                if invoice.to_pay > 0:
                    yield Button(_("Zapłać"), id="pay", variant="primary")
                yield Button(_("Zamknij"), id="close")

    def action_choose(self, what: str) -> None:
        self.dismiss(what)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id if event.button.id in ("pdf", "pay") else None)
