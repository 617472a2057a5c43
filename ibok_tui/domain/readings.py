"""Meter readings: parsing what a person types, billing periods and the submission rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from .dates import add_months
from .errors import FieldError, NeedsConfirmation, ValidationFailed
from .models import Litres, Reading, ReadingStatus, ReadingType

ROLLOVER_AT: Litres = 100_000_000  # a 5-digit counter rolls over after 99 999.999 m³
MAX_INDEX: Litres = ROLLOVER_AT - 1
LITRES_PER_M3 = 1000
BILLING_MONTHS = (1, 2, 3, 4, 6, 12)
JUMP_FACTOR = 4  # a jump is over 4 × the meter's own average daily use ...
JUMP_FLOOR_PER_DAY: Litres = 2000  # ... and over 2 m³ a day
JUMP_NO_HISTORY_PER_DAY: Litres = JUMP_FACTOR * JUMP_FLOOR_PER_DAY  # with too little history
JUMP_WINDOW = 6  # intervals in the trailing average

_MILLI = Decimal("0.001")
_NUMBER = re.compile(
    r"(?P<int>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]*)(?:[.,](?P<frac>[0-9]*))?",
    re.ASCII,
)
_PERIOD_TYPES = frozenset({ReadingType.SELF, ReadingType.COLLECTOR})


class ReadingInputError(ValueError):
    """A typed meter index that cannot be taken; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_index(text: str) -> Litres:
    """A meter index typed in m³ ("1 234,5", "123.456", "17") to litres."""
    stripped = text.strip()
    if not stripped:
        raise ReadingInputError("empty")
    negative = stripped[0] in "-\u2212"
    body = stripped[1:].lstrip() if negative else stripped
    match = _NUMBER.fullmatch(body)
    if match is None or not (match["int"] or match["frac"]):
        raise ReadingInputError("not_a_number")
    digits = re.sub(r"[^0-9]", "", match["int"]) or "0"
    frac = (match["frac"] or "").rstrip("0")
    if len(frac) > 3:
        raise ReadingInputError("too_many_decimals")
    if len(digits.lstrip("0")) > len(str(MAX_INDEX // LITRES_PER_M3)):  # before int() of it
        raise ReadingInputError("too_large")
    litres = int(digits) * LITRES_PER_M3 + int(frac.ljust(3, "0"))
    if negative and litres:
        raise ReadingInputError("negative")
    if litres > MAX_INDEX:
        raise ReadingInputError("too_large")
    return litres


def litres_to_m3(litres: Litres) -> Decimal:
    """Litres to m³, exact, with three places."""
    return (Decimal(litres) / LITRES_PER_M3).quantize(_MILLI)


def billing_period(day: date, months: int) -> tuple[date, date]:
    """First and last day of the billing period holding `day`; periods start in January."""
    if months not in BILLING_MONTHS:
        raise ValueError(f"a billing period cannot be {months} months long")
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, months) - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ReadingVerdict:
    """What `check_reading` decided: refusals (`errors`), questions (`confirmations`)."""

    consumption: Litres | None
    meter_change: bool
    errors: tuple[FieldError, ...]
    confirmations: tuple[FieldError, ...]
    next_possible: date | None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.confirmations

    def raise_if_refused(self) -> None:
        if self.errors:
            raise ValidationFailed(list(self.errors))
        if self.confirmations:
            raise NeedsConfirmation(list(self.confirmations))


def _order(reading: Reading) -> tuple[date, float, str]:
    stamp = reading.submitted_at.timestamp() if reading.submitted_at else float("-inf")
    return reading.read_on, stamp, reading.id


def _interval_litres(earlier: Reading, later: Reading) -> Litres | None:
    if later.meter_change:
        return later.consumption
    used = later.index - earlier.index
    return used if used >= 0 else None


def _is_jump(consumption: Litres, days: int, earlier: Sequence[Reading]) -> bool:
    """More than max(4 × own average, 2 m³) a day; 8 m³ a day with under two readings."""
    days = max(days, 1)
    if consumption <= JUMP_FLOOR_PER_DAY * days:
        return False
    total_litres = total_days = 0
    if len(earlier) >= 2:
        pairs = list(pairwise(earlier))[-JUMP_WINDOW:]
        for a, b in pairs:
            used, span = _interval_litres(a, b), (b.read_on - a.read_on).days
            if used is not None and span > 0:
                total_litres += used
                total_days += span
    if total_days == 0:
        return consumption > JUMP_NO_HISTORY_PER_DAY * days
    # rate > 4 × average  <=>  consumption / days > 4 × total_litres / total_days
    return consumption * total_days > JUMP_FACTOR * total_litres * days


def check_reading(
    index: Litres,
    read_on: date,
    history: Sequence[Reading],
    *,
    today: date,
    billing_months: int = 1,
    confirm_meter_change: bool = False,
    confirm_jump: bool = False,
    editing_id: str | None = None,
) -> ReadingVerdict:
    """Apply the submission rules to a new (or edited) reading of a meter with `history`."""
    considered = sorted(
        (r for r in history if r.status != ReadingStatus.WITHDRAWN and r.id != editing_id),
        key=_order,
    )
    latest = considered[-1] if considered else None
    errors: list[FieldError] = []
    confirmations: list[FieldError] = []
    next_possible: date | None = None

    if not 0 <= index <= MAX_INDEX:
        errors.append(
            FieldError(
                "value",
                "out_of_range",
            )
        )
    if read_on > today:
        errors.append(
            FieldError(
                "read_on",
                "future_date",
                params={"today": today.isoformat()},
            )
        )
    if latest is not None and read_on < latest.read_on:
        errors.append(
            FieldError(
                "read_on",
                "before_last_reading",
                params={"last_read_on": latest.read_on.isoformat()},
            )
        )
    period = billing_period(read_on, billing_months)
    if any(r.type in _PERIOD_TYPES and period[0] <= r.read_on <= period[1] for r in considered):
        next_possible = period[1] + timedelta(days=1)
        errors.append(
            FieldError(
                "value",
                "same_period",
                params={"next_possible": next_possible.isoformat()},
            )
        )

    consumption: Litres | None = None
    meter_change = False
    if latest is not None and 0 <= index <= MAX_INDEX:
        previous = latest.index
        if index >= previous:
            consumption = index - previous
        elif confirm_meter_change:
            meter_change = True
            rolled = 10 * previous >= 9 * ROLLOVER_AT and previous < ROLLOVER_AT
            consumption = ROLLOVER_AT - previous + index if rolled else index
        else:
            confirmations.append(
                FieldError(
                    "value",
                    "lower_than_previous",
                    params={
                        "index": str(litres_to_m3(index)),
                        "previous": str(litres_to_m3(previous)),
                    },
                )
            )
        days = (read_on - latest.read_on).days
        if (
            consumption is not None
            and not meter_change
            and not confirm_jump
            and _is_jump(consumption, days, considered)
        ):
            confirmations.append(
                FieldError(
                    "value",
                    "implausible_jump",
                    params={
                        "consumption": str(litres_to_m3(consumption)),
                        "days": str(days),
                        "last_read_on": latest.read_on.isoformat(),
                    },
                )
            )

    return ReadingVerdict(
        consumption=consumption,
        meter_change=meter_change,
        errors=tuple(errors),
        confirmations=tuple(confirmations),
        next_possible=next_possible,
    )


def is_editable(reading: Reading) -> bool:
    """A submitted reading can be edited or withdrawn until the utility imports it."""
    return reading.status == ReadingStatus.PENDING
