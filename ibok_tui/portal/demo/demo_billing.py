"""Invoices, corrections, interest notes and payments of the demo data set."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...domain.billing import interest, invoice_lines, totals
from ...domain.models import (
    InvoiceKind,
    InvoiceLine,
    LineKind,
)
from .demo_usage import Daily, cumulative

if TYPE_CHECKING:
    from .seeder import Seeder


DUE_DAYS = 14
ISSUE_DELAY_DAYS = 5
PRICES_KEPT = 250_000  # invoices priced and kept (`Seeder.priced`): about 100 MB at most

# an invoice's net, VAT, gross and its lines' rows (pos, kind, ...) without its number
Priced = tuple[int, int, int, tuple[tuple[Any, ...], ...]]


# --- invoices, payments, notes -------------------------------------------------------------


def write_invoices(
    s: Seeder,
    spec: dict[str, Any],
    periods: Sequence[tuple[date, date]],
    usage: list[tuple[str, Daily, Daily]],
) -> None:
    """A customer's invoices, one a billing period and property, priced from what its
    meters used (each `Daily` counts from the first period's first day), and the payments
    of those paid."""
    number = spec["number"]
    scenario = spec.get("scenario", {})
    months = spec.get("billing_months", 1)
    rng = random.Random("pay" + number)
    issued: list[tuple[str, date, date, int]] = []  # number, issue, due, gross
    properties: list[str] = []  # the property of each issued invoice
    seq = 0
    first = periods[0][0]
    running = [
        (pid, cumulative(first, water), cumulative(first, garden)) for pid, water, garden in usage
    ]
    for p_index, (start, end) in enumerate(periods):
        before = start - timedelta(days=1)
        for property_id, water_until, garden_until in running:
            seq += 1
            litres = water_until(end) - water_until(before)
            garden_litres = garden_until(end) - garden_until(before)
            kind = InvoiceKind.SETTLEMENT
            if scenario.get("estimated_and_correction") and p_index == len(periods) - 4:
                kind = InvoiceKind.ESTIMATED
                estimated = litres * 16 // 10
                issued.append(
                    _invoice(
                        s,
                        number,
                        seq,
                        property_id,
                        kind,
                        start,
                        end,
                        estimated,
                        estimated - garden_litres,
                        months,
                    )
                )
                properties.append(property_id)
                seq += 1
                correction_issue = min(end + timedelta(days=40), s.as_of)
                issued.append(
                    _correction(
                        s,
                        number,
                        seq,
                        issued[-1][0],
                        property_id,
                        start,
                        end,
                        litres - estimated,
                        months,
                        correction_issue,
                    )
                )
                properties.append(property_id)
                continue
            issued.append(
                _invoice(
                    s,
                    number,
                    seq,
                    property_id,
                    kind,
                    start,
                    end,
                    litres,
                    litres - garden_litres,
                    months,
                )
            )
            properties.append(property_id)
    overdue = scenario.get("overdue", 0)
    unpaid_last = scenario.get("unpaid_last", 0)
    late = scenario.get("late_paid_with_interest", 0)
    regular = [i for i in issued if i[3] > 0]
    unpaid = {i[0] for i in regular[-unpaid_last:]} if unpaid_last else set()
    if overdue:
        unpaid |= {i[0] for i in regular[-1 - overdue : -1]}
    late_ones = {i[0] for i in regular[-8 - late : -8]} if late else set()
    property_of = dict(zip((i[0] for i in issued), properties, strict=True))
    for doc, _issue, due, gross in issued:
        if gross <= 0 or doc in unpaid or due >= s.today:
            continue
        if doc in late_ones:
            paid_on = due + timedelta(days=rng.randint(20, 40))
            days = (paid_on - due).days
            seq += 1
            _interest_note(
                s, number, seq, doc, property_of[doc], gross, days, paid_on, len(late_ones) > 1
            )
            late_ones.discard(doc)
        else:
            paid_on = due - timedelta(days=rng.randint(1, 8))
        write_payment(s, number, doc, min(paid_on, s.as_of), gross)
    if scenario.get("overpayment"):
        write_payment(
            s,
            number,
            None,
            s.as_of - timedelta(days=20),
            scenario["overpayment"],
            "Wpłata – nadpłata na poczet przyszłych należności",
        )


def _invoice(
    s: Seeder,
    customer: str,
    seq: int,
    property_id: str,
    kind: InvoiceKind,
    start: date,
    end: date,
    water: int,
    sewage: int,
    months: int,
) -> tuple[str, date, date, int]:
    tariff = s.tariff_on(end)
    water, sewage = max(water, 0), max(sewage, 0)
    key = (tariff.id, water, sewage, months)
    priced = s.priced.get(key)
    if priced is None:  # the same use at the same tariff costs the same: priced once
        if len(s.priced) >= PRICES_KEPT:
            s.priced.clear()
        priced = s.priced[key] = _priced(invoice_lines(tariff, water, sewage, months))
    issue = min(end + timedelta(days=ISSUE_DELAY_DAYS), s.as_of)
    return _store_invoice(s, customer, seq, property_id, kind, start, end, issue, priced, None)


def _priced(lines: Iterable[InvoiceLine]) -> Priced:
    """An invoice's net, VAT and gross (domain/billing.py's `totals`: VAT per rate) and the
    rows of its lines, each without the invoice's number."""
    lines = tuple(lines)
    net, vat, gross = totals(lines)
    rows = tuple(
        (
            pos,
            line.kind.value,
            line.description,
            str(line.quantity),
            line.unit,
            line.unit_price,
            line.net,
            str(line.vat_rate),
            line.vat,
            line.gross,
        )
        for pos, line in enumerate(lines, start=1)
    )
    return net, vat, gross, rows


