"""Invoices, settlements, the balance and how to pay."""

from __future__ import annotations

from datetime import date

from ..domain.errors import NotFound, ValidationFailed
from ..domain.models import (
    AuditAction,
    Balance,
    Invoice,
    InvoiceQuery,
    InvoiceStatus,
    PaymentDetails,
    Session,
    SettlementFilter,
    SettlementRow,
    Settlements,
)
from ..domain.payments import qr_payload
from . import rows
from .account import AccountService
from .base import Core
from .checks import dates_checked, text_error

QR_MAX_AMOUNT = 999_999
_INVOICES = (
    "SELECT i.*, coalesce((SELECT sum(amount) FROM payments p WHERE p.document_number = i.number),"
    " 0) AS paid FROM invoices i WHERE i.customer_number = ?"
)


class BillingService:
    """Invoices, settlements, the balance and how to pay, for a resolved customer session."""

    def __init__(self, core: Core, account: AccountService) -> None:
        self.core = core
        self.store = core.store
        self.account = account

    def invoices(self, session: Session, query: InvoiceQuery | None = None) -> list[Invoice]:
        """The customer's invoices and notes, newest first, filtered by `query`."""
        query = query or InvoiceQuery()
        if (problem := text_error("number", query.number, max_length=100)) is not None:
            raise ValidationFailed([problem])
        dates_checked(("date_from", query.date_from), ("date_to", query.date_to))
        sql = _INVOICES
        params: list[object] = [session.subject]
        if query.number.strip():
            # upper() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not
            sql += " AND upper(i.number) LIKE upper(?) ESCAPE '\\'"
            params.append("%" + _escape_like(query.number.strip()) + "%")
        if query.date_from:
            sql += " AND i.issue_date >= ?"
            params.append(query.date_from.isoformat())
        if query.date_to:
            sql += " AND i.issue_date <= ?"
            params.append(query.date_to.isoformat())
        if query.kind:
            sql += " AND i.kind = ?"
            params.append(query.kind.value)
        sql += " ORDER BY i.issue_date DESC, i.number DESC"
        today = self.core.today()
        found = [rows.invoice(r, today) for r in self.store.all(sql, params)]
        if query.status is not None:
            found = [i for i in found if i.status is query.status]
        return found

    def invoice(self, session: Session, number: str) -> Invoice:
        found = invoice_of(self.core, session.subject, number)
        if found is None:
            raise NotFound(code="invoice_not_found")
        return found

    def invoice_pdf(self, session: Session, number: str) -> bytes:
        from .pdf import invoice_pdf

        invoice = self.invoice(session, number)
        customer = self.account.customer_row(session.subject)
        return invoice_pdf(self.account.utility(), customer, invoice)

    def invoice_archive(self, session: Session) -> bytes:
        """Every invoice's PDF in one zip: what the customer keeps when the supply contract
        ends (Będzin §8.6: download the e-invoices before the account is deactivated)."""
        import zipfile
        from io import BytesIO

        from .pdf import invoice_pdf

        utility = self.account.utility()
        customer = self.account.customer_row(session.subject)
        buffer = BytesIO()
        names: set[str] = set()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for invoice in self.invoices(session):
                name = archive_entry(invoice.number, names)
                archive.writestr(name, invoice_pdf(utility, customer, invoice))
        with self.store.transaction():
            self.core.audit(session, AuditAction.EXPORT_INVOICES)
        return buffer.getvalue()

    # --- settlements ------------------------------------------------------------------

    def settlements(
        self, session: Session, which: SettlementFilter = SettlementFilter.ALL
    ) -> Settlements:
        today = self.core.today()
        payments: dict[str | None, list[rows.Payment]] = {}
        for r in self.store.all(
            "SELECT * FROM payments WHERE customer_number = ? ORDER BY paid_on", (session.subject,)
        ):
            payments.setdefault(r["document_number"], []).append(rows.payment(r))
        all_rows = []
        for invoice in self.invoices(session):
            docs = tuple(payments.get(invoice.number, ()))
            all_rows.append(
                SettlementRow(
                    number=invoice.number,
                    kind=invoice.kind,
                    issue_date=invoice.issue_date,
                    due_date=invoice.due_date,
                    owed=invoice.gross,
                    paid=invoice.paid,
                    to_pay=invoice.to_pay,
                    overdue=invoice.status is InvoiceStatus.OVERDUE,
                    property_id=invoice.property_id,
                    payments=docs,
                )
            )
        balance = _balance(all_rows, payments, today)
        if which is SettlementFilter.PAID:
            shown = [r for r in all_rows if r.to_pay == 0]
        elif which is SettlementFilter.UNPAID:
            shown = [r for r in all_rows if r.to_pay > 0]
        else:
            shown = all_rows
        return Settlements(
            rows=tuple(shown),
            balance=balance,
            unassigned_payments=tuple(payments.get(None, ())),
        )

    def balance(self, session: Session) -> Balance:
        return self.settlements(session).balance

    def payment_details(self, session: Session, number: str | None = None) -> PaymentDetails:
        """How to pay one document (`number`) or the whole balance due."""
        utility = self.account.utility()
        account = self.store.scalar(
            "SELECT bank_account FROM customers WHERE number = ?", (session.subject,)
        )
        if number:
            invoice = self.invoice(session, number)
            amount = invoice.to_pay
            title = f"{invoice.number} kod {session.subject}"
        else:
            amount = self.balance(session).to_pay
            title = f"Należność kod {session.subject}"
        if amount <= 0:
            raise ValidationFailed.single("amount", "nothing_to_pay")
        online = ""
        if utility.online_payment_url:
            online = utility.online_payment_url.format(
                number=number or session.subject,
                amount=f"{amount / 100:.2f}",
                customer=session.subject,
            )
        return PaymentDetails(
            recipient=utility.name,
            recipient_nip=utility.nip,
            recipient_address=utility.address.one_line(),
            account=account,
            title=title[:32],
            amount=amount,
            # the banks' format holds at most 9 999,99 zł: a larger sum gets no code
            qr_payload=qr_payload(
                nip=utility.nip,
                account=account,
                amount=amount,
                recipient=utility.short_name,
                title=title,
            )
            if amount <= QR_MAX_AMOUNT
            else "",
            online_url=online,
        )


