import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.errors import NeedsConfirmation, ValidationFailed
from ibok_tui.domain.models import Reading, ReadingStatus, ReadingType
from ibok_tui.domain.readings import (
    ROLLOVER_AT,
    ReadingInputError,
    ReadingVerdict,
    billing_period,
    check_reading,
    is_editable,
    litres_to_m3,
    parse_index,
)
from ibok_tui.i18n.problems import field_text

TODAY = date(2026, 11, 21)


def reading(
    id: str,
    read_on: date,
    index: int,
    consumption: int | None = None,
    type: ReadingType = ReadingType.COLLECTOR,
    status: ReadingStatus = ReadingStatus.ACCEPTED,
) -> Reading:
    return Reading(id, "m1", read_on, index, consumption, type, status)


# Three collector readings, ~328 l a day.
HISTORY = (
    reading("r1", date(2026, 8, 1), 100_000),
    reading("r2", date(2026, 9, 1), 110_000, 10_000),
    reading("r3", date(2026, 10, 1), 120_000, 10_000),
)


def codes(verdict: ReadingVerdict) -> tuple[list[str], list[str]]:
    return [e.code for e in verdict.errors], [c.code for c in verdict.confirmations]


# --- parse_index -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "litres"),
    [
        ("123,456", 123_456),
        ("123.456", 123_456),
        ("1 234,5", 1_234_500),
        ("1\u00a0234,5", 1_234_500),
        ("1\u202f234,5", 1_234_500),
        ("17", 17_000),
        ("  17  ", 17_000),
        ("0", 0),
        ("0,001", 1),
        (",5", 500),
        ("12,", 12_000),
        ("007,1", 7_100),
        ("1,2300", 1_230),  # zeros past the third place are harmless
        ("99 999,999", 99_999_999),
        ("-0", 0),
    ],
)
def test_parse_index(text: str, litres: int) -> None:
    assert parse_index(text) == litres


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not_a_number"),
        ("12a", "not_a_number"),
        ("1,2,3", "not_a_number"),
        ("1.234,5", "not_a_number"),  # a dot as a thousands separator is ambiguous
        ("1 23", "not_a_number"),  # a space that is not a thousands separator
        ("12 3456", "not_a_number"),
        (",", "not_a_number"),
        ("+5", "not_a_number"),
        ("1e3", "not_a_number"),
        ("-1", "negative"),
        ("-0,5", "negative"),
        ("\u22121", "negative"),
        ("1,2345", "too_many_decimals"),
        ("100 000", "too_large"),
        ("100000", "too_large"),
        ("99999,9991", "too_many_decimals"),
    ],
)
def test_parse_index_rejects(text: str, code: str) -> None:
    with pytest.raises(ReadingInputError) as caught:
        parse_index(text)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)  # a Polish message for people


def _polish(litres: int, spaces: bool) -> str:
    whole, rest = divmod(litres, 1000)
    text = f"{whole:,}".replace(",", " ") if spaces else str(whole)
    return f"{text},{rest:03d}"


@given(st.integers(min_value=0, max_value=99_999_999), st.booleans())
def test_parse_index_round_trip(litres: int, spaces: bool) -> None:
    assert parse_index(_polish(litres, spaces)) == litres
    assert parse_index(str(litres_to_m3(litres))) == litres


def test_litres_to_m3_is_exact_with_three_places() -> None:
    assert litres_to_m3(123_456) == Decimal("123.456")
    assert str(litres_to_m3(17_000)) == "17.000"
    assert str(litres_to_m3(1)) == "0.001"
    assert str(litres_to_m3(99_999_999)) == "99999.999"


