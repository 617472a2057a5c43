"""How much water each meter used: daily profiles, hourly series, readings."""

from __future__ import annotations

import functools
import itertools
import math
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

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


def past_periods(as_of: date, months: int, history_months: int) -> list[tuple[date, date]]:
    """The completed billing periods of the last `history_months` months, oldest first."""
    current_start, _ = billing_period(as_of + timedelta(days=1), months)
    periods = []
    end = current_start - timedelta(days=1)
    count = max(1, history_months // months)
    for _ in range(count):
        start, stop = billing_period(end, months)
        periods.append((start, stop))
        end = start - timedelta(days=1)
    return periods[::-1]


def daily_usage(meter: dict[str, Any], first: date, last: date) -> dict[date, int]:
    rng = random.Random(meter["serial"])
    draw = rng.random
    base = meter["litres_per_day"]
    garden = meter.get("garden", False)
    calendar = _calendar(first, last)
    # rng.uniform(0.75, 1.25) is 0.75 + 0.5 * random(): the same draws without the calls;
    # every factor is positive, so no day's use is below 0
    if not garden:
        return {
            day: round(base * season * weekend * (0.75 + 0.5 * draw()))
            for day, season, _month, weekend in calendar
        }
    usage = {}
    for day, season, month, _weekend in calendar:
        season = 0.0 if month not in (5, 6, 7, 8, 9) else 1.6 * season
        if season and draw() < 0.3:  # it rained: no watering
            season = 0.0
        usage[day] = round(base * season * (0.75 + 0.5 * draw()))
    return usage


@functools.lru_cache(maxsize=8)
def _calendar(first: date, last: date) -> tuple[tuple[date, float, int, float], ...]:
    """Each day from `first` to `last` with its season's factor, its month and its weekend
    factor (more water at weekends): the same for every meter of a data set, worked out
    once."""
    days = []
    day = first
    while day <= last:
        season = 1 + 0.15 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 100) / 365)
        days.append((day, season, day.month, 1.12 if day.weekday() >= 5 else 1.0))
        day += timedelta(days=1)
    return tuple(days)


def write_hourly(s: Seeder, meter_id: str, daily: dict[date, int], leak_nights: int) -> None:
    total_weight = sum(_HOUR_WEIGHTS)
    leak_from = s.as_of - timedelta(days=leak_nights - 1) if leak_nights else None
    rows: list[tuple[str, str, int]] = []
    for day, litres in daily.items():
        shares = [litres * w // total_weight for w in _HOUR_WEIGHTS]
        shares[19] += litres - sum(shares)  # the rounding rest goes to the evening peak
        if leak_from and day >= leak_from:
            for hour in range(6):
                shares[hour] += 9
            daily[day] = litres + 54
        stamp = day.isoformat()
        rows.extend((meter_id, f"{stamp}T{hour:02d}", shares[hour]) for hour in range(24))
    s.store.executemany("INSERT INTO hourly (meter_id, ts, litres) VALUES (?, ?, ?)", rows)


def write_readings(
    s: Seeder,
    meter: dict[str, Any],
    meter_id: str,
    daily: dict[date, int],
    periods: list[tuple[date, date]],
    installed: date,
    customer: dict[str, Any],
) -> None:
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
    used_until = cumulative(daily)
    rows: list[tuple[str, str, int, int | None, str]] = []
    last: date | None = None
    # a synthetic meter's history covers all the years asked for, whatever its install date
    since = periods[0][0] if meter.get("full_history") else installed
    if since > periods[0][0]:
        rows.append((f"R-{meter_id}-0", installed.isoformat(), index, None, "installation"))
        last = installed
    for n, day in enumerate(read_days, start=1):
        if day < since:
            continue
        used = None if last is None else used_until(day) - used_until(last)
        index += used or 0
        kind = "remote" if remote else ("collector" if n % 3 == 0 or n == 1 else "self")
        rows.append((f"R-{meter_id}-{n}", day.isoformat(), index, used, kind))
        last = day
    s.store.executemany(
        "INSERT INTO readings (id, meter_id, read_on, idx, consumption, type, status,"
        " submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                rid,
                meter_id,
                day,
                idx,
                used,
                kind,
                ReadingStatus.ACCEPTED.value,
                f"{day}T18:00:00+00:00" if kind == "self" else None,
            )
            for rid, day, idx, used, kind in rows
        ],
    )
    pending_days = customer.get("scenario", {}).get("pending_reading_days_ago")
    if pending_days and not meter.get("garden"):
        day = s.as_of - timedelta(days=pending_days - 1)
        used = used_until(day) - used_until(date.fromisoformat(rows[-1][1]))
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


def cumulative(daily: dict[date, int]) -> Any:
    """A function giving the litres used from the first day up to and including `day`."""
    days = sorted(daily)
    totals_by_day = dict(zip(days, itertools.accumulate(map(daily.__getitem__, days)), strict=True))
    first, last = (days[0], days[-1]) if days else (date.max, date.min)

    def used_until(day: date) -> int:
        if day < first:
            return 0
        return totals_by_day[min(day, last)]

    return used_until
