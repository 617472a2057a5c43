"""The exchange format with the billing system: one JSON object a line (JSON Lines), its
`type` naming the record. Every record type's fields, their bounds and checks, in one
table (`TYPES`), read by the import (importer.py), written by the export (exporter.py) and
described in the README.

fields.py checks one record against its type's fields; references to other records are
the importer's (validation.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...domain.models import (
    AccountStatus,
    ContractStatus,
    CustomerKind,
    DocumentKind,
    InvoiceKind,
    LineKind,
    MeterOwner,
    MeterRole,
    MeterStatus,
    NoticeKind,
    ReadingStatus,
    ReadingType,
    Resolution,
    ScanStatus,
)

MAX_LINE = 16 * 1024 * 1024  # bytes of one line: a document's file, base64, is the largest
MAX_DOCUMENT = 10 * 1024 * 1024  # bytes of a document's file
MAX_MONEY = 10**12  # grosze: ten billion złoty, more than any water bill
MAX_INDEX = 10**9  # m³·1000 of a meter's register
MAX_SETTING = 64 * 1024  # characters of a setting's JSON
MAX_LINES = 100  # lines of one invoice


def _enum(kind: Any) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


@dataclass(frozen=True)
class Field:
    """One field: its name, its kind (below), whether it must be there, its bound."""

    name: str
    kind: str = "text"
    required: bool = True
    max_length: int = 200
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = MAX_MONEY
    multiline: bool = False
    parts: tuple[Field, ...] = ()  # an object's fields, or a list's items' fields
    default: Any = None


def _text(name: str, max_length: int = 200, required: bool = True, **kw: Any) -> Field:
    return Field(name, "text", required, max_length, **kw)


def _address(name: str = "address") -> Field:
    return Field(
        name,
        "object",
        parts=(
            _text("street"),
            _text("building", 20),
            _text("apartment", 20, required=False, default=""),
            _text("postal_code", 10),
            _text("city", 100),
        ),
    )


def _money(name: str, low: int = -MAX_MONEY, required: bool = True) -> Field:
    return Field(name, "int", required, low=low, high=MAX_MONEY)


def _date(name: str, required: bool = True) -> Field:
    return Field(name, "date", required)


def _ref(name: str, required: bool = True) -> Field:
    """The utility's key of another record (checked by the importer)."""
    return _text(name, 60, required=required)


_KEY = 60  # characters of any record's key
_LINE = Field(
    "lines",
    "list",
    parts=(
        Field("kind", "enum", choices=_enum(LineKind)),
        _text("description", 300),
        Field("quantity", "decimal"),
        _text("unit", 20),
        _money("unit_price"),
        _money("net"),
        Field("vat_rate", "rate"),
        _money("vat"),
        _money("gross"),
    ),
    high=MAX_LINES,
)
_INVOICE_FIELDS = (
    _text("number", _KEY),
    _ref("customer"),
    _ref("property"),
    _date("issue_date"),
    _date("sale_date"),
    _date("period_from"),
    _date("period_to"),
    _date("due_date"),
    _money("net"),
    _money("vat"),
    _money("gross"),
    _LINE,
)


@dataclass(frozen=True)
class RecordType:
    name: str
    key: str  # the field that names the record: the utility's own key
    fields: tuple[Field, ...]
    by_name: dict[str, Field] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_name.update({f.name: f for f in self.fields})


