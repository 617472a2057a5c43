"""The demo data set and the synthetic generator.

`fixtures/demo.json` describes customers, their property, meters and usage profiles
and dated events counted back from yesterday. `seed` expands it, deterministically,
into readings, hourly series, invoices, payments and notes, so the data always ends
yesterday whatever day it is loaded. `generate` makes large synthetic data sets from
the same expansion for the benchmarks.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from ..domain.billing import interest, invoice_lines, totals
from ..domain.dates import add_months
from ..domain.deadlines import due_date
from ..domain.legalization import legalization_expiry
from ..domain.models import (
    Address,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    ReadingStatus,
    ReadingType,
    RequestCategory,
    RequestStatus,
    Tariff,
    Utility,
)
from ..domain.payments import individual_account
from ..domain.readings import billing_period
from .auth import hash_password
from .store import Store

# share of a day's water used in each hour, a household's typical day
_HOUR_WEIGHTS = (
    5,
    3,
    2,
    2,
    3,
    10,
    40,
    70,
    60,
    40,
    30,
    30,
    40,
    30,
    30,
    30,
    40,
    60,
    80,
    80,
    70,
    50,
    30,
    15,
)
DUE_DAYS = 14
ISSUE_DELAY_DAYS = 5


def fixture_path(name: str = "demo.json") -> Path:
    """The fixture file: inside the installed wheel, or in the checkout."""
    packaged = resources.files("ibok_tui").joinpath("_fixtures", name)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "fixtures" / name


def read_fixture(name: str = "demo.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(fixture_path(name).read_text(encoding="utf-8"))
    return data


def utility_from_json(data: dict[str, Any]) -> Utility:
    return Utility(
        name=data["name"],
        short_name=data["short_name"],
        nip=data["nip"],
        address=Address(**data["address"]),
        phone=data["phone"],
        emergency_phone=data["emergency_phone"],
        email=data["email"],
        website=data["website"],
        office_hours=tuple(data["office_hours"]),
        bank_name=data["bank_name"],
        bank_account=data["bank_account"],
        online_payment_url=data.get("online_payment_url", ""),
    )


def load_demo(service: Any) -> None:
    """Seed an empty store with the demo data set, relative to the service's today."""
    seed(service.store, read_fixture(), today=service.today(), now=service.now())


@dataclass
class _Seeder:
    store: Store
    today: date
    now: datetime
    tariffs: list[Tariff]
    sort_code: str
    with_documents: bool = True
    letter: bytes | None = None
    pending_requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        return self.today - timedelta(days=1)

    def tariff_on(self, day: date) -> Tariff:
        chosen = self.tariffs[0]
        for tariff in self.tariffs:
            if tariff.valid_from <= day:
                chosen = tariff
        return chosen


def seed(
    store: Store,
    data: dict[str, Any],
    *,
    today: date,
    now: datetime,
    with_documents: bool = True,
) -> None:
    as_of = today - timedelta(days=1)
    tariffs = _tariffs(data["tariffs"], as_of)
    seeder = _Seeder(store, today, now, tariffs, data["utility"]["bank_sort_code"], with_documents)
    terms = data["terms"]
    with store.transaction():
        store.execute(
            "INSERT INTO settings (key, value) VALUES ('utility', ?)",
            (json.dumps(data["utility"], ensure_ascii=False),),
        )
        effective = add_months(as_of.replace(day=1), -terms["effective_months_ago"])
        store.execute(
            "INSERT INTO settings (key, value) VALUES ('terms', ?)",
            (
                json.dumps(
                    {
                        "version": terms["version"],
                        "effective_from": effective.isoformat(),
                        "text": terms["text"],
                    },
                    ensure_ascii=False,
                ),
            ),
        )
        store.executemany(
            "INSERT INTO tariffs (id, valid_from, valid_to, water, sewage, subscription, vat_rate)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    t.id,
                    t.valid_from.isoformat(),
                    t.valid_to.isoformat() if t.valid_to else None,
                    t.water_per_m3,
                    t.sewage_per_m3,
                    t.subscription_per_month,
                    str(t.vat_rate),
                )
                for t in tariffs
            ],
        )
        for op in data.get("operators", []):
            store.execute(
                "INSERT INTO operators (login, name, password_hash) VALUES (?, ?, ?)",
                (op["login"], op["name"], hash_password(op["password"])),
            )
        for i, notice in enumerate(data.get("notices", [])):
            store.execute(
                "INSERT INTO notices (id, kind, title, body, published_at, valid_from, valid_to,"
                " area) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f"N-demo-{i + 1}",
                    notice["kind"],
                    notice["title"],
                    notice["body"],
                    (now - timedelta(days=max(0, -notice["from_days"]) + 2)).isoformat(),
                    (today + timedelta(days=notice["from_days"])).isoformat(),
                    (today + timedelta(days=notice["to_days"])).isoformat(),
                    notice.get("area", ""),
                ),
            )
        for spec in data["customers"]:
            _customer(seeder, spec)
        _requests(seeder)


