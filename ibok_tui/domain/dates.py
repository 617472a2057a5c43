"""Calendar arithmetic: data-as-of day, adding months and years with day clamping."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def data_as_of(today: date) -> date:
    """The day the account's data is current to: the previous day ("dane na dzień …")."""
    return today - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (may be negative), the day clamped: 31 Jan + 1 -> 28/29 Feb."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """`day` moved by `years`; 29 Feb becomes 28 Feb in a common year."""
    return add_months(day, 12 * years)
