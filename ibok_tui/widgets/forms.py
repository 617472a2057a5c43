"""Small helpers for forms: dates as people type them, field error labels."""

from __future__ import annotations

import re
from datetime import date

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
