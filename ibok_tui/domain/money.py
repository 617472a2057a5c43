"""Exact money: integer grosze, Decimal arithmetic, half-up rounding as on invoices."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from .models import Grosze

GROSZE_PER_ZLOTY = 100
_CENT = Decimal("0.01")


def to_grosze(amount: Decimal | str | int) -> Grosze:
    """Złote (a Decimal, an int or a string with a dot or a comma) to grosze, rounded half-up."""
    if isinstance(amount, str):
        text = amount.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not an amount: {amount!r}") from exc
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return int((value * GROSZE_PER_ZLOTY).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_decimal(grosze: Grosze) -> Decimal:
    """Grosze to złote as an exact Decimal with two places."""
    return (Decimal(grosze) / GROSZE_PER_ZLOTY).quantize(_CENT)


def half_up(numerator: int, denominator: int) -> int:
    """`numerator / denominator` (denominator > 0) rounded to the nearest integer, a half
    away from zero (Decimal's ROUND_HALF_UP), in exact integer arithmetic."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if numerator >= 0 else -whole


@lru_cache(maxsize=256)
def _ratio(factor: Decimal) -> tuple[int, int]:
    """A finite Decimal as an exact fraction (a VAT rate's, a quantity's)."""
    if not factor.is_finite():
        raise InvalidOperation(f"not a finite factor: {factor!r}")
    return factor.as_integer_ratio()


def multiply(unit_price: Grosze, quantity: Decimal) -> Grosze:
    """Price times quantity, rounded half-up to the grosz (exactly: integers, not Decimal's
    28 digits)."""
    numerator, denominator = _ratio(quantity)
    return half_up(unit_price * numerator, denominator)


def vat_of(net: Grosze, rate: Decimal) -> Grosze:
    """The VAT on a net amount, rounded half-up to the grosz (exactly, as `multiply`)."""
    numerator, denominator = _ratio(rate)
    return half_up(net * numerator, denominator)


def gross_of(net: Grosze, rate: Decimal) -> Grosze:
    return net + vat_of(net, rate)


def split_evenly(total: Grosze, parts: int) -> list[Grosze]:
    """Split an amount into `parts` amounts that differ by at most one grosz and sum to it."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]
