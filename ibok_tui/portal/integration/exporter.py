"""`export_records`: a store's data in the import format (records.py), one file per record
type, numbered in the order they import in (parents first): what `ibok export` writes and
what `ibok import DIR/*.jsonl` takes back. Password hashes, sessions, tokens and the audit
are the iBOK's own and never leave it."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..store import Row, Store
from .records import TYPES
from .tables import LINE_COLUMNS, TABLES

SETTINGS = ("utility", "policy", "terms")


def _address(row: Row) -> dict[str, str]:
    return {
        "street": row["street"],
        "building": row["building"],
        "apartment": row["apartment"],
        "postal_code": row["postal_code"],
        "city": row["city"],
    }


def _bare(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its empty optional fields."""
    return {k: v for k, v in record.items() if v is not None}


def _settings(store: Store) -> Iterator[dict[str, Any]]:
    for key in SETTINGS:
        if key == "terms":  # the newest version (portal/terms.py keeps every one)
            row = store.one(
                "SELECT version, effective_from, text FROM terms_versions"
                " ORDER BY effective_from DESC, published_at DESC LIMIT 1"
            )
            if row is not None:
                names = ("version", "effective_from", "text")
                yield {"key": key, "value": {name: row[name] for name in names}}
            continue
        value = store.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        if value is not None:
            yield {"key": key, "value": json.loads(value)}


