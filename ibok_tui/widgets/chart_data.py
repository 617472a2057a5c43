"""Numbers for the Analizy charts, prepared from domain data (pure functions, no I/O)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..domain.analytics import NIGHT_HOURS, Anomaly, AnomalyKind
from ..domain.dates import add_months
from ..domain.models import (
    Dashboard,
    Invoice,
    InvoiceKind,
    LineKind,
    Meter,
    Reading,
    Resolution,
    SeriesPoint,
    Settlements,
)

CHARGE_KINDS = (LineKind.WATER, LineKind.SEWAGE, LineKind.SUBSCRIPTION)
BILLED_KINDS = (InvoiceKind.SETTLEMENT, InvoiceKind.ESTIMATED)


@dataclass(frozen=True, slots=True)
class MonthMoney:
    month: date  # the first day
    charged: int  # grosze of documents issued that month
    paid: int  # grosze of payments made that month


def in_range(points: Iterable[SeriesPoint], start: date | None, end: date) -> list[SeriesPoint]:
    return [
        p for p in points if (start is None or p.start.date() >= start) and p.start.date() <= end
    ]


def range_start(last_day: date, months: int) -> date | None:
    """The first day of a range of `months` whole months ending with `last_day`; None: all."""
    if months <= 0:
        return None
    return add_months(last_day.replace(day=1), -(months - 1))


def latest_billed(invoices: Sequence[Invoice], count: int) -> list[Invoice]:
    """The newest `count` settlement or estimated invoices (those with water lines)."""
    billed = [i for i in invoices if i.kind in BILLED_KINDS]
    return sorted(billed, key=lambda i: (i.issue_date, i.number), reverse=True)[:count]


def charges_by_kind(invoices: Iterable[Invoice]) -> dict[LineKind, int]:
    """Gross grosze per line kind (water, sewage, subscription) over the invoices."""
    sums: dict[LineKind, int] = dict.fromkeys(CHARGE_KINDS, 0)
    for invoice in invoices:
        for line in invoice.lines:
            if line.kind in sums:
                sums[line.kind] += line.gross
    return sums


def money_by_month(settlements: Settlements, start: date | None, end: date) -> list[MonthMoney]:
    """Charged (by issue date) against paid (by payment date), per month in the range."""
    charged: dict[date, int] = defaultdict(int)
    paid: dict[date, int] = defaultdict(int)
    seen: set[str] = set()
    for row in settlements.rows:
        charged[row.issue_date.replace(day=1)] += row.owed
        for payment in row.payments:
            if payment.id not in seen:
                seen.add(payment.id)
                paid[payment.paid_on.replace(day=1)] += payment.amount
    for payment in settlements.unassigned_payments:
        if payment.id not in seen:
            paid[payment.paid_on.replace(day=1)] += payment.amount
    months = sorted(set(charged) | set(paid))
    first = start.replace(day=1) if start else None
    return [
        MonthMoney(m, charged[m], paid[m])
        for m in months
        if (first is None or m >= first) and m <= end
    ]


def axis_ticks(low: float, high: float, most: int = 5) -> list[Decimal]:
    """Round values for a chart's value axis from `low` to `high` (at most `most`, steps of
    1, 2, 2.5 or 5 times a power of ten), exact so that they are written as decimals."""
    if high <= low:
        high = low + 1
    rough = Decimal(repr((high - low) / max(most - 1, 1)))
    power = Decimal(10) ** rough.adjusted()
    step = next(
        power * f
        for f in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if power * f >= rough
    )
    first = (Decimal(repr(low)) / step).to_integral_value(rounding="ROUND_FLOOR") * step
    ticks = [first]
    while ticks[-1] < Decimal(repr(high)):
        ticks.append(ticks[-1] + step)
    return ticks


def tick_text(value: Decimal) -> str:
    """A tick's number as plain decimal digits (`2.5`, `10`), without a trailing `.0`."""
    return format(value.normalize(), "f")


def marks_hour(anomalies: Iterable[Anomaly], start: datetime) -> bool:
    """Whether the hour beginning at `start` is one an anomaly describes: a night flow's
    night hours (01:00-04:59 of its nights), not the whole days around them; a spike's
    whole interval."""
    for anomaly in anomalies:
        moment = start.replace(tzinfo=None) if anomaly.start.tzinfo is None else start
        if not anomaly.start <= moment < anomaly.end:
            continue
        if anomaly.kind is not AnomalyKind.NIGHT_FLOW or start.hour in NIGHT_HOURS:
            return True
    return False


def anomaly_days(anomalies: Iterable[Anomaly]) -> set[date]:
    """Every day an anomaly touches (its end is exclusive)."""
    days: set[date] = set()
    for anomaly in anomalies:
        day = anomaly.start.date()
        end = anomaly.end
        last = end.date() if end.time() != time() else end.date() - timedelta(days=1)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


@dataclass
class CustomerData:
    """What Analizy shows of the whole account."""

    dashboard: Dashboard
    meters: list[Meter]
    settlements: Settlements
    latest: list[Invoice]  # with their lines


@dataclass
class MeterData:
    """One meter's data for Analizy."""

    meter: Meter
    readings: list[Reading]
    daily: list[SeriesPoint]
    hourly: list[SeriesPoint]  # empty unless the meter is read hourly
    anomalies: list[Anomaly]  # night flow (hourly meters) and spikes, over all the data


def short_label(text: str, width: int = 34) -> str:
    """`text` cut to `width` characters with an ellipsis (a Select shows one line)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def tick_label(resolution: Resolution) -> Callable[[datetime], str]:
    """How a chart's time axis labels a point at `resolution`."""

    def label(moment: datetime) -> str:
        if resolution is Resolution.HOUR:
            return moment.strftime("%d.%m %Hh")
        if resolution is Resolution.DAY:
            return moment.strftime("%d.%m.%y")
        if resolution is Resolution.MONTH:
            return moment.strftime("%m.%Y")
        return moment.strftime("%Y")

    return label
