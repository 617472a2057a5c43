"""Calendar arithmetic: data-as-of day, adding months and years with day clamping."""

from __future__ import annotations

import calendar
import re
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


_DOTTED = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_day(text: str) -> date | None:
    """`21.11.2026`, `21/11/2026` or `2026-11-21`; None for an empty text.

    Raises ValueError for anything else.
    """
    if not text.strip():
        return None
    if match := _DOTTED.match(text):
        day_, month_, year = (int(g) for g in match.groups())
        return date(year, month_, day_)
    if match := _ISO.match(text):
        year, month_, day_ = (int(g) for g in match.groups())
        return date(year, month_, day_)
    raise ValueError(text)


def day_problem(text: str) -> str | None:
    """Why `text` is no day `parse_day` reads: "format" (not dd.mm.rrrr nor rrrr-mm-dd) or
    "no_such_day" (31.02.2026); None when it is one, or empty."""
    if not text.strip():
        return None
    if not (_DOTTED.match(text) or _ISO.match(text)):
        return "format"
    try:
        parse_day(text)
    except ValueError:
        return "no_such_day"
    return None