def _tariffs(specs: list[dict[str, Any]], as_of: date) -> list[Tariff]:
    starts = [add_months(as_of.replace(day=1), -s["from_months_ago"]) for s in specs]
    found = []
    for i, spec in enumerate(specs):
        ends = starts[i + 1] - timedelta(days=1) if i + 1 < len(specs) else None
        found.append(
            Tariff(
                id=spec["id"],
                valid_from=starts[i],
                valid_to=ends,
                water_per_m3=spec["water"],
                sewage_per_m3=spec["sewage"],
                subscription_per_month=spec["subscription"],
                vat_rate=Decimal(spec["vat_rate"]),
            )
        )
    return found


# --- one customer ------------------------------------------------------------------------


def _customer(s: _Seeder, spec: dict[str, Any], password_hash: str | None = None) -> None:
    number = spec["number"]
    a = spec["address"]
    consents = spec.get("consents", {})
    status = spec["status"]
    if password_hash is None and spec.get("password"):
        password_hash = hash_password(spec["password"])
    registered = None
    if status != "unregistered":
        hours = spec.get("registered_hours_ago", 24 * 400)
        registered = (s.now - timedelta(hours=hours)).isoformat()
    s.store.execute(
        "INSERT INTO customers (number, name, kind, street, building, apartment, postal_code,"
        " city, email, phone, status, bank_account, nip, e_invoice, e_invoice_email,"
        " notify_email, notify_sms, marketing, billing_months, password_hash,"
        " must_change_password, registered_at, terms_version, status_reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            spec["name"],
            spec["kind"],
            a["street"],
            a["building"],
            a.get("apartment", ""),
            a["postal_code"],
            a["city"],
            spec.get("email", ""),
            spec.get("phone", ""),
            status,
            individual_account(s.sort_code, number),
            spec.get("nip", ""),
            int(consents.get("e_invoice", False)),
            consents.get("e_invoice_email", ""),
            int(consents.get("notify_email", False)),
            int(consents.get("notify_sms", False)),
            int(consents.get("marketing", False)),
            spec.get("billing_months", 1),
            password_hash if status != "unregistered" else None,
            int(spec.get("must_change_password", False)),
            registered,
            "2026.1" if registered else None,
            spec.get("status_reason", ""),
        ),
    )
    months = spec.get("billing_months", 1)
    periods = _periods(s.as_of, months, spec.get("history_months", 24))
    property_usage: list[tuple[str, dict[date, int], dict[date, int]]] = []
    for p_index, prop in enumerate(spec["properties"], start=1):
        property_id = f"P-{number}-{p_index}"
        pa = prop["address"]
        s.store.execute(
            "INSERT INTO properties (id, customer_number, label, street, building, apartment,"
            " postal_code, city) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                property_id,
                number,
                prop["label"],
                pa["street"],
                pa["building"],
                pa.get("apartment", ""),
                pa["postal_code"],
                pa["city"],
            ),
        )
        water: dict[date, int] = {}
        garden: dict[date, int] = {}
        for pt_index, point in enumerate(prop["points"], start=1):
            point_id = f"PT-{number}-{p_index}-{pt_index}"
            s.store.execute(
                "INSERT INTO points (id, property_id, label) VALUES (?, ?, ?)",
                (point_id, property_id, point["label"]),
            )
            for meter in point["meters"]:
                main_daily = _meter(s, meter, property_id, point_id, periods, spec, None)
                for day, litres in main_daily.items():
                    water[day] = water.get(day, 0) + litres
                for sub in meter.get("submeters", []):
                    sub_daily = _meter(s, sub, property_id, point_id, periods, spec, meter)
                    for day, litres in sub_daily.items():
                        garden[day] = garden.get(day, 0) + litres
        property_usage.append((property_id, water, garden))
        _contract(s, number, property_id, p_index, periods[0][0])
    _invoices(s, spec, periods, property_usage)
    if s.with_documents and status != "unregistered":
        _letter(s, number)
    for request in spec.get("requests", []):
        s.pending_requests.append((number, request))