# --- billing periods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "period"),
    [
        (date(2026, 11, 21), 1, (date(2026, 11, 1), date(2026, 11, 30))),
        (date(2024, 2, 10), 1, (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2026, 11, 21), 2, (date(2026, 11, 1), date(2026, 12, 31))),
        (date(2026, 2, 1), 2, (date(2026, 1, 1), date(2026, 2, 28))),
        (date(2026, 11, 21), 3, (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 4, 1), 3, (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 8, 31), 4, (date(2026, 5, 1), date(2026, 8, 31))),
        (date(2026, 6, 30), 6, (date(2026, 1, 1), date(2026, 6, 30))),
        (date(2026, 7, 1), 6, (date(2026, 7, 1), date(2026, 12, 31))),
        (date(2026, 3, 3), 12, (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_billing_period(day: date, months: int, period: tuple[date, date]) -> None:
    assert billing_period(day, months) == period


@pytest.mark.parametrize("months", [0, 5, 7, 24, -1])
def test_billing_period_rejects_other_lengths(months: int) -> None:
    with pytest.raises(ValueError):
        billing_period(TODAY, months)


@given(st.dates(), st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_billing_periods_tile_the_year(day: date, months: int) -> None:
    start, end = billing_period(day, months)
    assert start <= day <= end
    assert start.day == 1 and (start.month - 1) % months == 0 and start.year == day.year
    assert (end + timedelta(days=1)).day == 1
    if end < date.max:
        assert billing_period(end + timedelta(days=1), months)[0] == end + timedelta(days=1)


# --- check_reading -----------------------------------------------------------------------


def test_a_normal_reading_is_accepted() -> None:
    verdict = check_reading(125_000, date(2026, 11, 15), HISTORY, today=TODAY)
    assert verdict.ok
    assert verdict.consumption == 5_000
    assert not verdict.meter_change
    assert verdict.next_possible is None
    verdict.raise_if_refused()  # does not raise


def test_the_first_reading_has_no_consumption() -> None:
    verdict = check_reading(5_000, TODAY, [], today=TODAY)
    assert verdict.ok
    assert verdict.consumption is None


def test_history_order_does_not_matter() -> None:
    shuffled = list(HISTORY)
    random.Random(1).shuffle(shuffled)
    for history in (shuffled, list(reversed(HISTORY))):
        verdict = check_reading(119_000, date(2026, 11, 15), history, today=TODAY)
        assert codes(verdict) == ([], ["lower_than_previous"])


def test_a_future_date_is_refused() -> None:
    verdict = check_reading(125_000, TODAY + timedelta(days=1), HISTORY, today=TODAY)
    assert codes(verdict) == (["future_date"], [])
    assert verdict.errors[0].field == "read_on"
    assert check_reading(125_000, TODAY, HISTORY, today=TODAY).ok


def test_a_date_before_the_last_reading_is_refused() -> None:
    verdict = check_reading(125_000, date(2026, 9, 30), HISTORY, today=TODAY)
    assert "before_last_reading" in codes(verdict)[0]
    error = next(e for e in verdict.errors if e.code == "before_last_reading")
    assert error.field == "read_on"
    assert error.params == {"last_read_on": "2026-10-01"}
    assert "01.10.2026" in field_text(error, "pl")


def test_a_second_reading_in_the_same_period_is_refused() -> None:
    history = [*HISTORY, reading("r4", date(2026, 11, 2), 121_000, 1_000, ReadingType.SELF)]
    verdict = check_reading(125_000, date(2026, 11, 15), history, today=TODAY)
    assert codes(verdict) == (["same_period"], [])
    error = verdict.errors[0]
    assert error.field == "value"
    assert error.params == {"next_possible": "2026-12-01"}
    assert "01.12.2026" in field_text(error, "pl")
    assert verdict.next_possible == date(2026, 12, 1)
    assert not verdict.ok


def test_the_same_period_follows_the_billing_length() -> None:
    history = [*HISTORY, reading("r4", date(2026, 11, 2), 121_000, 1_000, ReadingType.SELF)]
    verdict = check_reading(125_000, TODAY, history, today=TODAY, billing_months=2)
    assert verdict.next_possible == date(2027, 1, 1)
    # October and November are different two-month periods (Sep-Oct, Nov-Dec).
    verdict = check_reading(125_000, TODAY, HISTORY, today=TODAY, billing_months=2)
    assert verdict.ok
    verdict = check_reading(125_000, TODAY, HISTORY, today=TODAY, billing_months=3)
    assert verdict.next_possible == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("type", "status", "blocks"),
    [
        (ReadingType.SELF, ReadingStatus.PENDING, True),
        (ReadingType.COLLECTOR, ReadingStatus.ACCEPTED, True),
        (ReadingType.SELF, ReadingStatus.WITHDRAWN, False),
        (ReadingType.REMOTE, ReadingStatus.ACCEPTED, False),
        (ReadingType.ESTIMATE, ReadingStatus.ACCEPTED, False),
        (ReadingType.INSTALLATION, ReadingStatus.ACCEPTED, False),
    ],
)
def test_which_readings_take_up_the_period(
    type: ReadingType, status: ReadingStatus, blocks: bool
) -> None:
    history = [*HISTORY, reading("r4", date(2026, 11, 2), 121_000, 1_000, type, status)]
    verdict = check_reading(125_000, date(2026, 11, 15), history, today=TODAY)
    assert (verdict.errors != ()) is blocks


def test_editing_a_reading_does_not_collide_with_itself() -> None:
    own = reading("r4", date(2026, 11, 2), 121_000, 1_000, ReadingType.SELF, ReadingStatus.PENDING)
    history = [*HISTORY, own]
    # Lower than the reading being edited, but not lower than the one before it.
    verdict = check_reading(120_500, date(2026, 11, 3), history, today=TODAY, editing_id="r4")
    assert verdict.ok
    assert verdict.consumption == 500


def test_a_withdrawn_reading_is_ignored() -> None:
    withdrawn = reading(
        "r4", date(2026, 11, 2), 150_000, 30_000, ReadingType.SELF, ReadingStatus.WITHDRAWN
    )
    verdict = check_reading(125_000, date(2026, 11, 1), [*HISTORY, withdrawn], today=TODAY)
    assert verdict.ok
    assert verdict.consumption == 5_000


def test_a_lower_index_needs_confirmation() -> None:
    verdict = check_reading(119_000, date(2026, 11, 15), HISTORY, today=TODAY)
    assert codes(verdict) == ([], ["lower_than_previous"])
    confirmation = verdict.confirmations[0]
    assert confirmation.field == "value"
    assert confirmation.params == {"index": "119.000", "previous": "120.000"}
    text = field_text(confirmation, "pl")
    assert "119,000 m³" in text and "120,000 m³" in text
    assert verdict.consumption is None
    assert not verdict.meter_change
    with pytest.raises(NeedsConfirmation) as caught:
        verdict.raise_if_refused()
    assert caught.value.errors == list(verdict.confirmations)


def test_a_confirmed_new_meter_counts_from_zero() -> None:
    verdict = check_reading(
        500, date(2026, 11, 15), HISTORY, today=TODAY, confirm_meter_change=True
    )
    assert verdict.ok
    assert verdict.meter_change
    assert verdict.consumption == 500


def test_a_confirmed_roll_over_counts_across_zero() -> None:
    history = [reading("r1", date(2026, 10, 1), 99_990_000)]
    verdict = check_reading(
        5_000, date(2026, 11, 1), history, today=TODAY, confirm_meter_change=True
    )
    assert verdict.ok
    assert verdict.meter_change
    assert verdict.consumption == 15_000
    # Just under 90 % of the counter's range is a new meter, not a roll-over.
    history = [reading("r1", date(2026, 10, 1), 89_999_999)]
    verdict = check_reading(
        5_000, date(2026, 11, 1), history, today=TODAY, confirm_meter_change=True
    )
    assert verdict.consumption == 5_000
    history = [reading("r1", date(2026, 10, 1), 90_000_000)]
    verdict = check_reading(
        5_000, date(2026, 11, 1), history, today=TODAY, confirm_meter_change=True
    )
    assert verdict.consumption == ROLLOVER_AT - 90_000_000 + 5_000


def test_confirming_a_meter_change_when_the_index_is_higher_changes_nothing() -> None:
    verdict = check_reading(
        125_000, date(2026, 11, 15), HISTORY, today=TODAY, confirm_meter_change=True
    )
    assert verdict.ok and not verdict.meter_change and verdict.consumption == 5_000


def test_an_implausible_jump_needs_confirmation() -> None:
    # 45 days after the last reading; the meter's own 4 × average (~1 311 l/day) is under
    # the 2 000 l/day floor, so the limit is 90 000 litres.
    day = date(2026, 11, 15)
    assert check_reading(210_000, day, HISTORY, today=TODAY).ok
    verdict = check_reading(210_001, day, HISTORY, today=TODAY)
    assert codes(verdict) == ([], ["implausible_jump"])
    assert verdict.confirmations[0].params == {
        "consumption": "90.001",
        "days": "45",
        "last_read_on": "2026-10-01",
    }
    assert verdict.consumption == 90_001
    confirmed = check_reading(210_001, day, HISTORY, today=TODAY, confirm_jump=True)
    assert confirmed.ok and confirmed.consumption == 90_001


def test_a_jump_is_measured_against_the_meters_own_average() -> None:
    history = [
        reading("r1", date(2026, 8, 1), 0, type=ReadingType.REMOTE),
        reading("r2", date(2026, 9, 1), 155_000, 155_000, ReadingType.REMOTE),  # 5 000 l/day
        reading("r3", date(2026, 10, 1), 305_000, 150_000, ReadingType.REMOTE),  # 5 000 l/day
    ]
    day = date(2026, 10, 11)  # 10 days on; 4 × 305 000 / 61 days × 10 days = 200 000
    assert check_reading(505_000, day, history, today=TODAY).ok
    assert codes(check_reading(505_001, day, history, today=TODAY)) == ([], ["implausible_jump"])


def test_the_average_uses_only_the_last_six_intervals() -> None:
    start = date(2025, 1, 1)
    history = [reading("r0", start, 0, type=ReadingType.REMOTE)]
    index = 0
    for n in range(1, 10):  # three busy intervals first, then six quiet ones
        index += 100_000 if n <= 3 else 10_000
        history.append(
            reading(f"r{n}", start + timedelta(days=10 * n), index, None, ReadingType.REMOTE)
        )
    day = start + timedelta(days=100)  # 10 days after the last reading
    # Quiet average: 1 000 l/day -> 4 × = 4 000 l/day -> 40 000 litres in 10 days.
    assert check_reading(index + 40_000, day, history, today=TODAY).ok
    assert not check_reading(index + 40_001, day, history, today=TODAY).ok


def test_with_little_history_the_jump_limit_is_eight_cubic_metres_a_day() -> None:
    history = [reading("r1", date(2026, 10, 1), 0, type=ReadingType.REMOTE)]
    day = date(2026, 10, 11)
    assert check_reading(80_000, day, history, today=TODAY).ok
    assert codes(check_reading(80_001, day, history, today=TODAY)) == ([], ["implausible_jump"])


def test_a_meter_change_is_not_checked_for_a_jump() -> None:
    history = [reading("r1", date(2026, 9, 30), 99_999_000)]
    verdict = check_reading(
        90_000_000, date(2026, 10, 1), history, today=TODAY, confirm_meter_change=True
    )
    assert verdict.ok and verdict.meter_change


def test_an_index_out_of_range_is_refused() -> None:
    for index in (-1, ROLLOVER_AT):
        verdict = check_reading(index, TODAY, HISTORY, today=TODAY)
        assert codes(verdict)[0] == ["out_of_range"]
        assert verdict.consumption is None


def test_errors_are_raised_before_confirmations() -> None:
    verdict = check_reading(119_000, TODAY + timedelta(days=1), HISTORY, today=TODAY)
    assert codes(verdict) == (["future_date"], ["lower_than_previous"])
    with pytest.raises(ValidationFailed) as caught:
        verdict.raise_if_refused()
    assert type(caught.value) is ValidationFailed
    assert caught.value.fields == {"read_on"}


def test_is_editable_only_while_pending() -> None:
    base = HISTORY[0]
    assert is_editable(reading("x", base.read_on, 1, status=ReadingStatus.PENDING))
    assert not is_editable(reading("x", base.read_on, 1, status=ReadingStatus.ACCEPTED))
    assert not is_editable(reading("x", base.read_on, 1, status=ReadingStatus.WITHDRAWN))


@st.composite
def histories(draw: st.DrawFn) -> list[Reading]:
    count = draw(st.integers(min_value=0, max_value=8))
    day = date(2024, 1, 1)
    index = draw(st.integers(min_value=0, max_value=ROLLOVER_AT - 1))
    result = []
    for n in range(count):
        day += timedelta(days=draw(st.integers(min_value=0, max_value=60)))
        index = draw(st.integers(min_value=0, max_value=ROLLOVER_AT - 1))
        result.append(
            reading(
                f"r{n}",
                day,
                index,
                None,
                draw(st.sampled_from(ReadingType)),
                draw(st.sampled_from(ReadingStatus)),
            )
        )
    return result


@given(
    history=histories(),
    index=st.integers(min_value=0, max_value=ROLLOVER_AT - 1),
    offset=st.integers(min_value=0, max_value=400),
    meter_change=st.booleans(),
    jump=st.booleans(),
    months=st.sampled_from([1, 2, 3, 4, 6, 12]),
)
def test_check_reading_invariants(
    history: list[Reading],
    index: int,
    offset: int,
    meter_change: bool,
    jump: bool,
    months: int,
) -> None:
    today = date(2025, 6, 1)
    read_on = date(2024, 1, 1) + timedelta(days=offset)
    verdict = check_reading(
        index,
        read_on,
        history,
        today=today,
        billing_months=months,
        confirm_meter_change=meter_change,
        confirm_jump=jump,
    )
    live = [r for r in history if r.status != ReadingStatus.WITHDRAWN]
    assert verdict.consumption is None or verdict.consumption >= 0
    assert verdict.ok == (not verdict.errors and not verdict.confirmations)
    assert (verdict.next_possible is not None) == (
        "same_period" in [e.code for e in verdict.errors]
    )
    if not live:
        assert verdict.consumption is None and not verdict.confirmations
        return
    last = max(live, key=lambda r: (r.read_on, r.id))
    lower = index < last.index
    confirmation_codes = [c.code for c in verdict.confirmations]
    if lower and not meter_change:
        assert "lower_than_previous" in confirmation_codes
        assert not verdict.ok
    if lower and meter_change:
        assert verdict.meter_change
        assert "implausible_jump" not in confirmation_codes
    if not lower:
        assert verdict.consumption == index - last.index
        assert not verdict.meter_change
    if jump:
        assert "implausible_jump" not in confirmation_codes
