"""Meters, the customer's own readings and the rules they follow, and consumption series."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from ibok_tui.backends.base import (
    Backend,
    Conflict,
    NeedsConfirmation,
    NotFound,
    ValidationFailed,
)
from ibok_tui.domain.models import (
    MeterRole,
    ReadingStatus,
    ReadingSubmission,
    ReadingType,
    Resolution,
)
from ibok_tui.i18n.problems import known
from tests.conformance.conftest import Portal
from tests.support.accounts import customer, operator

JAN_METER = "M-WK-2209-11873"  # last reading 1 012,814 m³ on 31 October 2026, monthly billing
ANNA_MAIN = "M-WK-1908-40211"  # a reading of 19 November waits for import (2-month billing)
ANNA_GARDEN = "M-OG-2104-00518"
PIOTR_SMART = "M-SM-2402-00077"
TODAY = date(2026, 11, 21)


def _codes(error: ValidationFailed) -> set[str]:
    return {e.code for e in error.errors}


async def _pending(backend: Backend, meter_id: str) -> list[str]:
    return [r.id for r in await backend.readings(meter_id) if r.status is ReadingStatus.PENDING]


async def test_meters(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    meters = await anna.meters()
    assert [m.id for m in meters] == [ANNA_MAIN, ANNA_GARDEN]
    garden = await anna.meter(ANNA_GARDEN)
    assert garden.role is MeterRole.SUB and garden.parent_id == ANNA_MAIN
    assert garden == meters[1]
    assert (await anna.meter(ANNA_MAIN)).resolution is Resolution.MONTH
    with pytest.raises(NotFound):
        await anna.meter("M-NO-SUCH")


async def test_readings_oldest_first(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    readings = await jan.readings(JAN_METER)
    assert readings[0].type is ReadingType.INSTALLATION and readings[0].consumption is None
    days = [r.read_on for r in readings]
    assert days == sorted(days)
    last = readings[-1]
    assert (last.read_on, last.index, last.type) == (
        date(2026, 10, 31),
        1012814,
        ReadingType.COLLECTOR,
    )
    for earlier, later in pairwise(readings):
        assert later.consumption == later.index - earlier.index


async def test_submit_with_a_decimal_comma_edit_and_withdraw(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    reading = await jan.submit_reading(ReadingSubmission(JAN_METER, "1 019,5"))
    assert reading.index == 1019500
    assert reading.consumption == 1019500 - 1012814
    assert reading.read_on == TODAY
    assert reading.type is ReadingType.SELF
    assert reading.status is ReadingStatus.PENDING
    assert reading.submitted_at is not None
    listed = await jan.readings(JAN_METER)
    assert listed[-1] == reading

    edited = await jan.edit_reading(reading.id, ReadingSubmission(JAN_METER, "1019,612"))
    assert (edited.id, edited.index, edited.consumption) == (reading.id, 1019612, 6798)
    assert edited.status is ReadingStatus.PENDING
    assert (await jan.readings(JAN_METER))[-1] == edited

    with pytest.raises(ValidationFailed) as bad_edit:
        await jan.edit_reading(reading.id, ReadingSubmission(JAN_METER, "tysiąc"))
    assert bad_edit.value.fields == {"value"}
    assert (await jan.readings(JAN_METER))[-1] == edited

    withdrawn = await jan.withdraw_reading(reading.id)
    assert withdrawn.status is ReadingStatus.WITHDRAWN
    assert await _pending(jan, JAN_METER) == []
    with pytest.raises(Conflict):
        await jan.edit_reading(reading.id, ReadingSubmission(JAN_METER, "1019,700"))
    with pytest.raises(Conflict):
        await jan.withdraw_reading(reading.id)
    # a withdrawn reading does not use up the period
    again = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019.7"))
    assert again.index == 1019700 and again.id != reading.id


BAD_READINGS = [
    ("", None, "value", "empty"),
    ("abc", None, "value", "not_a_number"),
    ("12,3,4", None, "value", "not_a_number"),
    ("-5", None, "value", "negative"),
    ("1019,5001", None, "value", "too_many_decimals"),
    ("100000", None, "value", "too_large"),
    ("1019,5", TODAY + timedelta(days=1), "read_on", "future_date"),
    ("1019,5", date(2026, 10, 30), "read_on", "before_last_reading"),
]


async def test_bad_readings_name_the_field_and_store_nothing(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    before = await jan.readings(JAN_METER)
    for value, read_on, field, code in BAD_READINGS:
        with pytest.raises(ValidationFailed) as bad:
            await jan.submit_reading(
                ReadingSubmission(JAN_METER, value, read_on=read_on), idempotency_key="k"
            )
        assert not isinstance(bad.value, NeedsConfirmation), value
        assert field in bad.value.fields, (value, bad.value.fields)
        assert code in _codes(bad.value), (value, _codes(bad.value))
        assert all(known(e.code, e.field) for e in bad.value.errors), value  # worded
    assert await jan.readings(JAN_METER) == before
    # the refusals did not spend the idempotency key
    reading = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"), idempotency_key="k")
    assert reading.index == 1019500


async def test_the_reading_waiting_in_the_demo_can_be_corrected(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    [waiting] = [r for r in await anna.readings(ANNA_MAIN) if r.status is ReadingStatus.PENDING]
    assert (waiting.id, waiting.read_on, waiting.index) == (
        "R-M-WK-1908-40211-pending",
        date(2026, 11, 19),
        920003,
    )
    edited = await anna.edit_reading(
        waiting.id, ReadingSubmission(ANNA_MAIN, "921,000", read_on=date(2026, 11, 19))
    )
    assert (edited.index, edited.consumption, edited.read_on) == (
        921000,
        921000 - 913422,
        date(2026, 11, 19),
    )
    with pytest.raises(NeedsConfirmation):
        await anna.edit_reading(waiting.id, ReadingSubmission(ANNA_MAIN, "900,000"))
    assert await _pending(anna, ANNA_MAIN) == [waiting.id]
    await anna.withdraw_reading(waiting.id)
    # with it withdrawn, the period is free again
    fresh = await anna.submit_reading(ReadingSubmission(ANNA_MAIN, "922,5"))
    assert await _pending(anna, ANNA_MAIN) == [fresh.id]


async def test_lower_index_needs_a_meter_change_confirmed(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(NeedsConfirmation) as lower:
        await jan.submit_reading(ReadingSubmission(JAN_METER, "0,350"))
    assert lower.value.fields == {"value"}
    assert _codes(lower.value) == {"lower_than_previous"}
    assert await _pending(jan, JAN_METER) == []

    reading = await jan.submit_reading(
        ReadingSubmission(JAN_METER, "0,350", confirm_meter_change=True)
    )
    assert reading.meter_change
    assert reading.index == 350 and reading.consumption == 350
    assert await _pending(jan, JAN_METER) == [reading.id]


async def test_one_reading_per_billing_period(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    # Anna's reading of 19 November waits for import; November and December are one period
    with pytest.raises(ValidationFailed) as twice:
        await anna.submit_reading(ReadingSubmission(ANNA_MAIN, "925,000"))
    assert not isinstance(twice.value, NeedsConfirmation)
    assert _codes(twice.value) == {"same_period"}
    assert twice.value.errors[0].params.get("next_possible") == "2027-01-01"
    # the garden meter is read on its own
    garden = await anna.submit_reading(ReadingSubmission(ANNA_GARDEN, "298,100"))
    assert garden.consumption == 298100 - 297275

    jan = await customer(portal, "100001")
    await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"))
    with pytest.raises(ValidationFailed) as second:
        await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,6"))
    assert _codes(second.value) == {"same_period"}


async def test_implausible_jump_needs_confirming(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(NeedsConfirmation) as jump:
        await jan.submit_reading(ReadingSubmission(JAN_METER, "1090,000"))
    assert _codes(jump.value) == {"implausible_jump"}
    assert await _pending(jan, JAN_METER) == []
    reading = await jan.submit_reading(ReadingSubmission(JAN_METER, "1090,000", confirm_jump=True))
    assert reading.consumption == 1090000 - 1012814
    assert not reading.meter_change
    assert await _pending(jan, JAN_METER) == [reading.id]


async def test_idempotency_key_replays_the_same_reading(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    first = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"), idempotency_key="r1")
    replay = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"), idempotency_key="r1")
    assert replay == first
    assert await _pending(jan, JAN_METER) == [first.id]


async def test_imported_reading_cannot_change(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    reading = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"))
    office = await operator(portal)
    assert await office.import_readings([reading.id]) == 1
    accepted = (await jan.readings(JAN_METER))[-1]
    assert (accepted.id, accepted.status) == (reading.id, ReadingStatus.ACCEPTED)
    with pytest.raises(Conflict):
        await jan.edit_reading(reading.id, ReadingSubmission(JAN_METER, "1019,6"))
    with pytest.raises(Conflict):
        await jan.withdraw_reading(reading.id)
    assert (await jan.readings(JAN_METER))[-1] == accepted


async def test_series_of_a_smart_meter_agree_across_resolutions(portal: Portal) -> None:
    piotr = await customer(portal, "100003")
    start, end = date(2026, 10, 1), date(2026, 11, 20)
    totals = {}
    for resolution in (Resolution.HOUR, Resolution.DAY, Resolution.MONTH, Resolution.YEAR):
        points = await piotr.series(PIOTR_SMART, resolution, start, end)
        assert points
        assert all(start <= p.start.date() <= end or resolution is Resolution.YEAR for p in points)
        assert [p.start for p in points] == sorted(p.start for p in points)
        assert all(p.litres >= 0 for p in points)
        totals[resolution] = sum(p.litres for p in points)
    assert len(set(totals.values())) == 1, totals
    days = await piotr.series(PIOTR_SMART, Resolution.DAY, start, end)
    assert len(days) == 51 and days[-1].start.date() == end
    months = await piotr.series(PIOTR_SMART, Resolution.MONTH, start, end)
    assert [p.start.date() for p in months] == [start, date(2026, 11, 1)]
    # October from the hourly data is what the remote read-out of 31 October says
    october = [r for r in await piotr.readings(PIOTR_SMART) if r.read_on == date(2026, 10, 31)]
    assert months[0].litres == october[0].consumption

    whole_months = await piotr.series(PIOTR_SMART, Resolution.MONTH)
    whole_years = await piotr.series(PIOTR_SMART, Resolution.YEAR)
    assert sum(p.litres for p in whole_months) == sum(p.litres for p in whole_years)
    assert [p.start.year for p in whole_years] == [2024, 2025, 2026]


async def test_series_of_a_manual_meter(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    months = await jan.series(JAN_METER, Resolution.MONTH)
    readings = await jan.readings(JAN_METER)
    assert sum(p.litres for p in months) == readings[-1].index - readings[0].index
    assert all(p.start.day == 1 and p.start.hour == 0 for p in months)
    assert months[-1].start.date() == date(2026, 10, 1)
    assert months[-1].litres == readings[-1].consumption
    recent = await jan.series(JAN_METER, Resolution.MONTH, date(2026, 1, 1), date(2026, 11, 20))
    assert [p.start.month for p in recent] == list(range(1, 11))
    years = await jan.series(JAN_METER, Resolution.YEAR)
    assert sum(p.litres for p in years) == sum(p.litres for p in months)
    for too_fine in (Resolution.HOUR, Resolution.DAY):
        with pytest.raises(ValidationFailed) as refused:
            await jan.series(JAN_METER, too_fine)
        assert refused.value.fields == {"resolution"}
