"""What is due to be told, kind by kind (portal/notify.py sends it): each a `Due` naming
its topic, its subject (what makes it one notice: an invoice, a meter's legalization date,
a published notice, a billing period) and its customer, with the params its text needs.

Every kind looks back only a short horizon, so a utility that starts sending notices over
years of data tells its customers of what is current, not of every old invoice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..domain.folding import fold
from ..domain.models import MeterStatus, NoticeKind, NoticeTopic
from ..domain.readings import billing_period
from ..i18n import day, money
from .store import Store

LANGUAGE = "pl"  # the utility writes to its customers in Polish
NEW_INVOICE_DAYS = 14  # an invoice issued this long ago is still news
OVERDUE_DAYS = 30  # an invoice overdue this long ago is told of once, then not at all
LEGALIZATION_DAYS = 90  # a legalization ending within this is told of
WORKS_DAYS = 14  # a published notice is mailed within this of its publication
WINDOW_DAYS = 7  # a billing period's reading window is told of in its first days
_PAID = "coalesce((SELECT sum(amount) FROM payments p WHERE p.document_number = i.number), 0)"
_STREET_PREFIX = re.compile(r"^(ul|al|os|pl)\.?\s+")


@dataclass(frozen=True)
class Due:
    topic: NoticeTopic
    subject: str
    customer: str
    about: str  # what the ledger shows of it (a number, a title)
    params: dict[str, str] = field(default_factory=dict)


def _day(value: str | date) -> str:
    moment = date.fromisoformat(value) if isinstance(value, str) else value
    return day(moment, language=LANGUAGE)


def due_notices(store: Store, today: date, due_days: int) -> Iterator[Due]:
    """Every notice due today, of every kind."""
    yield from new_invoices(store, today)
    yield from payments_due(store, today, due_days)
    yield from overdue(store, today)
    yield from legalizations(store, today)
    yield from works(store, today)
    yield from reading_windows(store, today)


def new_invoices(store: Store, today: date) -> Iterator[Due]:
    since = today - timedelta(days=NEW_INVOICE_DAYS)
    for row in store.all(
        "SELECT i.number, i.customer_number, i.gross, i.due_date FROM invoices i"
        " WHERE i.issue_date >= ? AND i.issue_date <= ?",
        (since.isoformat(), today.isoformat()),
    ):
        yield Due(
            NoticeTopic.INVOICE,
            row["number"],
            row["customer_number"],
            row["number"],
            {
                "number": row["number"],
                "amount": money(row["gross"], LANGUAGE),
                "due": _day(row["due_date"]),
            },
        )


def _unpaid(store: Store, low: date, high: date) -> Iterator[tuple[str, str, int, str]]:
    """Invoices due between `low` and `high` with something left to pay."""
    for row in store.all(
        f"SELECT i.number, i.customer_number, i.gross - {_PAID} AS left_to_pay, i.due_date"
        " FROM invoices i WHERE i.due_date >= ? AND i.due_date <= ?",
        (low.isoformat(), high.isoformat()),
    ):
        if row["left_to_pay"] > 0:
            yield row["number"], row["customer_number"], row["left_to_pay"], row["due_date"]


def payments_due(store: Store, today: date, due_days: int) -> Iterator[Due]:
    for number, customer, left, due in _unpaid(store, today, today + timedelta(days=due_days)):
        params = {"number": number, "amount": money(left, LANGUAGE), "due": _day(due)}
        yield Due(NoticeTopic.PAYMENT_DUE, number, customer, number, params)


def overdue(store: Store, today: date) -> Iterator[Due]:
    low, high = today - timedelta(days=OVERDUE_DAYS), today - timedelta(days=1)
    for number, customer, left, due in _unpaid(store, low, high):
        params = {"number": number, "amount": money(left, LANGUAGE), "due": _day(due)}
        yield Due(NoticeTopic.OVERDUE, number, customer, number, params)


def legalizations(store: Store, today: date) -> Iterator[Due]:
    high = today + timedelta(days=LEGALIZATION_DAYS)
    for row in store.all(
        "SELECT m.id, m.serial, m.legalization_expires, p.customer_number FROM meters m"
        " JOIN properties p ON p.id = m.property_id"
        " WHERE m.legalization_expires >= ? AND m.legalization_expires <= ? AND m.status = ?",
        (today.isoformat(), high.isoformat(), MeterStatus.ACTIVE.value),
    ):
        expires = row["legalization_expires"]
        yield Due(
            NoticeTopic.LEGALIZATION,
            f"{row['id']}:{expires}",  # a new legalization date is a new notice
            row["customer_number"],
            row["serial"],
            {"serial": row["serial"], "date": _day(expires)},
        )


def street_key(street: str) -> str:
    """A street as the areas name it: folded (case, diacritics), without "ul." and the like."""
    return _STREET_PREFIX.sub("", " ".join(fold(street).split()))


def concerns(area: str, street: str) -> bool:
    """Whether a notice's `area` ("Zalesie Górne, ul. Leśna; ul. Parkowa") names `street`
    (as a whole name: "Leśna" is not "Leśna Polana"). An empty area concerns everyone."""
    if not area.strip():
        return True
    key = street_key(street)
    if not key:
        return False
    parts = (street_key(part) for part in re.split(r"[,;\n]", area))
    return any(part == key for part in parts)


def works(store: Store, today: date) -> Iterator[Due]:
    since = (today - timedelta(days=WORKS_DAYS)).isoformat()
    notices = store.all(
        "SELECT id, kind, title, valid_from, valid_to, area FROM notices"
        " WHERE kind IN (?, ?) AND published_at >= ? AND (valid_to IS NULL OR valid_to >= ?)",
        (NoticeKind.MAINTENANCE.value, NoticeKind.FAILURE.value, since, today.isoformat()),
    )
    if not notices:
        return
    properties = store.all("SELECT DISTINCT customer_number, street FROM properties")
    for notice in notices:
        told: set[str] = set()
        until = _day(notice["valid_to"]) if notice["valid_to"] else "—"
        params = {
            "title": notice["title"],
            "from": _day(notice["valid_from"]),
            "to": until,
            "area": notice["area"] or "—",
        }
        for row in properties:
            customer = row["customer_number"]
            if customer not in told and concerns(notice["area"], row["street"]):
                told.add(customer)
                topic = NoticeTopic.WORKS
                yield Due(topic, notice["id"], customer, notice["title"], dict(params))


def reading_windows(store: Store, today: date) -> Iterator[Due]:
    """A billing period's reading window, told of in its first WINDOW_DAYS, to each
    customer with an active meter (the period is the customer's: 1, 2, 3, 6 or 12 months)."""
    for row in store.all(
        "SELECT DISTINCT c.number, c.billing_months FROM customers c"
        " JOIN properties p ON p.customer_number = c.number"
        " JOIN meters m ON m.property_id = p.id WHERE m.status = ?",
        (MeterStatus.ACTIVE.value,),
    ):
        start, end = billing_period(today, int(row["billing_months"]))
        if (today - start).days >= WINDOW_DAYS:
            continue
        period = f"{_day(start)} – {_day(end)}"
        yield Due(
            NoticeTopic.READING_WINDOW,
            start.isoformat(),
            row["number"],
            period,
            {"period": period},
        )
