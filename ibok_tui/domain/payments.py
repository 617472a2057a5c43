"""Bank transfers: Polish account numbers (NRB/IBAN) and the banks' 2D payment code."""

from __future__ import annotations

import re

from .identifiers import is_valid_nip, is_valid_nrb
from .models import Grosze

NRB_LENGTH = 26
SORT_CODE_LENGTH = 8
ACCOUNT_PART_LENGTH = 16
QR_MAX_AMOUNT: Grosze = 999_999
QR_MAX_LENGTH = 160
QR_NAME_LENGTH = 20
QR_TITLE_LENGTH = 32

_SEPARATORS = re.compile(r"[\s\-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _numeric(text: str) -> str:
    """Letters as IBAN numbers them: A=10 ... Z=35."""
    return "".join(str(int(c, 36)) for c in text.upper())


def iban_check_digits(country: str, bban: str) -> str:
    """The two IBAN check digits for `bban` in `country` (ISO 13616, mod 97)."""
    if not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise ValueError(f"not a country code: {country!r}")
    if not (bban and bban.isascii() and bban.isalnum()):
        raise ValueError(f"not a BBAN: {bban!r}")
    remainder = int(_numeric(bban + country + "00")) % 97
    return f"{98 - remainder:02d}"


def _nrb_digits(account: str) -> str | None:
    """The 26 digits of an account written with spaces or dashes, with or without 'PL'."""
    text = _SEPARATORS.sub("", account)
    if text[:2].upper() == "PL":
        text = text[2:]
    if len(text) == NRB_LENGTH and text.isascii() and text.isdigit():
        return text
    return None


def individual_account(bank_sort_code: str, customer_number: str) -> str:
    """The customer's own 26-digit account: the bank's sort code and the customer's digits."""
    if not (len(bank_sort_code) == SORT_CODE_LENGTH and bank_sort_code.isascii()):
        raise ValueError(f"not a bank sort code: {bank_sort_code!r}")
    if not bank_sort_code.isdigit():
        raise ValueError(f"not a bank sort code: {bank_sort_code!r}")
    digits = "".join(c for c in customer_number if c.isascii() and c.isdigit())
    if not digits or len(digits) > ACCOUNT_PART_LENGTH:
        raise ValueError(f"cannot derive an account from customer number {customer_number!r}")
    bban = bank_sort_code + digits.rjust(ACCOUNT_PART_LENGTH, "0")
    return iban_check_digits("PL", bban) + bban


def format_nrb(account: str) -> str:
    """'12 3456 7890 1234 5678 9012 3456'; anything not 26 digits comes back stripped as is."""
    digits = _nrb_digits(account)
    if digits is None:
        return account.strip()
    groups = [digits[i : i + 4] for i in range(2, NRB_LENGTH, 4)]
    return " ".join([digits[:2], *groups])


def _qr_text(text: str, limit: int) -> str:
    cleaned = _CONTROL.sub(" ", text.replace("|", ""))
    return " ".join(cleaned.split())[:limit].rstrip()


def qr_payload(*, nip: str, account: str, amount: Grosze, recipient: str, title: str) -> str:
    """The payment code of the Polish Bank Association's 2013 recommendation (ZBP).

    NIP|PL|account|amount in grosze (6 digits)|recipient (20)|title (32)||| - a UTF-8 string
    of at most 160 characters, drawn as a QR code with error correction level L.
    """
    nip_digits = _SEPARATORS.sub("", nip)
    if nip_digits and not is_valid_nip(nip_digits):
        raise ValueError(f"not a NIP: {nip!r}")
    digits = _nrb_digits(account)
    if digits is None or not is_valid_nrb(digits):
        raise ValueError(f"not a valid account number: {account!r}")
    if not 0 <= amount <= QR_MAX_AMOUNT:
        raise ValueError(f"the amount must be 0 to {QR_MAX_AMOUNT} grosze, not {amount}")
    fields = [
        nip_digits,
        "PL",
        digits,
        f"{amount:06d}",
        _qr_text(recipient, QR_NAME_LENGTH),
        _qr_text(title, QR_TITLE_LENGTH),
        "",
        "",
        "",
    ]
    payload = "|".join(fields)
    if len(payload) > QR_MAX_LENGTH:  # cannot happen with the limits above; kept as a guard
        raise ValueError("the payment code is too long")
    return payload
