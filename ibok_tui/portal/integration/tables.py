"""Where each record type is stored: its table, the column its key is in, its columns, and
the row of a checked record. Every column a record sets is compared with the stored row
before anything is written, so a record the store holds already writes nothing (no
trigger fires, no stored answer goes old)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[str, ...]  # the key column first; what an update sets
    row: Callable[[dict[str, Any]], tuple[Any, ...]]
    created_only: tuple[str, ...] = ()  # set when the row is new, never changed after
    new_row: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None


def _address(values: dict[str, Any]) -> tuple[Any, ...]:
    a = values["address"]
    return (a["street"], a["building"], a["apartment"] or "", a["postal_code"], a["city"])


def _customer(v: dict[str, Any]) -> tuple[Any, ...]:
    return (
        v["number"],
        v["name"],
        v["kind"],
        *_address(v),
        v["nip"] or "",
        v["regon"] or "",
        v["bank_account"],
        v["billing_months"],
    )


def _customer_new(v: dict[str, Any]) -> tuple[Any, ...]:
    consents = v["consents"] or {}
    account = v["account"] or {}
    status = account.get("status") or "unregistered"
    return (
        v["email"] or "",
        v["phone"] or "",
        status,
        account.get("status_reason") or "",
        account.get("registered_at"),
        account.get("terms_version"),
        int(account.get("must_change_password") or 0),
        int(consents.get("e_invoice") or 0),
        consents.get("e_invoice_email") or "",
        int(consents.get("notify_email") or 0),
        int(consents.get("notify_sms") or 0),
        int(consents.get("marketing") or 0),
    )


def _invoice(kind: str | None) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    def row(v: dict[str, Any]) -> tuple[Any, ...]:
        return (
            v["number"],
            v["customer"],
            v["property"],
            kind or v["kind"],
            v["issue_date"],
            v["sale_date"],
            v["period_from"],
            v["period_to"],
            v["due_date"],
            v["net"],
            v["vat"],
            v["gross"],
            None if kind else v["corrects"],
        )

    return row


_INVOICE_COLUMNS = (
    "number",
    "customer_number",
    "property_id",
    "kind",
    "issue_date",
    "sale_date",
    "period_from",
    "period_to",
    "due_date",
    "net",
    "vat",
    "gross",
    "corrects",
)

LINE_COLUMNS = (
    "invoice_number",
    "pos",
    "kind",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "net",
    "vat_rate",
    "vat",
    "gross",
)


def line_rows(values: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            values["number"],
            pos,
            line["kind"],
            line["description"],
            line["quantity"],
            line["unit"],
            line["unit_price"],
            line["net"],
            line["vat_rate"],
            line["vat"],
            line["gross"],
        )
        for pos, line in enumerate(values["lines"], start=1)
    ]


TABLES: dict[str, Table] = {
    "setting": Table("settings", "key", ("key", "value"), lambda v: (v["key"], v["value"])),
    "tariff": Table(
        "tariffs",
        "id",
        ("id", "valid_from", "valid_to", "water", "sewage", "subscription", "vat_rate"),
        lambda v: (
            v["id"],
            v["valid_from"],
            v["valid_to"],
            v["water"],
            v["sewage"],
            v["subscription"],
            v["vat_rate"],
        ),
    ),
    "notice": Table(
        "notices",
        "id",
        ("id", "kind", "title", "body", "published_at", "valid_from", "valid_to", "area"),
        lambda v: (
            v["id"],
            v["kind"],
            v["title"],
            v["body"],
            v["published_at"],
            v["valid_from"],
            v["valid_to"],
            v["area"] or "",
        ),
    ),
    "customer": Table(
        "customers",
        "number",
        (
            "number",
            "name",
            "kind",
            "street",
            "building",
            "apartment",
            "postal_code",
            "city",
            "nip",
            "regon",
            "bank_account",
            "billing_months",
        ),
        _customer,
        created_only=(
            "email",
            "phone",
            "status",
            "status_reason",
            "registered_at",
            "terms_version",
            "must_change_password",
            "e_invoice",
            "e_invoice_email",
            "notify_email",
            "notify_sms",
            "marketing",
        ),
        new_row=_customer_new,
    ),
    "property": Table(
        "properties",
        "id",
        (
            "id",
            "customer_number",
            "label",
            "street",
            "building",
            "apartment",
            "postal_code",
            "city",
        ),
        lambda v: (v["id"], v["customer"], v["label"], *_address(v)),
    ),
    "point": Table(
        "points",
        "id",
        ("id", "property_id", "label"),
        lambda v: (v["id"], v["property"], v["label"]),
    ),
    # meters and readings are named by the utility's serial; their rows by the store's id
    # (writing.py maps one to the other)
    "meter": Table(
        "meters",
        "serial",
        (
            "serial",
            "property_id",
            "point_id",
            "role",
            "parent_id",
            "diameter_mm",
            "location",
            "status",
            "owner",
            "installed_on",
            "legalization_expires",
            "resolution",
        ),
        lambda v: (
            v["serial"],
            v["property"],
            v["point"],
            v["role"],
            v["parent"],
            v["diameter_mm"],
            v["location"],
            v["status"],
            v["owner"],
            v["installed_on"],
            v["legalization_expires"],
            v["resolution"],
        ),
    ),
    "document": Table(
        "documents",
        "id",
        (
            "id",
            "customer_number",
            "title",
            "kind",
            "created_on",
            "filename",
            "mime",
            "content",
            "contract_number",
            "scan_status",
        ),
        lambda v: (
            v["id"],
            v["customer"],
            v["title"],
            v["kind"],
            v["created_on"],
            v["filename"],
            v["mime"],
            v["content"],
            v["contract"],
            v["scan_status"],
        ),
    ),
    "contract": Table(
        "contracts",
        "number",
        (
            "number",
            "customer_number",
            "property_id",
            "title",
            "signed_on",
            "valid_from",
            "valid_to",
            "status",
            "document_id",
        ),
        lambda v: (
            v["number"],
            v["customer"],
            v["property"],
            v["title"],
            v["signed_on"],
            v["valid_from"],
            v["valid_to"],
            v["status"],
            v["document"],
        ),
    ),
    "invoice": Table("invoices", "number", _INVOICE_COLUMNS, _invoice(None)),
    "interest_note": Table("invoices", "number", _INVOICE_COLUMNS, _invoice("interest_note")),
    "payment": Table(
        "payments",
        "id",
        ("id", "customer_number", "paid_on", "amount", "title", "document_number"),
        lambda v: (v["id"], v["customer"], v["paid_on"], v["amount"], v["title"], v["document"]),
    ),
    "reading": Table(
        "readings",
        "id",
        (
            "id",
            "meter_id",
            "read_on",
            "idx",
            "consumption",
            "type",
            "status",
            "submitted_at",
            "meter_change",
            "note",
            "submitted_period",
        ),
        lambda v: (
            v["id"],
            v["meter"],
            v["read_on"],
            v["index"],
            v["consumption"],
            v["reading_type"],
            v["status"],
            v["submitted_at"],
            v["meter_change"],
            v["note"] or "",
            v["submitted_period"],
        ),
    ),
}
