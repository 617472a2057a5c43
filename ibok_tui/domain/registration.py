"""What a registrant gave against what the utility has: the clerk's check before an
account is activated by hand (the code from the e-mail proves only the e-mail)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .models import PendingRegistration


@dataclass(frozen=True)
class RegistrationCheck:
    field: str  # "name", "last_invoice" or "email"
    given: str  # what the registrant typed
    on_record: str  # what the utility has
    matches: bool | None  # None: nothing to compare (one side unknown)


def _same(a: str, b: str) -> bool | None:
    """Equal but for case, Unicode form and runs of spaces; None when either is empty.
    Diacritics count: "Kaminski" is not "Kamiński" (the clerk decides whether it is)."""
    if not a.strip() or not b.strip():
        return None

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


def registration_checks(pending: PendingRegistration) -> tuple[RegistrationCheck, ...]:
    """The registrant's name, last invoice number and e-mail beside the utility's name,
    newest invoice and the e-mail it had before the registration."""
    rows = (
        ("name", pending.given_name, pending.name),
        ("last_invoice", pending.given_invoice, pending.last_invoice),
        ("email", pending.email, pending.email_on_record),
    )
    return tuple(
        RegistrationCheck(field, given, on_record, _same(given, on_record))
        for field, given, on_record in rows
    )