def _periods(as_of: date, months: int, history_months: int) -> list[tuple[date, date]]:
    """The completed billing periods of the last `history_months` months, oldest first."""
    current_start, _ = billing_period(as_of + timedelta(days=1), months)
    periods = []
    end = current_start - timedelta(days=1)
    count = max(1, history_months // months)
    for _ in range(count):
        start, stop = billing_period(end, months)
        periods.append((start, stop))
        end = start - timedelta(days=1)
    return periods[::-1]


def _daily_usage(meter: dict[str, Any], first: date, last: date) -> dict[date, int]:
    rng = random.Random(meter["serial"])
    base = meter["litres_per_day"]
    garden = meter.get("garden", False)
    usage = {}
    day = first
    while day <= last:
        season = 1 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
        if garden:
            season = 0.0 if day.month not in (5, 6, 7, 8, 9) else 1.6 * season
            if season and rng.random() < 0.3:  # it rained: no watering
                season = 0.0
        weekend = 1.12 if day.weekday() >= 5 and not garden else 1.0
        usage[day] = max(0, round(base * season * weekend * rng.uniform(0.75, 1.25)))
        day += timedelta(days=1)
    return usage


def _meter(
    s: _Seeder,
    meter: dict[str, Any],
    property_id: str,
    point_id: str,
    periods: list[tuple[date, date]],
    customer: dict[str, Any],
    parent: dict[str, Any] | None,
) -> dict[date, int]:
    """Insert a meter with its readings (and hourly series); return its daily use."""
    meter_id = f"M-{meter['serial']}"
    installed = add_months(s.as_of, -meter["legalized_months_ago"])
    resolution = meter.get("resolution", "month")
    s.store.execute(
        "INSERT INTO meters (id, serial, property_id, point_id, role, parent_id, diameter_mm,"
        " location, status, owner, installed_on, legalization_expires, resolution)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meter_id,
            meter["serial"],
            property_id,
            point_id,
            "sub" if parent else "main",
            f"M-{parent['serial']}" if parent else None,
            meter["diameter_mm"],
            meter["location"],
            "active",
            meter.get("owner", "utility"),
            installed.isoformat(),
            legalization_expiry(installed).isoformat(),
            resolution,
        ),
    )
    first = periods[0][0]
    daily = _daily_usage(meter, first, s.as_of)
    for sub in meter.get("submeters", []):  # garden water passes through the main meter
        for day, litres in _daily_usage(sub, first, s.as_of).items():
            daily[day] += litres
    if resolution == "hour":
        _hourly(s, meter_id, daily, meter.get("leak_nights", 0))
    _readings(s, meter, meter_id, daily, periods, installed, customer)
    return daily


