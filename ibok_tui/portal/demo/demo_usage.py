"""How much water each meter used: daily profiles, hourly series, readings."""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from ...domain.dates import add_months
from ...domain.models import (
    ReadingStatus,
    ReadingType,
)
from ...domain.readings import billing_period

if TYPE_CHECKING:
    from .seeder import Seeder


# share of a day's water used in each hour, a household's typical day
_HOUR_WEIGHTS = (
    5,
    3,
    2,
    2,
    3,
    10,
    40,
    70,
    60,
    40,
    30,
    30,
    40,
    30,
    30,
    30,
    40,
    60,
    80,
    80,
    70,
    50,
    30,
    15,
)


@functools.lru_cache(maxsize=64)
def past_periods(as_of: date, months: int, history_months: int) -> tuple[tuple[date, date], ...]:
    """The completed billing periods of the last `history_months` months, oldest first (the
    same for every customer of a data set billed as often: worked out once)."""
    current_start, _ = billing_period(as_of + timedelta(days=1), months)
    periods = []
    end = current_start - timedelta(days=1)
    count = max(1, history_months // months)
    for _ in range(count):
        start, stop = billing_period(end, months)
        periods.append((start, stop))
        end = start - timedelta(days=1)
    return tuple(periods[::-1])


# a meter's or a property's use: the litres of each day from the first billing period's first
# day to the day the data ends, one a day (a list, so whole columns are worked at once). Whole
# litres, some held as floats (`_WHOLE`): exact, as every sum of them here is (below 2**53)
Daily = list[float]

# x + 2**52 - 2**52 is x rounded to a whole number, a half to even, exactly as round(x) does,
# for 0 <= x < 2**52 (the floats from 2**52 to 2**53 are the whole numbers), cheaper than
# round() (a call and an int a day); it stays a float
_WHOLE = 2.0**52


def daily_usage(meter: dict[str, Any], first: date, last: date) -> Daily:
    rng = random.Random(meter["serial"])
    draw = rng.random
    base = meter["litres_per_day"]
    calendar = _calendar(first, last)
    if not meter.get("garden", False):
        # round(base * season * weekend * rng.uniform(0.75, 1.25)), each day: the uniform draw
        # is 0.75 + 0.5 * random() (the same draws without the calls), the rounding `_WHOLE`;
        # every factor is positive, so no day's use is below 0
        return [
            base * season * weekend * (0.75 + 0.5 * draw()) + _WHOLE - _WHOLE
            for season, weekend in zip(calendar.seasons, calendar.weekends, strict=True)
        ]
    usage = []
    for season, month in zip(calendar.seasons, calendar.months, strict=True):
        season = 0.0 if month not in (5, 6, 7, 8, 9) else 1.6 * season
        if season and draw() < 0.3:  # it rained: no watering
            season = 0.0
        usage.append(base * season * (0.75 + 0.5 * draw()) + _WHOLE - _WHOLE)
    return usage


class _Calendar(NamedTuple):
    days: tuple[date, ...]
    seasons: tuple[float, ...]  # the season's factor
    months: tuple[int, ...]
    weekends: tuple[float, ...]  # more water at weekends


@functools.lru_cache(maxsize=8)
def _calendar(first: date, last: date) -> _Calendar:
    """Each day from `first` to `last` with its season's factor, its month and its weekend
    factor, by column: the same for every meter of a data set, worked out once."""
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return _Calendar(
        tuple(days),
        tuple(1 + 0.15 * math.sin(2 * math.pi * (d.timetuple().tm_yday - 100) / 365) for d in days),
        tuple(d.month for d in days),
        tuple(1.12 if d.weekday() >= 5 else 1.0 for d in days),
    )


def write_hourly(s: Seeder, meter_id: str, first: date, daily: Daily, leak_nights: int) -> None:
    """The hourly series of a meter's days (`daily` from `first`); a leak's nights add to
    them, and to `daily`."""
    total_weight = sum(_HOUR_WEIGHTS)
    leak_from = s.as_of - timedelta(days=leak_nights - 1) if leak_nights else None
    rows: list[tuple[str, str, int]] = []
    days = _calendar(first, s.as_of).days
    for i, (day, whole) in enumerate(zip(days, daily, strict=True)):
        litres = int(whole)
        shares = [litres * w // total_weight for w in _HOUR_WEIGHTS]
        shares[19] += litres - sum(shares)  # the rounding rest goes to the evening peak
        if leak_from and day >= leak_from:
            for hour in range(6):
                shares[hour] += 9
            daily[i] = litres + 54
        stamp = day.isoformat()
        rows.extend((meter_id, f"{stamp}T{hour:02d}", shares[hour]) for hour in range(24))
    s.store.executemany("INSERT INTO hourly (meter_id, ts, litres) VALUES (?, ?, ?)", rows)


def write_readings(
    s: Seeder,
    meter: dict[str, Any],
    meter_id: str,
    daily: Daily,
    periods: Sequence[tuple[date, date]],
    installed: date,
    customer: dict[str, Any],
) -> None:
    """A meter's readings: one at the end of each billing period (a remote meter's at each
    month's end), its index counting up what `daily` (from the first period's first day)
    says it used."""
    rng = random.Random("index" + meter["serial"])
    index = rng.randint(50, 900) * 1000
    remote = meter.get("resolution", "month") != "month"
    read_days = [end for _, end in periods]
    if remote:  # a remote read-out at every month's end
        read_days = []
        day = add_months(periods[0][0], 1) - timedelta(days=1)
        while day <= periods[-1][1]:
            read_days.append(day)
            day = add_months(day + timedelta(days=1), 1) - timedelta(days=1)
    used_until = cumulative(periods[0][0], daily)
    accepted = ReadingStatus.ACCEPTED.value
    rows: list[tuple[str, str, str, int, int | None, str, str, str | None]] = []
    last: date | None = None
    # a synthetic meter's history covers all the years asked for, whatever its install date
    since = periods[0][0] if meter.get("full_history") else installed
    if since > periods[0][0]:
        stamp = installed.isoformat()
        rows.append(
            (f"R-{meter_id}-0", meter_id, stamp, index, None, "installation", accepted, None)
        )
        last = installed
    for n, day in enumerate(read_days, start=1):
        if day < since:
            continue
        used = None if last is None else used_until(day) - used_until(last)
        index += used or 0
        kind = "remote" if remote else ("collector" if n % 3 == 0 or n == 1 else "self")
        stamp = day.isoformat()
        submitted = f"{stamp}T18:00:00+00:00" if kind == "self" else None
        rows.append((f"R-{meter_id}-{n}", meter_id, stamp, index, used, kind, accepted, submitted))
        last = day
    s.store.executemany(
        "INSERT INTO readings (id, meter_id, read_on, idx, consumption, type, status,"
        " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    pending_days = customer.get("scenario", {}).get("pending_reading_days_ago")
    if pending_days and not meter.get("garden"):
        day = s.as_of - timedelta(days=pending_days - 1)
        assert last is not None  # the meter has readings before the pending one
        used = used_until(day) - used_until(last)
        s.store.execute(
            "INSERT INTO readings (id, meter_id, read_on, idx, consumption, type, status,"
            " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"R-{meter_id}-pending",
                meter_id,
                day.isoformat(),
                index + used,
                used,
                ReadingType.SELF.value,
                ReadingStatus.PENDING.value,
                datetime.combine(day, time(19, 30), tzinfo=UTC).isoformat(),
            ),
        )


def cumulative(first: date, daily: Daily) -> Callable[[date], int]:
    """A function giving the litres used from `first` (the day of `daily[0]`) up to and
    including `day`: 0 before `first`, all of them after the last day."""
    totals = list(itertools.accumulate(daily))
    if not totals:
        return lambda day: 0
    end = len(totals) - 1

    def used_until(day: date) -> int:
        at = (day - first).days
        if at < 0:
            return 0
        return int(totals[at if at < end else end])

    return used_until
