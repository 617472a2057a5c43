"""The exchange format with the billing system: one JSON object a line (JSON Lines), its
`type` naming the record. Every record type's fields, their bounds and checks, in one
table (`TYPES`), read by the import (importer.py), written by the export (exporter.py) and
described in the README.

`checked(type, record)` turns one decoded record into its values, or the list of its
problems as field errors (codes with params, as everywhere in the portal). It checks only
the record itself; references to other records are the importer's."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ...domain.errors import FieldError
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
from ..checks import EARLIEST, LATEST, email_error, text_error

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
                _text("mime", 100),
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
    )
}


def _error(name: str, code: str, **params: str) -> FieldError:
    return FieldError(name, code, params=params)


def _check_text(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str):
        return None, _error(name, "not_text")
    return value, text_error(name, value, max_length=spec.max_length, multiline=spec.multiline)


def _check_int(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, _error(name, "not_integer")
    if not spec.low <= value <= spec.high:
        return None, _error(name, "number_out_of_range", min=str(spec.low), max=str(spec.high))
    return value, None


def _check_date(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str) or len(value) != 10:
        return None, _error(name, "invalid_date")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None, _error(name, "invalid_date")
    if not EARLIEST <= day <= LATEST:
        return None, _error(name, "out_of_range", min=EARLIEST.isoformat(), max=LATEST.isoformat())
    return day.isoformat(), None


def _check_datetime(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str) or len(value) > 40:
        return None, _error(name, "invalid_datetime")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, _error(name, "invalid_datetime")
    if moment.tzinfo is None or not EARLIEST.year <= moment.year <= LATEST.year:
        return None, _error(name, "invalid_datetime")  # a moment says its offset
    return value, None


def _check_decimal(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str) or len(value) > 20:
        return None, _error(name, "invalid_decimal")
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None, _error(name, "invalid_decimal")
    if not number.is_finite() or abs(number) >= 10**9:
        return None, _error(name, "invalid_decimal")
    return value, None


def _check_rate(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    text, problem = _check_decimal(name, spec, value)
    if problem is None and not 0 <= Decimal(text) < 1:
        return None, _error(name, "number_out_of_range", min="0", max="1")
    return text, problem


def _check_enum(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str) or value not in spec.choices:
        return None, _error(name, "not_one_of", choices=", ".join(spec.choices))
    return value, None


def _check_bool(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, bool):
        return None, _error(name, "not_boolean")
    return int(value), None


def _check_email(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str):
        return None, _error(name, "not_text")
    return value, (email_error(name, value) if value else None)


def _number(name: str, value: Any, module: Any, code: str) -> tuple[Any, FieldError | None]:
    """A number python-stdnum checks (its own format and check digits)."""
    if not isinstance(value, str):
        return None, _error(name, "not_text")
    if not value:
        return "", None
    if len(value) > 40 or text_error(name, value) is not None:
        return None, _error(name, code)
    try:
        return module.compact(value) if code != "invalid_iban" else value, (
            None if module.is_valid(value) else _error(name, code)
        )
    except Exception:  # stdnum raises its own for strange input
        return None, _error(name, code)


def _check_nip(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    from stdnum.pl import nip

    return _number(name, value, nip, "invalid_nip")


def _check_regon(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    from stdnum.pl import regon

    return _number(name, value, regon, "invalid_regon")


def _check_iban(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    """A Polish account: 26 digits (NRB) or its IBAN (PL and the 26); stored as the 26."""
    from stdnum import iban

    if not isinstance(value, str) or not value or len(value) > 40:
        return None, _error(name, "invalid_iban")
    compact = value.replace(" ", "").upper()
    full = compact if compact.startswith("PL") else "PL" + compact
    if len(full) != 28 or not iban.is_valid(full):
        return None, _error(name, "invalid_iban")
    return full[2:], None


def _check_filename(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    text, problem = _check_text(name, Field(name, max_length=200), value)
    if problem is not None or text is None:
        return text, problem
    if (
        not text.strip()
        or text.startswith(".")
        or any(c in text for c in "/\\:")
        or text != text.strip()
    ):
        return None, _error(name, "invalid_filename")  # a name, never a path
    return text, None


def _check_base64(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, str):
        return None, _error(name, "not_text")
    if len(value) > (MAX_DOCUMENT * 4) // 3 + 4:
        return None, _error(name, "too_large", limit=str(MAX_DOCUMENT))
    try:
        return base64.b64decode(value, validate=True), None
    except (binascii.Error, ValueError):
        return None, _error(name, "invalid_base64")


def _check_hours(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    if not isinstance(value, list) or len(value) != 24:
        return None, _error(name, "not_24_hours")
    for hour, litres in enumerate(value):
        if litres is None:
            continue  # no data for that hour
        _, problem = _check_int(f"{name}.{hour}", spec, litres)
        if problem is not None:
            return None, problem
    return value, None


def _check_json(name: str, spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    import json

    if not isinstance(value, dict):
        return None, _error(name, "not_object")
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_SETTING:
        return None, _error(name, "too_long", max=str(MAX_SETTING))
    for piece in _strings(value):
        problem = text_error(name, piece, max_length=MAX_SETTING, multiline=True)
        if problem is not None:
            return None, problem
    return text, None


def _strings(value: Any) -> list[str]:
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            found.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


_CHECKS: dict[str, Callable[[str, Field, Any], tuple[Any, FieldError | None]]] = {
    "text": _check_text,
    "int": _check_int,
    "date": _check_date,
    "datetime": _check_datetime,
    "decimal": _check_decimal,
    "rate": _check_rate,
    "enum": _check_enum,
    "bool": _check_bool,
    "email": _check_email,
    "nip": _check_nip,
    "regon": _check_regon,
    "iban": _check_iban,
    "filename": _check_filename,
    "base64": _check_base64,
    "hours": _check_hours,
    "json": _check_json,
}


def _fields(
    prefix: str, specs: tuple[Field, ...], record: dict[str, Any], errors: list[FieldError]
) -> dict[str, Any]:
    """The checked values of an object's fields; each problem appended to `errors`."""
    values: dict[str, Any] = {}
    known = {spec.name for spec in specs}
    for name in record:
        if name not in known:
            shown = name[:60] if isinstance(name, str) else "?"
            errors.append(_error(f"{prefix}{shown}", "unknown_field"))
    for spec in specs:
        name = prefix + spec.name
        if spec.name not in record or record[spec.name] is None:
            if spec.required:
                errors.append(_error(name, "required"))
            values[spec.name] = int(spec.default) if spec.kind == "bool" else spec.default
            continue
        value = record[spec.name]
        if spec.kind == "object":
            if not isinstance(value, dict):
                errors.append(_error(name, "not_object"))
                continue
            values[spec.name] = _fields(name + ".", spec.parts, value, errors)
        elif spec.kind == "list":
            if not isinstance(value, list) or not 0 < len(value) <= spec.high:
                errors.append(_error(name, "not_list", max=str(spec.high)))
                continue
            items = []
            for index, item in enumerate(value):
                if not isinstance(item, dict):
                    errors.append(_error(f"{name}.{index}", "not_object"))
                    continue
                items.append(_fields(f"{name}.{index}.", spec.parts, item, errors))
            values[spec.name] = items
        else:
            checked_value, problem = _CHECKS[spec.kind](name, spec, value)
            if problem is not None:
                errors.append(problem)
            values[spec.name] = checked_value
    return values