def _customers(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all("SELECT * FROM customers ORDER BY number"):
        yield {
            "number": row["number"],
            "name": row["name"],
            "kind": row["kind"],
            "address": _address(row),
            "email": row["email"],
            "phone": row["phone"],
            "nip": row["nip"],
            "regon": row["regon"],
            "bank_account": row["bank_account"],
            "billing_months": row["billing_months"],
            "consents": {
                "e_invoice": bool(row["e_invoice"]),
                "e_invoice_email": row["e_invoice_email"],
                "notify_email": bool(row["notify_email"]),
                "notify_sms": bool(row["notify_sms"]),
                "marketing": bool(row["marketing"]),
            },
            "account": _bare(
                {
                    "status": row["status"],
                    "status_reason": row["status_reason"],
                    "registered_at": row["registered_at"],
                    "terms_version": row["terms_version"],
                    "must_change_password": bool(row["must_change_password"]),
                }
            ),
        }


def _plain(kind: str, order: str) -> Callable[[Store], Iterator[dict[str, Any]]]:
    """Records whose fields are their table's columns one for one."""
    table = TABLES[kind]
    names = [f.name for f in TYPES[kind].fields]

    def rows(store: Store) -> Iterator[dict[str, Any]]:
        for row in store.all(
            f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY {order}"
        ):
            yield _bare(dict(zip(names, (row[c] for c in table.columns), strict=True)))

    return rows


def _properties(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all("SELECT * FROM properties ORDER BY customer_number, id"):
        yield {
            "id": row["id"],
            "customer": row["customer_number"],
            "label": row["label"],
            "address": _address(row),
        }


def _points(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all("SELECT id, property_id, label FROM points ORDER BY property_id, id"):
        yield {"id": row["id"], "property": row["property_id"], "label": row["label"]}


def _meters(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all(
        "SELECT m.*, parent.serial AS parent_serial FROM meters m"
        " LEFT JOIN meters parent ON parent.id = m.parent_id"
        " ORDER BY m.property_id, m.parent_id IS NOT NULL, m.id"
    ):
        yield _bare(
            {
                "serial": row["serial"],
                "property": row["property_id"],
                "point": row["point_id"],
                "role": row["role"],
                "parent": row["parent_serial"],
                "diameter_mm": row["diameter_mm"],
                "location": row["location"],
                "status": row["status"],
                "owner": row["owner"],
                "installed_on": row["installed_on"],
                "legalization_expires": row["legalization_expires"],
                "resolution": row["resolution"],
            }
        )


def _documents(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all("SELECT * FROM documents ORDER BY customer_number, id"):
        yield _bare(
            {
                "id": row["id"],
                "customer": row["customer_number"],
                "title": row["title"],
                "kind": row["kind"],
                "created_on": row["created_on"],
                "filename": row["filename"],
                "mime": row["mime"],
                "content": base64.b64encode(bytes(row["content"])).decode("ascii"),
                "contract": row["contract_number"],
                "scan_status": row["scan_status"],
            }
        )


def _invoices(kinds: str, note: bool) -> Callable[[Store], Iterator[dict[str, Any]]]:
    def rows(store: Store) -> Iterator[dict[str, Any]]:
        lines: dict[str, list[dict[str, Any]]] = {}
        for line in store.all(
            f"SELECT l.{', l.'.join(LINE_COLUMNS)} FROM invoice_lines l JOIN invoices i"
            f" ON i.number = l.invoice_number WHERE i.kind {kinds}"
            " ORDER BY l.invoice_number, l.pos"
        ):
            lines.setdefault(line["invoice_number"], []).append(
                {c: line[c] for c in LINE_COLUMNS[2:]}
            )
        for row in store.all(
            f"SELECT * FROM invoices WHERE kind {kinds} ORDER BY customer_number, issue_date,"
            " number"
        ):
            record = {
                "number": row["number"],
                "customer": row["customer_number"],
                "property": row["property_id"],
                "issue_date": row["issue_date"],
                "sale_date": row["sale_date"],
                "period_from": row["period_from"],
                "period_to": row["period_to"],
                "due_date": row["due_date"],
                "net": row["net"],
                "vat": row["vat"],
                "gross": row["gross"],
                "lines": lines.get(row["number"], []),
            }
            if not note:
                record |= _bare({"kind": row["kind"], "corrects": row["corrects"]})
            yield record

    return rows


def _readings(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all(
        "SELECT r.*, m.serial FROM readings r JOIN meters m ON m.id = r.meter_id"
        " ORDER BY r.meter_id, r.read_on, r.id"
    ):
        yield _bare(
            {
                "id": row["id"],
                "meter": row["serial"],
                "read_on": row["read_on"],
                "index": row["idx"],
                "consumption": row["consumption"],
                "reading_type": row["type"],
                "status": row["status"],
                "submitted_at": row["submitted_at"],
                "meter_change": bool(row["meter_change"]),
                "note": row["note"],
                "submitted_period": row["submitted_period"],
            }
        )


def _hourly(store: Store) -> Iterator[dict[str, Any]]:
    current: dict[str, Any] | None = None
    for row in store.all(
        "SELECT m.serial, h.ts, h.litres FROM hourly h JOIN meters m ON m.id = h.meter_id"
        " ORDER BY h.meter_id, h.ts"
    ):
        day, hour = row["ts"][:10], int(row["ts"][11:13])
        if current is None or current["meter"] != row["serial"] or current["day"] != day:
            if current is not None:
                yield current
            current = {"meter": row["serial"], "day": day, "litres": [None] * 24}
        current["litres"][hour] = row["litres"]
    if current is not None:
        yield current


def _contract_ends(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.all(
        "SELECT number, contract_ended_on FROM customers"
        " WHERE contract_ended_on IS NOT NULL ORDER BY number"
    ):
        yield {"customer": row["number"], "ended_on": row["contract_ended_on"]}


EXPORTS: dict[str, Callable[[Store], Iterator[dict[str, Any]]]] = {
    "setting": _settings,
    "tariff": _plain("tariff", "valid_from, id"),
    "notice": _plain("notice", "valid_from, id"),
    "customer": _customers,
    "property": _properties,
    "point": _points,
    "meter": _meters,
    "document": _documents,
    "contract": _plain("contract", "customer_number, number"),
    "invoice": _invoices("<> 'interest_note'", note=False),
    "interest_note": _invoices("= 'interest_note'", note=True),
    "payment": _plain("payment", "customer_number, paid_on, id"),
    "reading": _readings,
    "hourly": _hourly,
    "contract_end": _contract_ends,
}
assert list(EXPORTS) == list(TYPES)  # every type, in the order they import in


def file_name(index: int, kind: str) -> str:
    return f"{index:02d}-{kind}.jsonl"


def export_records(store: Store, folder: Path) -> dict[str, int]:
    """Write every record type's file into `folder`; returns the records of each."""
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for index, (kind, rows) in enumerate(EXPORTS.items(), start=1):
        path = folder / file_name(index, kind)
        written = 0
        with path.open("w", encoding="utf-8") as out:
            for record in rows(store):
                out.write(json.dumps({"type": kind, **record}, ensure_ascii=False) + "\n")
                written += 1
        counts[kind] = written
    return counts
