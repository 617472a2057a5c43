from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.dates import add_months, add_years, data_as_of
from ibok_tui.domain.legalization import (
    LEGALIZATION_YEARS,
    WARNING_DAYS,
    days_left,
    legalization_expiry,
    legalization_state,
)
from ibok_tui.domain.models import LegalizationState

# --- dates -------------------------------------------------------------------------------


def test_data_is_as_of_the_previous_day() -> None:
    assert data_as_of(date(2026, 11, 21)) == date(2026, 11, 20)
    assert data_as_of(date(2026, 1, 1)) == date(2025, 12, 31)
    assert data_as_of(date(2024, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 11, 21), 2, date(2027, 1, 21)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 5, 31), 0, date(2026, 5, 31)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
        (date(2026, 12, 1), -24, date(2024, 12, 1)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_years_clamps_the_leap_day() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2026, 11, 21), -3) == date(2023, 11, 21)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)),
    st.integers(min_value=-1000, max_value=1000),
)
def test_add_months_moves_the_month_and_never_grows_the_day(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    if moved.day < day.day:  # clamped: the last day of its month
        assert (moved + timedelta(days=1)).day == 1


# --- legalization ------------------------------------------------------------------------


def test_constants() -> None:
    assert LEGALIZATION_YEARS == 5
    assert WARNING_DAYS == 90


def test_legalization_is_valid_for_five_years() -> None:
    assert legalization_expiry(date(2021, 6, 15)) == date(2026, 6, 15)
    assert legalization_expiry(date(2024, 2, 29)) == date(2029, 2, 28)


def test_days_left() -> None:
    assert days_left(date(2026, 11, 30), date(2026, 11, 21)) == 9
    assert days_left(date(2026, 11, 21), date(2026, 11, 21)) == 0
    assert days_left(date(2026, 11, 20), date(2026, 11, 21)) == -1


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (-365, LegalizationState.EXPIRED),
        (-1, LegalizationState.EXPIRED),  # the day after the last valid day
        (0, LegalizationState.EXPIRING),  # still valid on its last day
        (1, LegalizationState.EXPIRING),
        (90, LegalizationState.EXPIRING),
        (91, LegalizationState.VALID),
        (1000, LegalizationState.VALID),
    ],
)
def test_legalization_state(offset: int, state: LegalizationState) -> None:
    today = date(2026, 11, 21)
    assert legalization_state(today + timedelta(days=offset), today) == state


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.dates())
def test_state_agrees_with_days_left(expires: date, today: date) -> None:
    state = legalization_state(expires, today)
    left = days_left(expires, today)
    assert (state == LegalizationState.EXPIRED) == (today > expires)
    assert (state == LegalizationState.VALID) == (left > WARNING_DAYS)
