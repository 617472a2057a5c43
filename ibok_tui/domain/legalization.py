"""Meter legalization: a meter's verification is valid for five years."""

from __future__ import annotations

from datetime import date

from .dates import add_years
from .models import LegalizationState

LEGALIZATION_YEARS = 5
WARNING_DAYS = 90


def legalization_expiry(legalized_on: date) -> date:
    """The last day of validity: five years on (29 Feb -> 28 Feb)."""
    return add_years(legalized_on, LEGALIZATION_YEARS)


def days_left(expires: date, today: date) -> int:
    """Days from `today` to `expires`: 0 on the day itself, negative once expired."""
    return (expires - today).days


def legalization_state(expires: date, today: date) -> LegalizationState:
    """EXPIRED after the expiry day, EXPIRING within WARNING_DAYS of it (inclusive), else VALID."""
    left = days_left(expires, today)
    if left < 0:
        return LegalizationState.EXPIRED
    if left <= WARNING_DAYS:
        return LegalizationState.EXPIRING
    return LegalizationState.VALID