def invoice_of(core: Core, customer_number: str, number: str) -> Invoice | None:
    """The customer's invoice with its lines; None when the customer has none of that number."""
    row = core.store.one(_INVOICES + " AND i.number = ?", (customer_number, number))
    if row is None:
        return None
    lines = tuple(
        rows.invoice_line(r)
        for r in core.store.all(
            "SELECT * FROM invoice_lines WHERE invoice_number = ? ORDER BY pos", (number,)
        )
    )
    return rows.invoice(row, core.today(), lines)


def _balance(
    all_rows: list[SettlementRow], payments: dict[str | None, list[rows.Payment]], today: date
) -> Balance:
    owed = sum(r.owed for r in all_rows)
    paid = sum(p.amount for group in payments.values() for p in group)
    overdue = sum(r.to_pay for r in all_rows if r.overdue)
    upcoming = sorted(
        (r for r in all_rows if r.to_pay > 0 and not r.overdue), key=lambda r: r.due_date
    )
    next_due = upcoming[0] if upcoming else None
    return Balance(
        owed=owed,
        paid=paid,
        balance=owed - paid,
        overdue=overdue,
        next_due_date=next_due.due_date if next_due else None,
        next_due_amount=next_due.to_pay if next_due else 0,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def archive_entry(number: str, taken: set[str]) -> str:
    """An invoice's file name in the archive: its number with every character but letters,
    digits, '-' and '_' made '-' (an imported number may hold '/', '..' or a drive), at
    most 100 characters, made unique by a counter; added to `taken`."""
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in number)
    stem = stem.strip("-")[:100] or "faktura"
    name, count = f"{stem}.pdf", 2
    while name in taken:
        name, count = f"{stem}-{count}.pdf", count + 1
    taken.add(name)
    return name