def _hourly(s: _Seeder, meter_id: str, daily: dict[date, int], leak_nights: int) -> None:
    total_weight = sum(_HOUR_WEIGHTS)
    leak_from = s.as_of - timedelta(days=leak_nights - 1) if leak_nights else None
    rows: list[tuple[str, str, int]] = []
    for day, litres in daily.items():
        shares = [litres * w // total_weight for w in _HOUR_WEIGHTS]
        shares[19] += litres - sum(shares)  # the rounding rest goes to the evening peak
        if leak_from and day >= leak_from:
            for hour in range(6):
                shares[hour] += 9
            daily[day] = litres + 54
        stamp = day.isoformat()
        rows.extend((meter_id, f"{stamp}T{hour:02d}", shares[hour]) for hour in range(24))
    s.store.executemany("INSERT INTO hourly (meter_id, ts, litres) VALUES (?, ?, ?)", rows)


def _readings(
    s: _Seeder,
    meter: dict[str, Any],
    meter_id: str,
    daily: dict[date, int],
    periods: list[tuple[date, date]],
    installed: date,
    customer: dict[str, Any],
) -> None:
    rng = random.Random("index" + meter["serial"])
    index = rng.randint(50, 900) * 1000
    remote = meter.get("resolution", "month") != "month"
    read_days = [end for _, end in periods]
    if remote:  # a remote read-out at every month's end
        read_days = []
        day = add_months(periods[0][0], 1) - timedelta(days=1)
        while day <= periods[-1][1]:
            read_days.append(day)
            day = add_months(day + timedelta(days=1), 1) - timedelta(days=1)
    used_until = _cumulative(daily)
    rows: list[tuple[str, str, int, int | None, str]] = []
    last: date | None = None
    if installed > periods[0][0]:
        rows.append((f"R-{meter_id}-0", installed.isoformat(), index, None, "installation"))
        last = installed
    for n, day in enumerate(read_days, start=1):
        if day < installed:
            continue
        used = None if last is None else used_until(day) - used_until(last)
        index += used or 0
        kind = "remote" if remote else ("collector" if n % 3 == 0 or n == 1 else "self")
        rows.append((f"R-{meter_id}-{n}", day.isoformat(), index, used, kind))
        last = day
    s.store.executemany(
        "INSERT INTO readings (id, meter_id, read_on, idx, consumption, type, status,"
        " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                rid,
                meter_id,
                day,
                idx,
                used,
                kind,
                ReadingStatus.ACCEPTED.value,
                f"{day}T18:00:00+00:00" if kind == "self" else None,
            )
            for rid, day, idx, used, kind in rows
        ],
    )
    pending_days = customer.get("scenario", {}).get("pending_reading_days_ago")
    if pending_days and not meter.get("garden"):
        day = s.as_of - timedelta(days=pending_days - 1)
        used = used_until(day) - used_until(date.fromisoformat(rows[-1][1]))
        s.store.execute(
            "INSERT INTO readings (id, meter_id, read_on, idx, consumption, type, status,"
            " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"R-{meter_id}-pending",
                meter_id,
                day.isoformat(),
                index + used,
                used,
                ReadingType.SELF.value,
                ReadingStatus.PENDING.value,
                datetime.combine(day, time(19, 30), tzinfo=UTC).isoformat(),
            ),
        )


def _cumulative(daily: dict[date, int]) -> Any:
    """A function giving the litres used from the first day up to and including `day`."""
    days = sorted(daily)
    totals_by_day: dict[date, int] = {}
    running = 0
    for day in days:
        running += daily[day]
        totals_by_day[day] = running
    first, last = (days[0], days[-1]) if days else (date.max, date.min)

    def used_until(day: date) -> int:
        if day < first:
            return 0
        return totals_by_day[min(day, last)]

    return used_until


# --- invoices, payments, notes -------------------------------------------------------------


