"""Invoice rules: status, lines from a tariff, totals and statutory interest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import Grosze, InvoiceLine, InvoiceStatus, LineKind, Litres, Tariff
from .money import multiply, vat_of
from .readings import litres_to_m3

STATUTORY_INTEREST = Decimal("0.1125")  # odsetki ustawowe za opóźnienie, a year
DAYS_IN_YEAR = 365


def invoice_status(gross: Grosze, paid: Grosze, due: date, today: date) -> InvoiceStatus:
    """Where an invoice stands on `today`."""
    if gross <= 0:
        return InvoiceStatus.SETTLED_BY_CORRECTION
    if paid >= gross:
        return InvoiceStatus.PAID
    if due < today:
        return InvoiceStatus.OVERDUE
    if paid > 0:
        return InvoiceStatus.PARTIAL
    return InvoiceStatus.UNPAID


def _line(
    kind: LineKind, description: str, quantity: Decimal, unit: str, price: Grosze, rate: Decimal
) -> InvoiceLine:
    net = multiply(price, quantity)
    vat = vat_of(net, rate)
    return InvoiceLine(
        kind=kind,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_price=price,
        net=net,
        vat_rate=rate,
        vat=vat,
        gross=net + vat,
    )


def invoice_lines(
    tariff: Tariff, water: Litres, sewage: Litres, months: int
) -> tuple[InvoiceLine, ...]:
    """Water and sewage per m³ and the subscription fee per month; VAT on each line."""
    if months < 0:
        raise ValueError("months cannot be negative")
    rate = tariff.vat_rate
    lines = [
        _line(LineKind.WATER, "Woda", litres_to_m3(water), "m³", tariff.water_per_m3, rate),
        _line(LineKind.SEWAGE, "Ścieki", litres_to_m3(sewage), "m³", tariff.sewage_per_m3, rate),
    ]
    if months:
        lines.append(
            _line(
                LineKind.SUBSCRIPTION,
                "Abonament",
                Decimal(months),
                "mies.",
                tariff.subscription_per_month,
                rate,
            )
        )
    return tuple(lines)


def vat_by_rate(
    nets: Iterable[tuple[Decimal, Grosze]],
) -> tuple[tuple[Decimal, Grosze, Grosze], ...]:
    """Per VAT rate, highest first: the rate, the sum of the nets at it and its VAT, that
    rate applied once to that sum and rounded half-up (ustawa o VAT art. 106e ust. 1 pkt 14:
    "kwotę podatku od sumy wartości sprzedaży netto, z podziałem na kwoty dotyczące
    poszczególnych stawek podatku"), never the sum of the lines' own rounded VAT. `nets`
    are (rate, net) pairs, one per line."""
    summed: dict[Decimal, Grosze] = {}
    for rate, net in nets:
        summed[rate] = summed.get(rate, 0) + net
    ordered = sorted(summed.items(), reverse=True)
    return tuple((rate, net, vat_of(net, rate)) for rate, net in ordered)


def vat_summary(lines: Iterable[InvoiceLine]) -> tuple[tuple[Decimal, Grosze, Grosze], ...]:
    """`vat_by_rate` of an invoice's lines."""
    return vat_by_rate((line.vat_rate, line.net) for line in lines)


def totals(lines: Iterable[InvoiceLine]) -> tuple[Grosze, Grosze, Grosze]:
    """Net, VAT and gross of an invoice: the VAT is the sum of `vat_summary`'s per rate."""
    summary = vat_summary(lines)
    net = sum(rate_net for _rate, rate_net, _vat in summary)
    vat = sum(rate_vat for _rate, _net, rate_vat in summary)
    return net, vat, net + vat


def interest(amount: Grosze, days_late: int, annual_rate: Decimal = STATUTORY_INTEREST) -> Grosze:
    """Interest for `days_late` days on `amount`: amount × rate × days / 365, half-up."""
    if amount <= 0 or days_late <= 0:
        return 0
    value = Decimal(amount) * annual_rate * days_late / DAYS_IN_YEAR
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
