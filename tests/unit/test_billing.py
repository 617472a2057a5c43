from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.billing import (
    STATUTORY_INTEREST,
    interest,
    invoice_lines,
    invoice_status,
    totals,
)
from ibok_tui.domain.models import InvoiceLine, InvoiceStatus, LineKind, Tariff

TARIFF = Tariff(
    id="t2026",
    valid_from=date(2026, 1, 1),
    valid_to=None,
    water_per_m3=599,  # 5,99 zł net
    sewage_per_m3=812,
    subscription_per_month=450,
)
DUE = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("gross", "paid", "today", "status"),
    [
        (0, 0, DUE + timedelta(days=30), InvoiceStatus.SETTLED_BY_CORRECTION),
        (-500, 0, DUE, InvoiceStatus.SETTLED_BY_CORRECTION),
        (10_000, 10_000, DUE + timedelta(days=30), InvoiceStatus.PAID),
        (10_000, 12_000, DUE, InvoiceStatus.PAID),
        (10_000, 0, DUE + timedelta(days=1), InvoiceStatus.OVERDUE),
        (10_000, 9_999, DUE + timedelta(days=1), InvoiceStatus.OVERDUE),
        (10_000, 5_000, DUE, InvoiceStatus.PARTIAL),  # due today is not overdue yet
        (10_000, 0, DUE, InvoiceStatus.UNPAID),
        (10_000, 0, DUE - timedelta(days=10), InvoiceStatus.UNPAID),
    ],
)
def test_invoice_status(gross: int, paid: int, today: date, status: InvoiceStatus) -> None:
    assert invoice_status(gross, paid, DUE, today) == status


def test_invoice_lines() -> None:
    water, sewage, subscription = invoice_lines(TARIFF, 12_345, 10_000, 2)
    assert water.kind == LineKind.WATER and water.description == "Woda"
    assert water.quantity == Decimal("12.345") and water.unit == "m³"
    assert water.unit_price == 599
    assert water.net == 7_395  # 73,94655 zł, half-up
    assert water.vat_rate == Decimal("0.08")
    assert water.vat == 592  # 591,6
    assert water.gross == 7_987
    assert sewage.kind == LineKind.SEWAGE and sewage.description == "Ścieki"
    assert (sewage.quantity, sewage.net, sewage.vat, sewage.gross) == (
        Decimal("10.000"),
        8_120,
        650,  # 649,6
        8_770,
    )
    assert subscription.kind == LineKind.SUBSCRIPTION
    assert subscription.description == "Abonament"
    assert subscription.quantity == Decimal(2)
    assert (subscription.net, subscription.vat, subscription.gross) == (900, 72, 972)


def test_invoice_lines_without_months_have_no_subscription() -> None:
    lines = invoice_lines(TARIFF, 1_000, 1_000, 0)
    assert [line.kind for line in lines] == [LineKind.WATER, LineKind.SEWAGE]
    with pytest.raises(ValueError):
        invoice_lines(TARIFF, 1_000, 1_000, -1)


def test_invoice_lines_follow_the_tariffs_vat_rate() -> None:
    tariff = Tariff("t", date(2026, 1, 1), None, 1_000, 1_000, 0, vat_rate=Decimal("0.23"))
    water = invoice_lines(tariff, 1_000, 0, 1)[0]
    assert (water.net, water.vat, water.gross) == (1_000, 230, 1_230)


def test_totals_vat_from_the_sum_of_nets_art_106e_ust_1_pkt_14() -> None:
    """VAT act art. 106e ust. 1 pkt 14: the tax is computed from the sum of the net values
    per rate, not summed from the lines' rounded VAT (592 + 650 + 72 = 1 314 per line;
    8 % of 16 415 = 1 313,2, so 1 313)."""
    lines = invoice_lines(TARIFF, 12_345, 10_000, 2)
    assert [line.vat for line in lines] == [592, 650, 72]
    assert totals(lines) == (16_415, 1_313, 16_415 + 1_313)
    assert totals(()) == (0, 0, 0)


def test_totals_vat_per_rate_art_106e_ust_1_pkt_14() -> None:
    """Art. 106e ust. 1 pkt 14 "z podziałem na kwoty dotyczące poszczególnych stawek": each
    rate's VAT from that rate's net sum; a 0 % line (interest) adds net and no VAT."""
    eight = invoice_lines(TARIFF, 12_345, 10_000, 2)
    zero = InvoiceLine(
        LineKind.INTEREST, "Odsetki", Decimal(1), "szt.", 999, 999, Decimal(0), 0, 999
    )
    assert totals((*eight, zero)) == (16_415 + 999, 1_313, 16_415 + 999 + 1_313)


def test_totals_of_a_correction_round_symmetrically() -> None:
    """A correction's negative lines give the negated totals of the same positive lines."""
    lines = invoice_lines(TARIFF, 12_345, 10_000, 2)
    negated = tuple(
        InvoiceLine(
            line.kind,
            line.description,
            -line.quantity,
            line.unit,
            line.unit_price,
            -line.net,
            line.vat_rate,
            -line.vat,
            -line.gross,
        )
        for line in lines
    )
    assert totals(negated) == tuple(-x for x in totals(lines))


@given(
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=10**8),
    st.integers(min_value=0, max_value=12),
)
def test_totals_are_consistent(water: int, sewage: int, months: int) -> None:
    net, vat, gross = totals(invoice_lines(TARIFF, water, sewage, months))
    assert gross == net + vat
    assert net >= 0 and vat >= 0


def test_statutory_interest_rate() -> None:
    assert Decimal("0.1125") == STATUTORY_INTEREST


@pytest.mark.parametrize(
    ("amount", "days", "expected"),
    [
        (100_000, 30, 925),  # 924,657...
        (100_000, 365, 11_250),
        (1_000, 1, 0),  # 0,308 rounds down
        (10_000, 73, 225),
        (100_000, 0, 0),
        (100_000, -5, 0),
        (0, 30, 0),
        (-100, 30, 0),
    ],
)
def test_interest(amount: int, days: int, expected: int) -> None:
    assert interest(amount, days) == expected


def test_interest_at_another_rate_rounds_half_up() -> None:
    assert interest(36_500, 1, Decimal("0.01")) == 1  # exactly 1
    assert interest(18_250, 1, Decimal("0.01")) == 1  # exactly 0,5 -> 1
    assert interest(18_249, 1, Decimal("0.01")) == 0
