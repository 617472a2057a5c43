"""The portal's checks of what a customer or an operator sends, whichever door it came in by.

The server refuses hostile text before any route (server/checks.py); the demo calls the
portal directly, so the portal checks again what it stores or acts on — texts (the one
character rule of `domain.text`, a bound on length), e-mail addresses (a real validator),
dates (a sane range) — with the same field-error codes, so both backends answer alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..domain.errors import FieldError, ValidationFailed
from ..domain.text import NAME_MAX, text_error

__all__ = ["NAME_MAX", "text_error"]  # the one text rule, shared with the console

# no date the iBOK deals in lies outside these; beyond them date arithmetic overflows
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
EMAIL_MAX = 254  # RFC 5321's limit on a path, less the angle brackets


def texts_errors(
    fields: Iterable[tuple[str, str | None]], *, max_length: int = NAME_MAX
) -> list[FieldError]:
    """`text_error` of each (field, value) pair given a value."""
    found = (
        text_error(field, value, max_length=max_length)
        for field, value in fields
        if value is not None
    )
    return [error for error in found if error is not None]


def email_error(field: str, value: str) -> FieldError | None:
    """None for an address a mail server would take (its syntax, not its existence)."""
    if (problem := text_error(field, value, max_length=EMAIL_MAX)) is not None:
        return problem
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        return FieldError(field, "invalid_email")
    return None


def is_email(value: str) -> bool:
    return email_error("email", value) is None


def date_error(field: str, value: date | None) -> FieldError | None:
    if value is None or EARLIEST <= value <= LATEST:
        return None
    return FieldError(
        field, "out_of_range", params={"min": EARLIEST.isoformat(), "max": LATEST.isoformat()}
    )


def dates_checked(*fields: tuple[str, date | None]) -> None:
    """Raise ValidationFailed naming every date outside the sane range."""
    errors = [e for e in (date_error(name, value) for name, value in fields) if e is not None]
    if errors:
        raise ValidationFailed(errors)
