"""The demo data made due for every notice kind at NOTICE_NOW (2 December 2026, the second
day of a monthly billing period), for the notices' tests over a portal or a server.

Jan Kowalski (100001) consents to e-invoices, e-mail and SMS notices; Piotr Wiśniewski
(100003) to e-mail notices only (no e-invoice: his invoice notice has no document); Anna
Nowak (100002) to nothing, and has a new invoice all the same."""

from __future__ import annotations

from datetime import UTC, datetime

from ibok_tui.portal.store import Store

NOTICE_NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
JAN_PHONE = "+48601234567"
JAN, ANNA, PIOTR = "100001", "100002", "100003"
NEW_INVOICES = {JAN: "FV/100001/N1", ANNA: "FV/100002/N1", PIOTR: "FV/100003/N1"}
WORKS_ID = "N-test-works"
EVERY_TOPIC = {"invoice", "payment_due", "overdue", "legalization", "works", "reading_window"}


def make_everything_due(store: Store) -> None:
    with store.transaction():
        store.execute(
            "UPDATE customers SET notify_sms = 1, billing_months = 1 WHERE number = ?", (JAN,)
        )
        store.execute(
            "UPDATE customers SET notify_email = 0, notify_sms = 0, e_invoice = 0 WHERE number = ?",
            (ANNA,),
        )
        store.execute("UPDATE customers SET notify_email = 1 WHERE number = ?", (PIOTR,))
        for customer, number in NEW_INVOICES.items():
            prop = store.scalar(
                "SELECT id FROM properties WHERE customer_number = ? ORDER BY id LIMIT 1",
                (customer,),
            )
            store.execute(
                "INSERT INTO invoices (number, customer_number, property_id, kind, issue_date,"
                " sale_date, period_from, period_to, due_date, net, vat, gross)"
                " VALUES (?, ?, ?, 'settlement', '2026-12-01', '2026-11-30', '2026-11-01',"
                " '2026-11-30', '2026-12-04', 10000, 800, 10800)",
                (number, customer, prop),
            )
            store.execute(
                "INSERT INTO invoice_lines (invoice_number, pos, kind, description, quantity,"
                " unit, unit_price, net, vat_rate, vat, gross)"
                " VALUES (?, 1, 'water', 'Woda', '10', 'm3', 1000, 10000, '8', 800, 10800)",
                (number,),
            )
        store.execute(
            "UPDATE meters SET legalization_expires = '2027-01-15' WHERE id = 'M-WK-2209-11873'"
        )
        store.execute(
            "INSERT INTO notices (id, kind, title, body, published_at, valid_from, valid_to,"
            " area) VALUES (?, 'maintenance', 'Wymiana zasuwy: ul. Leśna', 'Bez wody 8–14.',"
            " ?, '2026-12-03', '2026-12-03', 'Zalesie Górne, ul. Leśna')",
            (WORKS_ID, NOTICE_NOW.replace(hour=7).isoformat()),
        )
