"""The customer's requests (zgłoszenia): creating them, their deadlines and history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ibok_tui.backends.base import Conflict, NotFound, ValidationFailed
from ibok_tui.domain.models import CUSTOMER_AUTHOR, RequestCategory, RequestDraft, RequestStatus
from tests.conformance.conftest import Portal
from tests.support.accounts import customer, operator

TODAY = date(2026, 11, 21)
DAYS = {
    RequestCategory.FAILURE: 1,
    RequestCategory.WATER_QUALITY: 7,
    RequestCategory.PARTY_DATA_CHANGE: 14,
    RequestCategory.COMPLAINT: 14,
    RequestCategory.GARDEN_METER_INSTALL: 30,
    RequestCategory.GARDEN_METER_REPLACE: 30,
    RequestCategory.GARDEN_METER_REMOVE: 30,
    RequestCategory.OTHER: 30,
}
ANNA_GARDEN = "M-OG-2104-00518"


async def test_a_request_in_every_category(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    # her garden meter's replacement in progress closed first: one open a kind and meter
    clerk = await operator(portal)
    for open_one in await anna.requests():
        if open_one.category is RequestCategory.GARDEN_METER_REPLACE:
            await clerk.reply_request(open_one.id, "Wymieniono.", RequestStatus.CLOSED)
    before = await anna.requests()
    created = []
    for category in RequestCategory:
        meter = ANNA_GARDEN if category.value.startswith("garden_meter") else None
        request = await anna.create_request(
            RequestDraft(category, f"Sprawa: {category.value}", "Proszę o kontakt.", meter)
        )
        assert request.category is category
        assert request.customer_number == "100002"
        assert request.status is RequestStatus.NEW
        assert request.due_date == TODAY + timedelta(days=DAYS[category]), category
        assert request.meter_id == meter
        assert request.subject == f"Sprawa: {category.value}"
        assert [(e.status, e.author) for e in request.history] == [
            (RequestStatus.NEW, CUSTOMER_AUTHOR)
        ]
        created.append(request)
    complaint = next(r for r in created if r.category is RequestCategory.COMPLAINT)
    assert complaint.due_date == date(2026, 12, 5)
    numbers = [r.number for r in created]
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("ZG/2026/") for n in numbers)

    listed = await anna.requests()
    assert len(listed) == len(before) + len(created)
    assert {r.id for r in created} <= {r.id for r in listed}
    stamps = [r.created_at for r in listed]
    assert stamps == sorted(stamps, reverse=True)
    detail = await anna.request(complaint.id)
    assert detail == complaint


async def test_request_detail_with_history(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    [request] = await jan.requests()
    assert request.number == "ZG/2026/000004"
    detail = await jan.request(request.id)
    assert detail.status is RequestStatus.CLOSED
    assert [e.status for e in detail.history] == [
        RequestStatus.NEW,
        RequestStatus.IN_PROGRESS,
        RequestStatus.CLOSED,
    ]
    assert detail.history[0].author == CUSTOMER_AUTHOR
    assert detail.history[0].text == ""  # its status says it: the portal writes no sentence
    assert detail.history[1].author == "Anna Kowalczyk"
    assert all(e.text for e in detail.history[1:])
    with pytest.raises(NotFound):
        await jan.request("Z-no-such")


async def test_bad_requests_name_the_fields_and_store_nothing(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    before = await anna.requests()
    cases = [
        (RequestDraft(RequestCategory.OTHER, " ", ""), {"subject", "body"}),
        (RequestDraft(RequestCategory.OTHER, "x" * 201, "ok"), {"subject"}),
        (RequestDraft(RequestCategory.OTHER, "ok", "x" * 5001), {"body"}),
        (RequestDraft(RequestCategory.GARDEN_METER_REMOVE, "Zdjęcie", "Proszę."), {"meter_id"}),
        # someone else's meter is no meter of hers
        (
            RequestDraft(RequestCategory.FAILURE, "Wyciek", "Cieknie.", "M-WK-2209-11873"),
            {"meter_id"},
        ),
    ]
    for draft, fields in cases:
        with pytest.raises(ValidationFailed) as bad:
            await anna.create_request(draft, idempotency_key="same-key")
        assert bad.value.fields == fields, draft
    assert await anna.requests() == before
    # the key was not used up by the refusals
    good = await anna.create_request(
        RequestDraft(RequestCategory.OTHER, "Pytanie", "Treść."), idempotency_key="same-key"
    )
    assert len(await anna.requests()) == len(before) + 1
    assert good.subject == "Pytanie"


async def test_idempotency_key_creates_one_request(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    draft = RequestDraft(RequestCategory.COMPLAINT, "Reklamacja faktury", "Za wysoka kwota.")
    first = await jan.create_request(draft, idempotency_key="req-1")
    again = await jan.create_request(draft, idempotency_key="req-1")
    assert again == first
    other = await jan.create_request(draft, idempotency_key="req-2")
    assert other.id != first.id
    assert len([r for r in await jan.requests() if r.subject == draft.subject]) == 2
    # a key is the customer's own: Anna's same key is a request of hers
    anna = await customer(portal, "100002")
    hers = await anna.create_request(draft, idempotency_key="req-1")
    assert hers.id != first.id and hers.customer_number == "100002"


async def test_a_second_open_request_for_the_same_meter_and_kind_is_refused(
    portal: Portal,
) -> None:
    anna = await customer(portal, "100002")
    before = await anna.requests()
    [open_one] = [r for r in before if r.category is RequestCategory.GARDEN_METER_REPLACE]
    assert open_one.status is RequestStatus.IN_PROGRESS and open_one.meter_id == ANNA_GARDEN
    replace = RequestDraft(
        RequestCategory.GARDEN_METER_REPLACE, "Wymiana", "Przecieka.", ANNA_GARDEN
    )
    with pytest.raises(Conflict) as refused:
        await anna.create_request(replace, idempotency_key="second")
    assert refused.value.code == "request_already_open"
    assert refused.value.params == {"number": open_one.number}
    assert await anna.requests() == before
    # another kind for the meter is another matter
    removal = RequestDraft(RequestCategory.GARDEN_METER_REMOVE, "Demontaż", "Proszę.", ANNA_GARDEN)
    await anna.create_request(removal)
    # once the office closes the first, a new replacement may be asked for (the same key:
    # the refusal did not use it up)
    clerk = await operator(portal)
    await clerk.reply_request(open_one.id, "Wymieniono.", RequestStatus.CLOSED)
    again = await anna.create_request(replace, idempotency_key="second")
    assert again.id != open_one.id and again.status is RequestStatus.NEW
