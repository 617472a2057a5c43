"""The demo data set.

`fixtures/demo.json` describes customers, their property, meters and usage profiles
and dated events counted back from yesterday. `seed` expands it, deterministically,
into readings, hourly series, invoices, payments and notes, so the data always ends
yesterday whatever day it is loaded.
`synthetic.generate` makes large data sets from the same expansion.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from operator import add
from pathlib import Path
from typing import Any

from ...domain.dates import add_months
from ...domain.deadlines import due_date
from ...domain.identifiers import CHECKS
from ...domain.legalization import legalization_expiry
from ...domain.models import (
    CUSTOMER_AUTHOR,
    RequestCategory,
    RequestStatus,
    Tariff,
)
from ...domain.payments import individual_account
from .. import history_schema, search
from ..base import local_date
from ..hashing import hash_password
from ..store import Store

# share of a day's water used in each hour, a household's typical day
from .demo_billing import write_invoices
from .demo_usage import Daily, daily_usage, past_periods, write_hourly, write_readings
from .seeder import Seeder


def fixture_path(name: str = "demo.json") -> Path:
    """The fixture file: inside the installed wheel, or in the checkout."""
    packaged = resources.files("ibok_tui").joinpath("_fixtures", name)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "fixtures" / name


def read_fixture(name: str = "demo.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(fixture_path(name).read_text(encoding="utf-8"))
    return data


def load_demo(store: Store, clock: Callable[[], datetime]) -> None:
    """Seed an empty store with the demo data set, relative to the clock's today."""
    now = clock().astimezone(UTC)
    seed(store, read_fixture(), today=local_date(now), now=now)


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
    utility = data["utility"]
    checked_number("nip", utility["nip"])
    checked_number("account", utility["bank_account"])
    seeder = Seeder(store, today, now, tariffs, utility["bank_sort_code"], with_documents)
    terms = data["terms"]
    with store.transaction():
        store.execute(
            "INSERT INTO settings (key, value) VALUES ('utility', ?)",
            (json.dumps(data["utility"], ensure_ascii=False),),
        )
        store.execute(
            "INSERT INTO settings (key, value) VALUES ('policy', ?)",
            (json.dumps(data.get("policy", {})),),
        )
        if "routing" in data:
            store.execute(
                "INSERT INTO settings (key, value) VALUES ('routing', ?)",
                (json.dumps(data["routing"], ensure_ascii=False),),
            )
        effective = add_months(as_of.replace(day=1), -terms["effective_months_ago"])
        store.execute(
            "INSERT INTO terms_versions (version, effective_from, text, published_at)"
            " VALUES (?, ?, ?, ?)",
            (terms["version"], effective.isoformat(), terms["text"], f"{effective}T00:00:00+00:00"),
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
            if "registration" in spec:
                _registration(seeder, spec)
        _requests(seeder)
        history_schema.backfill(store)  # each reading's (and scan's) first step
        search.reindex(store)


def _registration(s: Seeder, spec: dict[str, Any]) -> None:
    """What a pending registrant gave (the clerk compares it with the utility's data): the
    utility's newest invoice, the spec's name and the e-mail the utility had before."""
    given = spec["registration"]
    s.store.execute(
        "INSERT INTO registrations (customer_number, full_name, email, last_invoice,"
        " email_on_record, registered_at) SELECT ?, ?, ?, COALESCE((SELECT number"
        " FROM invoices WHERE customer_number = ? AND kind <> 'interest_note'"
        " ORDER BY issue_date DESC, number DESC LIMIT 1), ''), ?, ?",
        (
            spec["number"],
            given["full_name"],
            spec["email"],
            spec["number"],
            given["email_on_record"],
            (s.now - timedelta(hours=spec.get("registered_hours_ago", 0))).isoformat(),
        ),
    )


def checked_number(kind: str, value: str) -> str:
    """A NIP, REGON or account of the fixtures, refused unless its check digits are right
    (python-stdnum): the demo shows numbers a real office could have."""
    if value and not CHECKS[kind](value):
        raise ValueError(f"the fixture's {kind} {value!r} fails its checksum")
    return value


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


def _customer(s: Seeder, spec: dict[str, Any], password_hash: str | None = None) -> None:
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
        " city, email, phone, status, bank_account, nip, regon, e_invoice,"
        " e_invoice_email, notify_email, notify_sms, marketing, billing_months, password_hash,"
        " must_change_password, registered_at, terms_version, status_reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            checked_number("nip", spec.get("nip", "")),
            checked_number("regon", spec.get("regon", "")),
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
    periods = past_periods(s.as_of, months, spec.get("history_months", 24))
    property_usage: list[tuple[str, Daily, Daily]] = []
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
        water: Daily = []
        garden: Daily = []
        for pt_index, point in enumerate(prop["points"], start=1):
            point_id = f"PT-{number}-{p_index}-{pt_index}"
            s.store.execute(
                "INSERT INTO points (id, property_id, label) VALUES (?, ?, ?)",
                (point_id, property_id, point["label"]),
            )
            for meter in point["meters"]:
                main_daily = _meter(s, meter, property_id, point_id, periods, spec, None)
                _add_usage(water, main_daily)
                for sub in meter.get("submeters", []):
                    sub_daily = _meter(s, sub, property_id, point_id, periods, spec, meter)
                    _add_usage(garden, sub_daily)
        property_usage.append((property_id, water, garden))
        _contract(s, number, property_id, p_index, periods[0][0])
    write_invoices(s, spec, periods, property_usage)
    if s.with_documents and status != "unregistered":
        _letter(s, number)
    for request in spec.get("requests", []):
        s.pending_requests.append((number, request))


def _add_usage(total: Daily, daily: Daily) -> None:
    """Add one meter's daily use to a property's (the first meter's is simply copied); all
    count from the same first day."""
    if not total:
        total.extend(daily)
        return
    total[:] = map(add, total, daily)


def _meter(
    s: Seeder,
    meter: dict[str, Any],
    property_id: str,
    point_id: str,
    periods: Sequence[tuple[date, date]],
    customer: dict[str, Any],
    parent: dict[str, Any] | None,
) -> Daily:
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
    daily = daily_usage(meter, first, s.as_of)
    for sub in meter.get("submeters", []):  # garden water passes through the main meter
        daily[:] = map(add, daily, daily_usage(sub, first, s.as_of))
    if resolution == "hour":
        write_hourly(s, meter_id, first, daily, meter.get("leak_nights", 0))
    write_readings(s, meter, meter_id, daily, periods, installed, customer)
    return daily


# --- contracts, documents, requests ------------------------------------------------------


def _contract(s: Seeder, customer: str, property_id: str, index: int, since: date) -> None:
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


def _letter(s: Seeder, customer: str) -> None:
    """The tariff-change letter every customer got (rendered once, stored for each)."""
    tariff = s.tariffs[-1]
    created = tariff.valid_from - timedelta(days=21)
    if s.letter is None:
        from ..pdf import letter_pdf, zl

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


def _requests(s: Seeder) -> None:
    """Requests are numbered in the order they came in, across customers."""
    from ...domain.deadlines import DeadlinePolicy

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
        events = [(created, RequestStatus.NEW.value, CUSTOMER_AUTHOR, "")]
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
