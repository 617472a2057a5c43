"""Consumption analyses: daily series from readings, aggregation, anomalies, forecast.

Series are lists of `SeriesPoint` sorted by `start`. In this module datetimes are naive
local time (no tzinfo): a night is 01:00-04:59 on the meter's own clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise

from .billing import invoice_lines, totals
from .models import Forecast, Litres, Reading, ReadingStatus, Resolution, SeriesPoint, Tariff
from .money import split_evenly
from .readings import billing_period

NIGHT_HOURS = (1, 2, 3, 4)  # 01:00-04:59
MIN_SPIKE_HISTORY = 3  # intervals before a spike can be told from normal use
DAYS_PER_MONTH = Decimal("30.44")
_ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class YearOverYear:
    month: int
    this_year: Litres
    last_year: Litres


class AnomalyKind(StrEnum):
    NIGHT_FLOW = "night_flow"  # flow in every night hour: a possible leak
    SPIKE = "spike"  # an interval's daily use far above the usual


@dataclass(frozen=True, slots=True)
class NightFlow:
    """A night-flow anomaly's numbers: the consecutive nights and the least flow of any
    night hour (litres an hour)."""

    nights: int
    least_per_hour: Litres


@dataclass(frozen=True, slots=True)
class Spike:
    """A spike's numbers: the interval's days and the usual daily use before it (litres)."""

    days: int
    usual_per_day: Decimal


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something worth a warning: a kind and its numbers (words are the catalogue's, see
    `i18n.render.anomaly_text`); `end` is exclusive."""

    kind: AnomalyKind
    start: datetime
    end: datetime
    litres: Litres
    params: NightFlow | Spike


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _live(readings: Iterable[Reading]) -> list[Reading]:
    return sorted(
        (r for r in readings if r.status != ReadingStatus.WITHDRAWN), key=lambda r: r.read_on
    )


def readings_to_daily(readings: Sequence[Reading]) -> list[SeriesPoint]:
    """One meter's readings as daily use: each consumption spread evenly over the days
    after the previous reading up to and including its own day (sums stay exact).

    Withdrawn readings, readings without consumption and a first reading (no span) give
    nothing of their own; readings on the same day are summed.
    """
    days: dict[date, Litres] = defaultdict(int)
    live = _live(readings)
    for previous, reading in pairwise(live):
        if reading.consumption is None:
            continue
        span = max((reading.read_on - previous.read_on).days, 1)
        first = reading.read_on - timedelta(days=span - 1)
        for offset, litres in enumerate(split_evenly(reading.consumption, span)):
            days[first + timedelta(days=offset)] += litres
    return [SeriesPoint(_midnight(day), litres) for day, litres in sorted(days.items())]


def _bucket_key(resolution: Resolution, billing_months: int) -> Callable[[datetime], datetime]:
    if resolution == Resolution.HOUR:
        return lambda t: t.replace(minute=0, second=0, microsecond=0)
    if resolution == Resolution.DAY:
        return lambda t: t.replace(hour=0, minute=0, second=0, microsecond=0)
    if resolution == Resolution.MONTH:
        return lambda t: t.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if resolution == Resolution.YEAR:
        return lambda t: t.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if resolution == Resolution.BILLING_PERIOD:
        billing_period(date(2000, 1, 1), billing_months)  # rejects a bad length up front
        return lambda t: datetime.combine(
            billing_period(t.date(), billing_months)[0], time(), tzinfo=t.tzinfo
        )
    raise ValueError(f"unknown resolution: {resolution!r}")


def aggregate(
    points: Iterable[SeriesPoint], resolution: Resolution, billing_months: int = 1
) -> list[SeriesPoint]:
    """Sums per hour, day, month, year or billing period; each point starts its bucket."""
    key = _bucket_key(resolution, billing_months)
    buckets: dict[datetime, Litres] = defaultdict(int)
    for point in points:
        buckets[key(point.start)] += point.litres
    return [SeriesPoint(start, litres) for start, litres in sorted(buckets.items())]