# the order the import writes in and the export writes: parents before their children
TYPES: dict[str, RecordType] = {
    t.name: t
    for t in (
        RecordType(
            "setting",
            "key",
            (
                Field("key", "enum", choices=("utility", "policy", "terms")),
                Field("value", "json"),
            ),
        ),
        RecordType(
            "tariff",
            "id",
            (
                _text("id", _KEY),
                _date("valid_from"),
                _date("valid_to", required=False),
                _money("water", 0),
                _money("sewage", 0),
                _money("subscription", 0),
                Field("vat_rate", "rate"),
            ),
        ),
        RecordType(
            "notice",
            "id",
            (
                _text("id", _KEY),
                Field("kind", "enum", choices=_enum(NoticeKind)),
                _text("title", 200),
                _text("body", 20_000, multiline=True),
                Field("published_at", "datetime"),
                _date("valid_from"),
                _date("valid_to", required=False),
                _text("area", 200, required=False, default=""),
            ),
        ),
        RecordType(
            "customer",
            "number",
            (
                _text("number", 20),
                _text("name", 200),
                Field("kind", "enum", choices=_enum(CustomerKind)),
                _address(),
                Field("email", "email", required=False, default=""),
                _text("phone", 30, required=False, default=""),
                Field("nip", "nip", required=False, default=""),
                Field("regon", "regon", required=False, default=""),
                Field("bank_account", "iban"),
                Field("billing_months", "int", required=False, low=1, high=12, default=1),
                # taken only when the customer is new: afterwards the iBOK's own (the
                # customer's choices in Ustawienia, the account's state) win
                Field(
                    "consents",
                    "object",
                    required=False,
                    parts=(
                        Field("e_invoice", "bool", required=False, default=False),
                        Field("e_invoice_email", "email", required=False, default=""),
                        Field("notify_email", "bool", required=False, default=False),
                        Field("notify_sms", "bool", required=False, default=False),
                        Field("marketing", "bool", required=False, default=False),
                    ),
                ),
                Field(
                    "account",
                    "object",
                    required=False,
                    parts=(
                        Field("status", "enum", choices=_enum(AccountStatus)),
                        _text("status_reason", 2_000, required=False, default=""),
                        Field("registered_at", "datetime", required=False),
                        _text("terms_version", 40, required=False),
                        Field("must_change_password", "bool", required=False, default=False),
                    ),
                ),
            ),
        ),
        RecordType(
            "property",
            "id",
            (_text("id", _KEY), _ref("customer"), _text("label", 200), _address()),
        ),
        RecordType("point", "id", (_text("id", _KEY), _ref("property"), _text("label", 200))),
        RecordType(
            "meter",
            "serial",
            (
                _text("serial", 40),
                _ref("property"),
                _ref("point"),
                Field("role", "enum", choices=_enum(MeterRole)),
                _ref("parent", required=False),
                Field("diameter_mm", "int", low=1, high=1000),
                _text("location", 200),
                Field("status", "enum", choices=_enum(MeterStatus)),
                Field("owner", "enum", choices=_enum(MeterOwner)),
                _date("installed_on"),
                _date("legalization_expires"),
                Field("resolution", "enum", choices=_enum(Resolution)),
            ),
        ),
        RecordType(
            "document",
            "id",
            (
                _text("id", _KEY),
                _ref("customer"),
                _text("title", 200),
                Field("kind", "enum", choices=_enum(DocumentKind)),
                _date("created_on"),
                Field("filename", "filename"),
                Field("mime", "enum", choices=("application/pdf", "image/jpeg", "image/png")),
                Field("content", "base64"),
                _ref("contract", required=False),
                Field("scan_status", "enum", required=False, choices=_enum(ScanStatus)),
            ),
        ),
        RecordType(
            "contract",
            "number",
            (
                _text("number", _KEY),
                _ref("customer"),
                _ref("property"),
                _text("title", 300),
                _date("signed_on"),
                _date("valid_from"),
                _date("valid_to", required=False),
                Field("status", "enum", choices=_enum(ContractStatus)),
                _ref("document", required=False),
            ),
        ),
        RecordType(
            "invoice",
            "number",
            (
                *_INVOICE_FIELDS,
                Field(
                    "kind",
                    "enum",
                    choices=tuple(k for k in _enum(InvoiceKind) if k != "interest_note"),
                ),
                _ref("corrects", required=False),
            ),
        ),
        RecordType("interest_note", "number", _INVOICE_FIELDS),
        RecordType(
            "payment",
            "id",
            (
                _text("id", _KEY),
                _ref("customer"),
                _date("paid_on"),
                _money("amount"),
                _text("title", 300),
                _ref("document", required=False),
            ),
        ),
        RecordType(
            "reading",
            "id",
            (
                _text("id", _KEY),
                _ref("meter"),
                _date("read_on"),
                Field("index", "int", high=MAX_INDEX),
                Field("consumption", "int", required=False, low=-MAX_INDEX, high=MAX_INDEX),
                Field("reading_type", "enum", choices=_enum(ReadingType)),
                Field("status", "enum", choices=_enum(ReadingStatus)),
                Field("submitted_at", "datetime", required=False),
                Field("meter_change", "bool", required=False, default=False),
                _text("note", 500, required=False, default=""),
                _date("submitted_period", required=False),
            ),
        ),
        RecordType(
            "hourly",
            "key",  # made of the meter and the day (importer.py)
            (
                _ref("meter"),
                _date("day"),
                Field("litres", "hours", low=0, high=10**7),
            ),
        ),
        # the end of the customer's supply contract (portal/contract_end.py): recorded after
        # the import's transaction, through the same rule as the clerk's (Będzin §8.6)
        RecordType("contract_end", "customer", (_ref("customer"), _date("ended_on"))),
    )
}
