from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.money import (
    gross_of,
    half_up,
    multiply,
    split_evenly,
    to_decimal,
    to_grosze,
    vat_of,
)


@pytest.mark.parametrize(
    ("amount", "grosze"),
    [
        ("12,34", 1234),
        ("12.34", 1234),
        (" 1 234,56 ", 123456),
        ("1\u00a0234,56", 123456),
        ("0,005", 1),  # half-up
        ("0,004", 0),
        ("-0,005", -1),  # half away from zero
        (Decimal("99.999"), 10000),
        (7, 700),
        ("-12,5", -1250),
    ],
)
def test_to_grosze(amount: object, grosze: int) -> None:
    assert to_grosze(amount) == grosze  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["", "abc", "12,34,5", "NaN", "Infinity", "1e"])
def test_to_grosze_rejects_what_is_not_an_amount(amount: str) -> None:
    with pytest.raises(ValueError):
        to_grosze(amount)


def test_to_decimal_has_two_places() -> None:
    assert str(to_decimal(123456)) == "1234.56"
    assert str(to_decimal(5)) == "0.05"
    assert str(to_decimal(-100)) == "-1.00"


def test_multiply_and_vat_round_half_up() -> None:
    assert multiply(599, Decimal("12.345")) == 7395  # 7394.655
    assert multiply(100, Decimal("0.005")) == 1  # 0.5 -> 1
    assert vat_of(1000, Decimal("0.08")) == 80
    assert vat_of(1006, Decimal("0.08")) == 80  # 80.48
    assert vat_of(1019, Decimal("0.08")) == 82  # 81.52
    assert vat_of(1025, Decimal("0.08")) == 82  # 82.00
    assert vat_of(1031, Decimal("0.08")) == 82  # 82.48
    assert vat_of(1019, Decimal("0.23")) == 234  # 234.37
    assert gross_of(1019, Decimal("0.08")) == 1101


def test_split_evenly() -> None:
    assert split_evenly(10, 3) == [4, 3, 3]
    assert split_evenly(2, 4) == [1, 1, 0, 0]
    assert split_evenly(0, 2) == [0, 0]
    with pytest.raises(ValueError):
        split_evenly(10, 0)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_grosze_round_trip_through_decimal(grosze: int) -> None:
    assert to_grosze(to_decimal(grosze)) == grosze


@given(st.integers(min_value=0, max_value=10**12))
def test_grosze_round_trip_through_polish_text(grosze: int) -> None:
    zlote, rest = divmod(grosze, 100)
    spaced = f"{zlote:,}".replace(",", " ")
    assert to_grosze(f"{zlote},{rest:02d}") == grosze
    assert to_grosze(f"{spaced},{rest:02d}") == grosze


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.integers(min_value=1, max_value=1000),
)
def test_split_evenly_keeps_the_sum_and_differs_by_at_most_one(total: int, parts: int) -> None:
    shares = split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= 1


@given(st.integers(min_value=0, max_value=10**9))
def test_vat_is_within_half_a_grosz(net: int) -> None:
    rate = Decimal("0.08")
    assert abs(Decimal(vat_of(net, rate)) - net * rate) <= Decimal("0.5")


def _decimal_half_up(value: Decimal) -> int:
    """What money.py computed before it went to integers: Decimal, quantized half-up."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_half_up_rounds_halves_away_from_zero() -> None:
    assert [half_up(n, 2) for n in (-3, -2, -1, 0, 1, 2, 3)] == [-2, -1, -1, 0, 1, 1, 2]
    assert half_up(149, 100) == 1 and half_up(150, 100) == 2 and half_up(-150, 100) == -2
    assert half_up(-149, 100) == -1 and half_up(10**30 + 1, 2) == 5 * 10**29 + 1


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False),
)
def test_multiply_is_decimal_half_up_to_the_grosz(price: int, quantity: Decimal) -> None:
    assert multiply(price, quantity) == _decimal_half_up(Decimal(price) * quantity)


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from(["0", "0.05", "0.08", "0.23", "0.085", "0.005"]),
)
def test_vat_of_is_decimal_half_up_to_the_grosz(net: int, rate: str) -> None:
    assert vat_of(net, Decimal(rate)) == _decimal_half_up(Decimal(net) * Decimal(rate))


@pytest.mark.parametrize("factor", ["NaN", "Infinity", "-Infinity"])
def test_money_refuses_a_factor_that_is_not_a_number(factor: str) -> None:
    with pytest.raises(InvalidOperation):
        multiply(100, Decimal(factor))
    with pytest.raises(InvalidOperation):
        vat_of(100, Decimal(factor))