def _invoices(
    s: _Seeder,
    spec: dict[str, Any],
    periods: list[tuple[date, date]],
    usage: list[tuple[str, dict[date, int], dict[date, int]]],
) -> None:
    number = spec["number"]
    scenario = spec.get("scenario", {})
    months = spec.get("billing_months", 1)
    rng = random.Random("pay" + number)
    issued: list[tuple[str, date, date, int]] = []  # number, issue, due, gross
    seq = 0
    cumulative = [(pid, _cumulative(water), _cumulative(garden)) for pid, water, garden in usage]
    for p_index, (start, end) in enumerate(periods):
        before = start - timedelta(days=1)
        for property_id, water_until, garden_until in cumulative:
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
    overdue = scenario.get("overdue", 0)
    unpaid_last = scenario.get("unpaid_last", 0)
    late = scenario.get("late_paid_with_interest", 0)
    regular = [i for i in issued if i[3] > 0]
    unpaid = {i[0] for i in regular[-unpaid_last:]} if unpaid_last else set()
    if overdue:
        unpaid |= {i[0] for i in regular[-1 - overdue : -1]}
    late_ones = {i[0] for i in regular[-8 - late : -8]} if late else set()
    for doc, _issue, due, gross in issued:
        if gross <= 0 or doc in unpaid or due >= s.today:
            continue
        if doc in late_ones:
            paid_on = due + timedelta(days=rng.randint(20, 40))
            days = (paid_on - due).days
            seq += 1
            _interest_note(s, number, seq, doc, gross, days, paid_on, settle=len(late_ones) > 1)
            late_ones.discard(doc)
        else:
            paid_on = due - timedelta(days=rng.randint(1, 8))
        _payment(s, number, doc, min(paid_on, s.as_of), gross)
    if scenario.get("overpayment"):
        _payment(
            s,
            number,
            None,
            s.as_of - timedelta(days=20),
            scenario["overpayment"],
            "Wpłata – nadpłata na poczet przyszłych należności",
        )


def _invoice(
    s: _Seeder,
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
    lines = invoice_lines(s.tariff_on(end), max(water, 0), max(sewage, 0), months)
    issue = min(end + timedelta(days=ISSUE_DELAY_DAYS), s.as_of)
    return _store_invoice(s, customer, seq, property_id, kind, start, end, issue, lines, None)


def _correction(
    s: _Seeder,
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
    return _store_invoice(
        s, customer, seq, property_id, InvoiceKind.CORRECTION, start, end, issue, lines, corrected
    )


def _interest_note(
    s: _Seeder,
    customer: str,
    seq: int,
    late_doc: str,
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
    property_id = s.store.scalar("SELECT property_id FROM invoices WHERE number = ?", (late_doc,))
    doc, _, due, gross = _store_invoice(
        s,
        customer,
        seq,
        property_id,
        InvoiceKind.INTEREST_NOTE,
        paid_on,
        paid_on,
        issue,
        (line,),
        None,
        prefix="NO",
    )
    if settle and due < s.today - timedelta(days=120):
        _payment(s, customer, doc, due - timedelta(days=2), gross)


def _store_invoice(
    s: _Seeder,
    customer: str,
    seq: int,
    property_id: str,
    kind: InvoiceKind,
    start: date,
    end: date,
    issue: date,
    lines: tuple[InvoiceLine, ...],
    corrects: str | None,
    prefix: str = "FV",
) -> tuple[str, date, date, int]:
    if kind is InvoiceKind.CORRECTION:
        prefix = "KOR"
    doc = f"{prefix}/{customer}/{seq:03d}"
    net, vat, gross = totals(lines)
    due = issue + timedelta(days=DUE_DAYS)
    s.store.execute(
        "INSERT INTO invoices (number, customer_number, property_id, kind, issue_date,"
        " sale_date, period_from, period_to, due_date, net, vat, gross, corrects)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc,
            customer,
            property_id,
            kind.value,
            issue.isoformat(),
            end.isoformat(),
            start.isoformat(),
            end.isoformat(),
            due.isoformat(),
            net,
            vat,
            gross,
            corrects,
        ),
    )
    s.store.executemany(
        "INSERT INTO invoice_lines (invoice_number, pos, kind, description, quantity, unit,"
        " unit_price, net, vat_rate, vat, gross) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc,
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
        ],
    )
    return doc, issue, due, gross


def _payment(
    s: _Seeder, customer: str, doc: str | None, paid_on: date, amount: int, title: str = ""
) -> None:
    count = s.store.scalar("SELECT count(*) FROM payments WHERE customer_number = ?", (customer,))
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


# --- contracts, documents, requests ------------------------------------------------------


def _contract(s: _Seeder, customer: str, property_id: str, index: int, since: date) -> None:
    signed = since - timedelta(days=180 + 37 * index)
    s.store.execute(
        "INSERT INTO contracts (number, customer_number, property_id, title, signed_on,"
        " valid_from, valid_to, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            f"UM/{signed.year}/{customer}-{index}",
            customer,
            property_id,
            "Umowa o zaopatrzenie w wodę i odprowadzanie ścieków",
            signed.isoformat(),
            (signed + timedelta(days=14)).isoformat(),
            None,
            "active",
        ),
    )