def average_daily(points: Iterable[SeriesPoint], date_from: date, date_to: date) -> Decimal:
    """Litres a day over the inclusive range (days without data count as zero), 1 place."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    total = sum(p.litres for p in points if date_from <= p.start.date() <= date_to)
    days = (date_to - date_from).days + 1
    return (Decimal(total) / days).quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)


def year_over_year(points: Iterable[SeriesPoint], year: int) -> list[YearOverYear]:
    """Use per month of `year` beside the same month a year earlier: 12 rows."""
    sums: dict[tuple[int, int], Litres] = defaultdict(int)
    for p in points:
        if p.start.year in (year, year - 1):
            sums[p.start.year, p.start.month] += p.litres
    return [YearOverYear(m, sums[year, m], sums[year - 1, m]) for m in range(1, 13)]


def detect_night_flow(
    hourly: Sequence[SeriesPoint], *, min_litres_per_hour: int = 5, nights: int = 3
) -> list[Anomaly]:
    """Runs of `nights` or more consecutive nights with flow in every hour 01:00-04:59.

    A missing hour counts as no flow. Each run is reported once, spanning all its nights.
    """
    per_hour = aggregate(hourly, Resolution.HOUR)
    night_hours: dict[date, dict[int, Litres]] = defaultdict(dict)
    for p in per_hour:
        if p.start.hour in NIGHT_HOURS:
            night_hours[p.start.date()][p.start.hour] = p.litres
    flowing = sorted(
        day
        for day, hours in night_hours.items()
        if all(hours.get(h, 0) >= min_litres_per_hour for h in NIGHT_HOURS)
    )
    runs: list[list[date]] = []
    for day in flowing:
        if runs and runs[-1][-1] + timedelta(days=1) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    anomalies = []
    for run in runs:
        if len(run) < nights:
            continue
        litres = sum(night_hours[day][h] for day in run for h in NIGHT_HOURS)
        least = min(night_hours[day][h] for day in run for h in NIGHT_HOURS)
        anomalies.append(
            Anomaly(
                kind=AnomalyKind.NIGHT_FLOW,
                start=datetime.combine(run[0], time(NIGHT_HOURS[0])),
                end=datetime.combine(run[-1], time(NIGHT_HOURS[-1] + 1)),
                litres=litres,
                params=NightFlow(nights=len(run), least_per_hour=least),
            )
        )
    return anomalies


def detect_spikes(
    readings: Sequence[Reading], *, window: int = 6, factor: Decimal = Decimal(3)
) -> list[Anomaly]:
    """Readings whose daily use exceeds `factor` × the average daily use of the previous
    `window` intervals (at least three of them are needed)."""
    if window < 1:
        raise ValueError("window must be positive")
    live = _live(readings)
    intervals: list[tuple[Reading, Reading, int]] = []  # previous, reading, days
    for previous, reading in pairwise(live):
        days = (reading.read_on - previous.read_on).days
        if reading.consumption is not None and days > 0:
            intervals.append((previous, reading, days))
    anomalies = []
    for k, (previous, reading, days) in enumerate(intervals):
        if k < MIN_SPIKE_HISTORY:
            continue
        trailing = intervals[max(0, k - window) : k]
        total_litres = sum(r.consumption or 0 for _, r, _ in trailing)
        total_days = sum(d for _, _, d in trailing)
        litres = reading.consumption or 0
        # litres / days > factor × total_litres / total_days, without division
        if Decimal(litres * total_days) > factor * Decimal(total_litres * days):
            average = Decimal(total_litres) / total_days
            anomalies.append(
                Anomaly(
                    kind=AnomalyKind.SPIKE,
                    start=_midnight(previous.read_on),
                    end=_midnight(reading.read_on),
                    litres=litres,
                    params=Spike(days=days, usual_per_day=average),
                )
            )
    return anomalies


def forecast_invoice(
    tariff: Tariff, avg_daily_litres: Decimal, period_from: date, period_to: date
) -> Forecast:
    """The expected invoice for a period if use goes on at `avg_daily_litres`."""
    if period_to < period_from:
        raise ValueError("period_to is before period_from")
    days = (period_to - period_from).days + 1
    litres = int((avg_daily_litres * days).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    months = max(1, int((days / DAYS_PER_MONTH).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    net, _vat, gross = totals(invoice_lines(tariff, litres, litres, months))
    return Forecast(period_from, period_to, litres, net, gross)


def downsample(points: Sequence[SeriesPoint], max_points: int) -> list[SeriesPoint]:
    """At most `max_points` points that keep the series' shape: Largest-Triangle-Three-
    Buckets (Steinarsson 2013). The first and last points are always kept."""
    n = len(points)
    if n <= max_points:
        return list(points)
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    if max_points == 2:
        return [points[0], points[-1]]
    origin = points[0].start
    xs = [(p.start - origin).total_seconds() for p in points]
    ys = [float(p.litres) for p in points]
    every = (n - 2) / (max_points - 2)
    chosen = [0]
    a = 0
    for i in range(max_points - 2):
        lo = int(i * every) + 1
        hi = int((i + 1) * every) + 1
        next_lo = hi
        next_hi = min(int((i + 2) * every) + 1, n)
        if next_lo >= next_hi:  # the last bucket's neighbour is the last point
            next_lo, next_hi = n - 1, n
        count = next_hi - next_lo
        avg_x = sum(xs[next_lo:next_hi]) / count
        avg_y = sum(ys[next_lo:next_hi]) / count
        ax, ay = xs[a], ys[a]
        dx, dy = ax - avg_x, avg_y - ay
        best, best_area = lo, -1.0
        for j in range(lo, hi):
            area = abs(dx * (ys[j] - ay) - (ax - xs[j]) * dy)
            if area > best_area:
                best, best_area = j, area
        chosen.append(best)
        a = best
    chosen.append(n - 1)
    return [points[j] for j in chosen]
