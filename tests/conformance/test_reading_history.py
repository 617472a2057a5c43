"""Every reading has a history, as a request does: submitted (by the customer, by a clerk at
the desk, from the outbox), corrected with the index before and after, withdrawn, taken
into billing (by a clerk or the billing system), or recorded by the utility itself; each
step with who and when, the same over every backend and store."""

from __future__ import annotations

from datetime import date

import pytest

from ibok_tui.backends.base import NotFound
from ibok_tui.domain.contract_end import POLAND
from ibok_tui.domain.models import (
    CUSTOMER_AUTHOR,
    SYSTEM_AUTHOR,
    ReadingEventKind,
    ReadingStatus,
    ReadingSubmission,
    ReadingType,
)
from tests.conformance.conftest import Portal
from tests.conformance.test_readings import ANNA_MAIN, JAN_METER
from tests.support.accounts import customer, operator


def _steps(history: tuple) -> list[tuple[str, str, int | None, int | None, str]]:
    return [(e.kind.value, e.author, e.index, e.previous_index, e.via) for e in history]


async def test_submitted_corrected_and_withdrawn_by_the_customer(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    sent = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"))
    assert _steps(sent.history) == [("submitted", CUSTOMER_AUTHOR, 1019500, None, "")]
    edited = await jan.edit_reading(sent.id, ReadingSubmission(JAN_METER, "1020,25"))
    withdrawn = await jan.withdraw_reading(sent.id)
    assert _steps(withdrawn.history) == [
        ("submitted", CUSTOMER_AUTHOR, 1019500, None, ""),
        ("edited", CUSTOMER_AUTHOR, 1020250, 1019500, ""),
        ("withdrawn", CUSTOMER_AUTHOR, 1020250, None, ""),
    ]
    assert edited.history == withdrawn.history[:2]
    steps = withdrawn.history
    assert all(e.at.tzinfo is not None for e in steps)
    assert [e.at for e in steps] == sorted(e.at for e in steps)
    # the list carries the same history, reading by reading
    listed = next(r for r in await jan.readings(JAN_METER) if r.id == sent.id)
    assert listed == withdrawn and listed.status is ReadingStatus.WITHDRAWN


async def test_a_clerk_at_the_desk_and_the_import_are_named(portal: Portal) -> None:
    office = await operator(portal)
    desk = await office.act_for("100001")
    sent = await desk.submit_reading(ReadingSubmission(JAN_METER, "1019,5"))
    assert _steps(sent.history) == [("submitted", "BOK: bok.anna", 1019500, None, "")]
    assert await office.import_readings([sent.id]) == 1
    jan = await customer(portal, "100001")
    taken = next(r for r in await jan.readings(JAN_METER) if r.id == sent.id)
    assert _steps(taken.history) == [
        ("submitted", "BOK: bok.anna", 1019500, None, ""),
        ("accepted", "BOK: bok.anna", 1019500, None, ""),
    ]
    # taken twice is one step: the second import found nothing pending
    assert await office.import_readings([sent.id]) == 0
    assert (await jan.readings(JAN_METER))[-1].history == taken.history


async def test_a_reading_the_outbox_sent_later_says_so(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    sent = await jan.submit_reading(
        ReadingSubmission(JAN_METER, "1019,5"), idempotency_key="o-1", from_outbox=True
    )
    assert _steps(sent.history) == [("submitted", CUSTOMER_AUTHOR, 1019500, None, "outbox")]
    # the outbox's retry of the same key is the same reading, with one step
    again = await jan.submit_reading(
        ReadingSubmission(JAN_METER, "1019,5"), idempotency_key="o-1", from_outbox=True
    )
    assert again == sent


async def test_readings_stored_before_have_their_first_step(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    readings = await jan.readings(JAN_METER)
    assert readings and all(len(r.history) == 1 for r in readings)
    for reading in readings:
        [step] = reading.history
        assert step.index == reading.index
        if reading.type is ReadingType.SELF:
            assert (step.kind, step.author) == (ReadingEventKind.SUBMITTED, CUSTOMER_AUTHOR)
        else:
            assert (step.kind, step.author) == (ReadingEventKind.RECORDED, SYSTEM_AUTHOR)
            # only its day is known: that day in the utility's time, not a midnight in UTC
            assert step.day_only
            assert step.at.astimezone(POLAND).date() == reading.read_on
    anna = await customer(portal, "100002")
    [waiting] = [r for r in await anna.readings(ANNA_MAIN) if r.status is ReadingStatus.PENDING]
    assert waiting.read_on == date(2026, 11, 19)
    assert [(e.kind, e.author) for e in waiting.history] == [
        (ReadingEventKind.SUBMITTED, CUSTOMER_AUTHOR)
    ]
    assert waiting.history[0].at == waiting.submitted_at
    assert not waiting.history[0].day_only


async def test_no_customer_reads_another_ones_history(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    anna = await customer(portal, "100002")
    [waiting] = [r for r in await anna.readings(ANNA_MAIN) if r.status is ReadingStatus.PENDING]
    with pytest.raises(NotFound):
        await jan.readings(ANNA_MAIN)
    with pytest.raises(NotFound):
        await jan.edit_reading(waiting.id, ReadingSubmission(ANNA_MAIN, "921,0"))
    with pytest.raises(NotFound):
        await jan.withdraw_reading(waiting.id)
    assert next(r for r in await anna.readings(ANNA_MAIN) if r.id == waiting.id) == waiting