def _letter(s: _Seeder, customer: str) -> None:
    """The tariff-change letter every customer got (rendered once, stored for each)."""
    tariff = s.tariffs[-1]
    created = tariff.valid_from - timedelta(days=21)
    if s.letter is None:
        from .pdf import letter_pdf, zl

        body = (
            f"Szanowni Państwo,\n\ninformujemy, że od {tariff.valid_from:%d.%m.%Y} obowiązuje "
            "nowa taryfa na zbiorowe zaopatrzenie w wodę i zbiorowe odprowadzanie ścieków: "
            f"woda {zl(tariff.water_per_m3)}/m³ netto, ścieki {zl(tariff.sewage_per_m3)}/m³ "
            f"netto, abonament {zl(tariff.subscription_per_month)} miesięcznie netto, "
            "do tego 8% VAT.\n\nZ poważaniem\nBiuro Obsługi Klienta"
        )
        s.letter = letter_pdf("Zawiadomienie o zmianie taryfy", "Odbiorcy usług", body)
    s.store.execute(
        "INSERT INTO documents (id, customer_number, title, kind, created_on, filename, mime,"
        " content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            f"D-{customer}-taryfa",
            customer,
            "Zawiadomienie o zmianie taryfy",
            "letter",
            created.isoformat(),
            "zawiadomienie-taryfa.pdf",
            "application/pdf",
            s.letter,
        ),
    )


def _requests(s: _Seeder) -> None:
    """Requests are numbered in the order they came in, across customers."""
    from ..domain.deadlines import DeadlinePolicy

    policy = DeadlinePolicy.default()
    ordered = sorted(s.pending_requests, key=lambda item: -item[1]["days_ago"])
    for i, (customer, spec) in enumerate(ordered, start=1):
        created = s.now - timedelta(days=spec["days_ago"], hours=3)
        request_id = f"Z-{customer}-{i}"
        meter_id = f"M-{spec['meter']}" if spec.get("meter") else None
        category = RequestCategory(spec["category"])
        s.store.execute(
            "INSERT INTO requests (id, number, customer_number, category, subject, body, status,"
            " created_at, due_date, meter_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                request_id,
                f"ZG/{created.year}/{i:06d}",
                customer,
                category.value,
                spec["subject"],
                spec["body"],
                spec["status"],
                created.isoformat(),
                due_date(policy, category, created.date()).isoformat(),
                meter_id,
            ),
        )
        events = [(created, RequestStatus.NEW.value, "klient", "Zgłoszenie przyjęte.")]
        for reply in spec.get("replies", []):
            at = s.now - timedelta(days=reply["days_ago"], hours=1)
            events.append((at, reply["status"], "Anna Kowalczyk", reply["text"]))
        s.store.executemany(
            "INSERT INTO request_events (request_id, at, status, author, text)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (request_id, at.isoformat(), status, author, text)
                for at, status, author, text in events
            ],
        )
    s.pending_requests.clear()