def _correction(
    s: Seeder,
    customer: str,
    seq: int,
    corrected: str,
    property_id: str,
    start: date,
    end: date,
    water_delta: int,
    months: int,
    issue: date,
) -> tuple[str, date, date, int]:
    base = invoice_lines(s.tariff_on(end), -water_delta, -water_delta, months)
    lines = tuple(
        InvoiceLine(
            kind=line.kind,
            description=f"Korekta: {line.description.lower()}",
            quantity=-line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            net=-line.net,
            vat_rate=line.vat_rate,
            vat=-line.vat,
            gross=-line.gross,
        )
        for line in base
        if line.kind is not LineKind.SUBSCRIPTION
    )
    priced = _priced(lines)
    return _store_invoice(
        s, customer, seq, property_id, InvoiceKind.CORRECTION, start, end, issue, priced, corrected
    )


def _interest_note(
    s: Seeder,
    customer: str,
    seq: int,
    late_doc: str,
    property_id: str,
    amount: int,
    days: int,
    paid_on: date,
    settle: bool,
) -> None:
    value = interest(amount, days)
    line = InvoiceLine(
        kind=LineKind.INTEREST,
        description=f"Odsetki za zwłokę w zapłacie {late_doc} ({days} dni)",
        quantity=Decimal(1),
        unit="szt.",
        unit_price=value,
        net=value,
        vat_rate=Decimal(0),
        vat=0,
        gross=value,
    )
    issue = min(paid_on + timedelta(days=7), s.as_of)
    doc, _, due, gross = _store_invoice(
        s,
        customer,
        seq,
        property_id,
        InvoiceKind.INTEREST_NOTE,
        paid_on,
        paid_on,
        issue,
        _priced((line,)),
        None,
        prefix="NO",
    )
    if settle and due < s.today - timedelta(days=120):
        write_payment(s, customer, doc, due - timedelta(days=2), gross)


def _store_invoice(
    s: Seeder,
    customer: str,
    seq: int,
    property_id: str,
    kind: InvoiceKind,
    start: date,
    end: date,
    issue: date,
    priced: Priced,
    corrects: str | None,
    prefix: str = "FV",
) -> tuple[str, date, date, int]:
    if kind is InvoiceKind.CORRECTION:
        prefix = "KOR"
    doc = f"{prefix}/{customer}/{seq:03d}"
    net, vat, gross, lines = priced
    due, dates = _invoice_dates(start, end, issue)
    s.store.execute(
        "INSERT INTO invoices (number, customer_number, property_id, kind, issue_date,"
        " sale_date, period_from, period_to, due_date, net, vat, gross, corrects)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc, customer, property_id, kind.value, *dates, net, vat, gross, corrects),
    )
    s.store.executemany(
        "INSERT INTO invoice_lines (invoice_number, pos, kind, description, quantity, unit,"
        " unit_price, net, vat_rate, vat, gross) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(doc, *line) for line in lines],
    )
    return doc, issue, due, gross


@functools.lru_cache(maxsize=4096)
def _invoice_dates(start: date, end: date, issue: date) -> tuple[date, tuple[str, ...]]:
    """The due date and the dates an invoice row holds (issue, sale, period, due) as
    text: the same for every customer billed for that period."""
    due = issue + timedelta(days=DUE_DAYS)
    return due, (
        issue.isoformat(),
        end.isoformat(),
        start.isoformat(),
        end.isoformat(),
        due.isoformat(),
    )


def write_payment(
    s: Seeder, customer: str, doc: str | None, paid_on: date, amount: int, title: str = ""
) -> None:
    count = s.payments.get(customer, 0)
    s.payments[customer] = count + 1
    s.store.execute(
        "INSERT INTO payments (id, customer_number, paid_on, amount, title, document_number)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            f"W-{customer}-{count + 1:04d}",
            customer,
            paid_on.isoformat(),
            amount,
            title or f"Zapłata {doc}",
            doc,
        ),
    )