def checked(kind: RecordType, record: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """The record's values (dates as ISO text, booleans as 0/1, a document's bytes), and
    every problem of the record on its own."""
    errors: list[FieldError] = []
    body = {k: v for k, v in record.items() if k != "type"}
    values = _fields("", kind.fields, body, errors)
    if not errors:
        errors.extend(_rules(kind.name, values))
    return values, errors


def _rules(name: str, values: dict[str, Any]) -> list[FieldError]:
    """What a record's fields must agree on among themselves."""
    found: list[FieldError] = []
    if name in ("invoice", "interest_note"):
        lines = values["lines"]
        for total in ("net", "vat", "gross"):
            if sum(line[total] for line in lines) != values[total]:
                found.append(_error(total, "not_sum_of_lines"))
        if values["net"] + values["vat"] != values["gross"]:
            found.append(_error("gross", "not_net_plus_vat"))
        if values["period_from"] > values["period_to"]:
            found.append(_error("period_to", "before_start"))
        if name == "invoice" and (values["kind"] == "correction") != bool(values["corrects"]):
            found.append(_error("corrects", "correction_names_invoice"))
    for start, end in (("valid_from", "valid_to"),):
        if values.get(end) and values.get(start) and values[end] < values[start]:
            found.append(_error(end, "before_start"))
    return found