# --- synthetic data for the benchmarks -----------------------------------------------------

_FIRST = (
    "Jan",
    "Anna",
    "Piotr",
    "Maria",
    "Tomasz",
    "Katarzyna",
    "Paweł",
    "Agnieszka",
    "Michał",
    "Małgorzata",
    "Krzysztof",
    "Ewa",
    "Andrzej",
    "Joanna",
    "Łukasz",
    "Zofia",
)
_LAST = (
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
)
_STREETS = (
    "ul. Lipowa",
    "ul. Polna",
    "ul. Leśna",
    "ul. Słoneczna",
    "ul. Krótka",
    "ul. Szkolna",
    "ul. Ogrodowa",
    "ul. Kwiatowa",
    "ul. Brzozowa",
    "ul. Łąkowa",
    "ul. Kościuszki",
    "ul. Mickiewicza",
    "ul. Sienkiewicza",
    "ul. Źródlana",
)
SYNTHETIC_PASSWORD = "Synteza!2026"


def synthetic_customer(rng: random.Random, index: int, years: int) -> dict[str, Any]:
    street = rng.choice(_STREETS)
    address = {
        "street": street,
        "building": str(rng.randint(1, 180)),
        "postal_code": "05-540",
        "city": "Zalesie Górne",
    }
    meters = [
        {
            "serial": f"SY-{index:07d}",
            "diameter_mm": 15,
            "location": "piwnica",
            "legalized_months_ago": rng.randint(1, 64),
            "litres_per_day": rng.randint(90, 600),
        }
    ]
    if rng.random() < 0.1:
        meters[0]["submeters"] = [
            {
                "serial": f"SG-{index:07d}",
                "diameter_mm": 15,
                "location": "ogród",
                "legalized_months_ago": rng.randint(1, 50),
                "litres_per_day": rng.randint(50, 200),
                "garden": True,
            }
        ]
    return {
        "number": f"{500000 + index:06d}",
        "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "kind": "person",
        "address": address,
        "email": f"klient{index}@example.pl",
        "phone": f"+48 600 {index % 1000:03d} {index // 1000 % 1000:03d}",
        "status": "active",
        "billing_months": rng.choice((1, 2)),
        "history_months": years * 12,
        "properties": [
            {
                "label": "Dom",
                "address": address,
                "points": [{"label": "Przyłącze główne", "meters": meters}],
            }
        ],
    }


def generate(
    store: Store,
    *,
    customers: int,
    years: int,
    today: date,
    now: datetime,
    seed_value: int = 2026,
    progress: Any = None,
) -> None:
    """Seed an empty store with the demo set plus `customers` synthetic customers with
    `years` of history each. Every synthetic customer signs in with SYNTHETIC_PASSWORD."""
    seed(store, read_fixture(), today=today, now=now)
    data = read_fixture()
    tariffs = _tariffs(data["tariffs"], today - timedelta(days=1))
    oldest = tariffs[0]
    tariffs[0] = Tariff(
        oldest.id,
        date(1990, 1, 1),
        oldest.valid_to,
        oldest.water_per_m3,
        oldest.sewage_per_m3,
        oldest.subscription_per_month,
        oldest.vat_rate,
    )
    seeder = _Seeder(store, today, now, tariffs, data["utility"]["bank_sort_code"], False)
    shared_hash = hash_password(SYNTHETIC_PASSWORD)
    rng = random.Random(seed_value)
    batch = 200
    for start in range(0, customers, batch):
        with store.transaction():
            for index in range(start, min(start + batch, customers)):
                _customer(seeder, synthetic_customer(rng, index, years), shared_hash)
        if progress is not None:
            progress(min(start + batch, customers), customers)
