"""Rozrachunki: paid, unpaid or all documents with what is owed, paid and left to pay;
the balance and overpayment; interest notes; "Zapłać" with the transfer and QR code."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select, Static

from ...domain.changes import Change
from ...domain.models import Invoice, InvoiceKind, SettlementFilter, SettlementRow, Settlements
from ...i18n import N_, _, day, label, money
from ...i18n.columns import settlement_headers
from ...widgets.export import day_cell, money_cell
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen


class SettlementsScreen(TabScreen):
    """Rozrachunki: należności i wpłaty, saldo, nadpłata, noty odsetkowe i płatność."""

    TAB_ID = "rozrachunki"
    TAB_TITLE = N_("Rozrachunki")
    SHOWS = frozenset({Change.BILLING})
    AUTO_FOCUS = "DataTable"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Szczegóły", id="rozrachunki.open", show=False),
        Binding("z", "pay", "Zapłać", id="rozrachunki.pay"),
        Binding("a", "show('all')", "Wszystkie", id="rozrachunki.all"),
        Binding("n", "show('unpaid')", "Niezapłacone", id="rozrachunki.unpaid"),
        Binding("p", "show('paid')", "Zapłacone", id="rozrachunki.paid"),
    ]
    DEFAULT_CSS = """
    SettlementsScreen #settlement-bar { height: auto; padding: 0 1; }
    SettlementsScreen #settlement-bar Select { width: 30; }
    SettlementsScreen #settlement-bar Input { width: 1fr; }
    SettlementsScreen #balance-box { height: auto; border: round $primary; padding: 0 1; }
    SettlementsScreen #settlements-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data: Settlements | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Static(id="balance-box")
            with Horizontal(id="settlement-bar"):
                yield Select(
                    [(label(f), f.value) for f in SettlementFilter],
                    value=SettlementFilter.ALL.value,
                    allow_blank=False,
                    id="settlement-filter",
                    compact=True,
                )
                yield Input(
                    placeholder=_("/ numer dokumentu"),
                    classes="filter",
                    id="settlement-number",
                    compact=True,
                )
            yield ListTable(id="settlements-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#settlements-table", ListTable)
        table.add_columns(*settlement_headers(), _("Wpłaty"))
        # too narrow: the payments and the kind go first; Do zapłaty stays
        table.column_priorities = (9, 2, 4, 6, 5, 3, 10, 1)

    def which(self) -> SettlementFilter:
        value = self.query_one("#settlement-filter", Select).value
        return SettlementFilter(value) if isinstance(value, str) else SettlementFilter.ALL

    def load(self) -> None:
        table = self.query_one("#settlements-table", DataTable)
        table.loading = True
        which = self.which()

        def done(data: Settlements) -> None:
            table.loading = False
            self.data = data
            self.show_balance(data)
            self.refill()

        def failed(error: BaseException) -> bool:
            table.loading = False
            return False

        self.call(lambda: self.backend.settlements(which), done, on_error=failed)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "settlement-filter" and self.is_mounted and self._loaded:
            self.load()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def action_show(self, which: str) -> None:
        self.query_one("#settlement-filter", Select).value = which

    def property_changed(self) -> None:
        if self.data is not None:
            self.show_balance(self.data)
            self.refill()

    def rows(self) -> list[SettlementRow]:
        """The documents of the chosen property (all of them when none is chosen)."""
        return self.of_property(self.data.rows if self.data else (), lambda r: r.property_id)

    def show_balance(self, data: Settlements) -> None:
        balance = data.balance
        text = Text()
        mine = self.rows()
        if self.property_narrowed:
            # the balance is the account's: payments are not split between properties
            text.append(_("Całe konto (wszystkie posesje):"), style="bold")
            text.append("\n")
        text.append(_("Należności: {amount}", amount=money(balance.owed)))
        text.append("   ")
        text.append(_("Wpłaty: {amount}", amount=money(balance.paid)))
        text.append("   ")
        if balance.overpayment:
            text.append(
                _("Nadpłata: {amount}", amount=money(balance.overpayment)), style="bold green"
            )
        else:
            text.append(_("Saldo do zapłaty: {amount}", amount=money(balance.to_pay)), style="bold")
        if balance.overdue:
            text.append("   ")
            text.append(_("Zaległe: {amount}", amount=money(balance.overdue)), style="bold red")
        if balance.next_due_date:
            text.append("\n")
            text.append(
                _(
                    "Najbliższy termin: {date}, {amount}",
                    date=day(balance.next_due_date),
                    amount=money(balance.next_due_amount),
                )
            )
        notes = [r for r in data.rows if r.kind is InvoiceKind.INTEREST_NOTE]
        if notes:
            text.append("\n")
            text.append(
                _(
                    "Noty odsetkowe: {count}, razem {amount}",
                    count=len(notes),
                    amount=money(sum(n.owed for n in notes)),
                ),
                style="yellow",
            )
        if data.unassigned_payments:
            text.append("\n")
            text.append(
                _(
                    "Wpłaty nieprzypisane: {amount}",
                    amount=money(sum(p.amount for p in data.unassigned_payments)),
                )
            )
        if self.property_narrowed:
            text.append("\n")
            text.append(
                _(
                    "Dokumenty posesji {name}: winien {owed}, zapłacono {paid}, "
                    "do zapłaty {to_pay}",
                    name=self.property_label(),
                    owed=money(sum(r.owed for r in mine)),
                    paid=money(sum(r.paid for r in mine)),
                    to_pay=money(sum(r.to_pay for r in mine)),
                ),
                style="bold",
            )
        text.append("\n")
        text.append(_("z: zapłać   a/n/p: wszystkie/niezapłacone/zapłacone"), style="dim")
        self.query_one("#balance-box", Static).update(text)

    def refill(self) -> None:
        table = self.query_one("#settlements-table", DataTable)
        table.clear()
        if self.data is None:
            return
        number = self.query_one("#settlement-number", Input).value.strip().lower()
        mine = self.rows()
        self.show_property_note(len(mine), len(self.data.rows))
        for row in mine:
            if number and number not in row.number.lower():
                continue
            to_pay = money_cell(row.to_pay, style="bold red" if row.overdue else "")
            kind = Text(label(row.kind))
            if row.kind is InvoiceKind.INTEREST_NOTE:
                kind.stylize("yellow")
            payments = "; ".join(f"{day(p.paid_on)} {money(p.amount)}" for p in row.payments)
            table.add_row(
                Text(row.number),
                kind,
                day_cell(row.issue_date),
                day_cell(row.due_date),
                money_cell(row.owed),
                money_cell(row.paid),
                to_pay,
                Text(payments),
                key=row.number,
            )

    def selected(self) -> str | None:
        table = self.query_one("#settlements-table", DataTable)
        return highlighted_key(table) if table.has_focus else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Enter on a row: the invoice behind it (its detail, as Faktury opens it); a
        document that is no invoice (an interest note), its facts and payments."""
        number = self.selected()
        row = next((r for r in self.rows() if r.number == number), None)
        if row is None:
            return
        from ...domain.errors import NotFound

        def done(invoice: Invoice) -> None:
            from ..forms.invoice_detail import InvoiceDialog

            self.app.push_screen(InvoiceDialog(invoice), self._after_detail)

        def no_invoice(error: BaseException) -> bool:
            if not isinstance(error, NotFound):
                return False
            self.app.push_screen(TextDialog(row.number, row_text(row)))
            return True

        from ..forms.dialogs import TextDialog

        self.call(
            lambda: self.backend.invoice(row.number), done, group="detail", on_error=no_invoice
        )

    def _after_detail(self, result: object) -> None:
        if result == "pay":
            self.action_pay()

    def action_pay(self) -> None:
        """Pay the selected document when the list has the focus, else the whole balance."""
        from .payment import PaymentDialog

        number = self.selected()
        self.call(
            lambda: self.backend.payment_details(number),
            lambda details: self.app.push_screen(PaymentDialog(details)),
            group="pay",
        )


def row_text(row: SettlementRow) -> Text:
    """A settlement's document and the payments booked against it, for people."""
    text = Text()
    text.append(f"{label(row.kind)}\n", style="bold")
    text.append(_("Wystawiono: {date}", date=day(row.issue_date)) + "\n")
    text.append(_("Termin płatności: {date}", date=day(row.due_date)) + "\n")
    text.append(_("Winien: {amount}", amount=money(row.owed)) + "\n")
    text.append(_("Zapłacono: {amount}", amount=money(row.paid)) + "\n")
    text.append(_("Do zapłaty: {amount}", amount=money(row.to_pay)) + "\n", style="bold")
    text.append("\n" + _("Wpłaty") + "\n", style="bold")
    if not row.payments:
        text.append(_("Brak wpłat.") + "\n")
    for payment in row.payments:
        text.append(f"{day(payment.paid_on)}  {money(payment.amount)}  ")
        text.append(payment.title)  # the bank's title: shown as it came, never as markup
        text.append("\n")
    return text
