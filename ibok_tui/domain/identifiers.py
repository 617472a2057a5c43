"""Polish numbers with check digits: NIP, REGON and bank accounts (NRB, its IBAN), checked
by python-stdnum wherever the iBOK takes one in (the billing system's import, the demo's
fixtures, the payment code); stdnum is imported only when a number is checked."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[ -]")  # as people write them; no other whitespace
_MAX = 40  # characters: anything longer is no such number, whatever stdnum would say


def _stdnum_valid(kind: str, text: str) -> bool:
    if not isinstance(text, str) or len(text) > _MAX or not (text.isascii() and text.isalnum()):
        return False  # stdnum would strip other whitespace and take what remains
    from importlib import import_module

    module = import_module(
        {"nip": "stdnum.pl.nip", "regon": "stdnum.pl.regon"}.get(kind, "stdnum.iban")
    )
    try:
        return bool(module.is_valid(text))
    except Exception:  # stdnum raises its own for strange input
        return False


def is_valid_nip(text: str) -> bool:
    """A NIP (10 digits, dashes or spaces allowed, 'PL' prefix allowed) with its check digit."""
    compact = _SEPARATORS.sub("", text) if isinstance(text, str) else ""
    if compact[:2].upper() == "PL":
        compact = compact[2:]
    return _stdnum_valid("nip", compact)


def is_valid_regon(text: str) -> bool:
    """A REGON of 9 or 14 digits with its check digit(s)."""
    return _stdnum_valid("regon", _SEPARATORS.sub("", text) if isinstance(text, str) else "")


def nrb_digits(account: str) -> str:
    """An account's 26 digits as written with spaces or dashes, with or without 'PL'."""
    compact = _SEPARATORS.sub("", account).upper() if isinstance(account, str) else ""
    return compact.removeprefix("PL")


def is_valid_nrb(account: str) -> bool:
    """A Polish account: its 26 digits (NRB) or its IBAN (PL and the 26), spaces allowed."""
    digits = nrb_digits(account)
    return len(digits) == 26 and digits.isdigit() and _stdnum_valid("iban", "PL" + digits)


CHECKS = {"nip": is_valid_nip, "regon": is_valid_regon, "account": is_valid_nrb}
