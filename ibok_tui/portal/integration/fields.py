"""The checks of one record's fields (the kinds of records.py's `Field`): each value's type,
bound and format (NIP, REGON and IBAN by python-stdnum, a document's file name never a
path), and the rules a record's fields must agree on among themselves. `checked` gives the
values as stored (dates as ISO text, booleans as 0/1, a document's bytes) or every problem
as a field error (a code with params)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ...domain.errors import FieldError
from ..checks import EARLIEST, LATEST, email_error, text_error
from .records import MAX_DOCUMENT, MAX_SETTING, Field, RecordType


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
    from ...domain.identifiers import is_valid_nrb, nrb_digits

    if not isinstance(value, str) or len(value) > 40 or not is_valid_nrb(value):
        return None, _error(name, "invalid_iban")
    return nrb_digits(value), None


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


_NAMES: dict[int, frozenset[str]] = {}


def _names(specs: tuple[Field, ...]) -> frozenset[str]:
    """The names of an object's fields (the field tables live as long as the process)."""
    found = _NAMES.get(id(specs))
    if found is None:
        found = _NAMES[id(specs)] = frozenset(spec.name for spec in specs)
    return found


def _fields(
    prefix: str, specs: tuple[Field, ...], record: dict[str, Any], errors: list[FieldError]
) -> dict[str, Any]:
    """The checked values of an object's fields; each problem appended to `errors`."""
    values: dict[str, Any] = {}
    unknown = record.keys() - _names(specs)
    if not prefix:
        unknown.discard("type")  # a record's own type, not a field
    for name in sorted(unknown):
        errors.append(_error(f"{prefix}{name[:60]}", "unknown_field"))
    for spec in specs:
        value = record.get(spec.name)
        name = prefix + spec.name
        if value is None:
            if spec.required:
                errors.append(_error(name, "required"))
            values[spec.name] = int(spec.default) if spec.kind == "bool" else spec.default
            continue
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
    values = _fields("", kind.fields, record, errors)
    if not errors:
        errors.extend(_rules(kind.name, values))
    return values, errors


def _rules(name: str, values: dict[str, Any]) -> list[FieldError]:
    """What a record's fields must agree on among themselves."""
    found: list[FieldError] = []
    if name == "setting" and not _setting_holds(values["key"], values["value"]):
        found.append(_error("value", "invalid_setting", key=values["key"]))
    if name == "document":
        from ..scans import sniff

        if sniff(values["content"]) != values["mime"]:
            found.append(_error("content", "not_of_type", mime=values["mime"]))
    if name in ("invoice", "interest_note"):
        from ...domain.billing import vat_by_rate

        lines = values["lines"]
        if sum(line["net"] for line in lines) != values["net"]:
            found.append(_error("net", "not_sum_of_lines"))
        # art. 106e ust. 1 pkt 14: the VAT of the sum of the nets per rate, not of the lines
        summary = vat_by_rate((Decimal(line["vat_rate"]), line["net"]) for line in lines)
        if sum(vat for _rate, _net, vat in summary) != values["vat"]:
            found.append(_error("vat", "vat_not_per_rate"))
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


def _setting_holds(key: str, text: str) -> bool:
    """Whether a setting is one the portal can read: a utility without its name or bank
    account, or a policy of strange numbers, would break every customer's screens."""
    import json

    from ..base import config_from_policy
    from ..rows import utility_from_json

    value = json.loads(text)
    try:
        if key == "utility":
            utility_from_json(value)
            from ...domain.identifiers import is_valid_nip, is_valid_nrb

            code = value.get("bank_sort_code")
            sort_code = isinstance(code, str) and len(code) == 8 and code.isdigit()
            return sort_code and is_valid_nip(value["nip"]) and is_valid_nrb(value["bank_account"])
        if key == "policy":
            config_from_policy(value)
            return True
        date.fromisoformat(value["effective_from"])
        return isinstance(value["version"], str) and isinstance(value["text"], str)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
