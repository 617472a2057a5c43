"""The end of a supply contract: when the iBOK account that served it is deactivated.

The regulations give the utility a grace period after the contract ends, during which the
customer downloads their e-invoices: Będzin deactivates the account within 24 hours
(§8.6), Warszawa blocks it within 30 calendar days (II.7). The period runs from the later
of two moments: the end of the contract's last day (a contract that ends next month keeps
its account until then) and the moment the iBOK learns of the end (an end imported late
still gives the customer the whole period to download their invoices)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import ContractEndGrace, GraceUnit

POLAND = ZoneInfo("Europe/Warsaw")
# the bounds of the setting: at least an hour or a day, at most a month or a year
GRACE_LIMITS = {GraceUnit.HOURS: (1, 24 * 31), GraceUnit.DAYS: (1, 365)}
# Będzin §8.6 (the strictest seen, so the default): deactivated within 24 hours
DEFAULT_GRACE = ContractEndGrace(24, GraceUnit.HOURS)


def grace_in_bounds(grace: ContractEndGrace) -> bool:
    low, high = GRACE_LIMITS[grace.unit]
    return low <= grace.amount <= high


def start_of_day(day: date) -> datetime:
    """Midnight in Poland at the start of `day`, in UTC."""
    return datetime.combine(day, time(0), tzinfo=POLAND).astimezone(UTC)


def deactivation_moment(grace: ContractEndGrace, ended_on: date, recorded_at: datetime) -> datetime:
    """When the account of a contract that ended on `ended_on` (its last day), recorded at
    `recorded_at`, is deactivated (UTC)."""
    start = max(start_of_day(ended_on + timedelta(days=1)), recorded_at.astimezone(UTC))
    if grace.unit is GraceUnit.HOURS:
        return start + timedelta(hours=grace.amount)
    # calendar days: `amount` whole days, after the rest of the day the period starts in
    first = start.astimezone(POLAND).date()
    whole = start == start_of_day(first)
    return start_of_day(first + timedelta(days=grace.amount if whole else grace.amount + 1))
