"""The outbox over both backends: every item arrives once, with its own key, whatever
arrived before; a refusal comes back as the error a direct submission gets and stays for
editing; one customer's items never go with another's session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibok_tui.backends.base import Backend, ValidationFailed
from ibok_tui.backends.outbox import Outbox, OutboxError, backend_scope, send_outbox
from ibok_tui.domain.models import (
    Address,
    ContactUpdate,
    ReadingStatus,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
)
from tests.conformance.conftest import Portal
from tests.support.accounts import customer, operator

JAN_METER = "M-WK-2209-11873"  # last reading 1 012,814 m³ on 31 October 2026
READING = ReadingSubmission(JAN_METER, "1019,5")
REQUEST = RequestDraft(RequestCategory.OTHER, "Duplikat", "Proszę o duplikat faktury.")


def _outbox(backend: Backend, tmp_path: Path) -> Outbox:
    return Outbox.for_backend(backend, kiosk=False, root=tmp_path / "data")


async def _pending(backend: Backend) -> list[str]:
    return [r.id for r in await backend.readings(JAN_METER) if r.status is ReadingStatus.PENDING]


async def _subjects(backend: Backend) -> list[str]:
    return [r.subject for r in await backend.requests()]


async def test_every_item_arrives_once(portal: Portal, tmp_path: Path) -> None:
    jan = await customer(portal, "100001")
    box = _outbox(jan, tmp_path)
    before = await _subjects(jan)
    contact = ContactUpdate(
        email="jan.nowy@example.pl",
        phone="+48 600 100 200",
        address=Address("Długa", "5", "80-001", "Gdańsk", "2"),
    )
    reading = box.add(READING)
    request = box.add(REQUEST)
    box.add(contact)
    report = await send_outbox(jan, box)
    assert [item.id for item, _answer in report.sent][:2] == [reading.id, request.id]
    assert len(report.sent) == 3 and report.refused == [] and report.waiting == []
    assert box.items() == []
    assert len(await _pending(jan)) == 1
    assert (await _subjects(jan)).count("Duplikat") == before.count("Duplikat") + 1
    assert (await jan.profile()).customer.email == "jan.nowy@example.pl"
    again = await send_outbox(jan, box)
    assert again.sent == [] and len(await _pending(jan)) == 1


async def test_an_item_whose_answer_was_lost_is_not_sent_twice(
    portal: Portal, tmp_path: Path
) -> None:
    """The server took the first try but its answer never came (the console was killed,
    the connection dropped): the outbox's try with the same key gets the stored answer."""
    jan = await customer(portal, "100001")
    box = _outbox(jan, tmp_path)
    reading = box.add(READING)
    request = box.add(REQUEST)
    first_reading = await jan.submit_reading(READING, idempotency_key=reading.key)
    first_request = await jan.create_request(REQUEST, idempotency_key=request.key)
    before = await _subjects(jan)
    # the next start: another client, a new session
    again = await customer(portal, "100001")
    report = await send_outbox(again, _outbox(again, tmp_path))
    assert [answer for _item, answer in report.sent] == [first_reading, first_request]
    assert await _pending(again) == [first_reading.id]
    assert await _subjects(again) == before


async def test_a_refusal_at_sending_time_is_the_forms_and_stays(
    portal: Portal, tmp_path: Path
) -> None:
    jan = await customer(portal, "100001")
    box = _outbox(jan, tmp_path)
    item = box.add(READING)
    # meanwhile, from another device, a higher reading is submitted and imported
    other = await customer(portal, "100001")
    higher = await other.submit_reading(ReadingSubmission(JAN_METER, "1030,0"))
    assert await (await operator(portal)).import_readings([higher.id]) == 1
    with pytest.raises(ValidationFailed) as direct:
        await jan.submit_reading(READING)
    report = await send_outbox(jan, box)
    assert report.sent == [] and len(report.refused) == 1
    refused_item, error = report.refused[0]
    assert refused_item.id == item.id
    assert type(error) is type(direct.value)
    assert [(f.field, f.code, f.params) for f in error.errors] == [
        (f.field, f.code, f.params) for f in direct.value.errors
    ]
    kept = box.get(item.id)
    assert kept is not None and kept.refusal is not None and kept.payload == READING
    assert type(kept.refusal.error()) is type(direct.value)
    assert kept.refusal.error().errors == direct.value.errors
    # a refused item waits for the customer, not for the next pass
    assert (await send_outbox(jan, box)).refused == []
    assert box.get(item.id) is not None


async def test_one_customers_items_never_go_with_anothers_session(
    portal: Portal, tmp_path: Path
) -> None:
    jan = await customer(portal, "100001")
    box = _outbox(jan, tmp_path)
    box.add(REQUEST)
    maria = await customer(portal, "100004")
    before = await _subjects(maria)
    with pytest.raises(OutboxError) as refused:
        await send_outbox(maria, box)
    assert refused.value.code == "outbox_wrong_scope"
    assert await _subjects(maria) == before
    assert len(box.items()) == 1
    # Maria's own outbox is another one, empty
    assert _outbox(maria, tmp_path).items() == []
    # a clerk acting for Jan has no outbox of Jan's
    desk = await (await operator(portal)).act_for("100001")
    assert backend_scope(desk) is None
    with pytest.raises(OutboxError):
        await send_outbox(desk, box)


async def test_a_withdrawn_item_is_not_sent(portal: Portal, tmp_path: Path) -> None:
    jan = await customer(portal, "100001")
    box = _outbox(jan, tmp_path)
    item = box.add(READING)
    kept = box.add(REQUEST)
    assert box.withdraw(item.id) is not None
    report = await send_outbox(jan, box)
    assert [i.id for i, _a in report.sent] == [kept.id]
    assert await _pending(jan) == []


async def test_a_password_to_change_stops_the_pass_not_the_item(
    portal: Portal, tmp_path: Path
) -> None:
    """Krzysztof must change the generated password first: his items wait, none refused."""
    krzysztof = await customer(portal, "100007")
    box = _outbox(krzysztof, tmp_path)
    item = box.add(REQUEST)
    report = await send_outbox(krzysztof, box)
    assert report.refused == [] and [i.id for i in report.waiting] == [item.id]
    assert report.stopped is not None and report.stopped.code == "password_change_required"
    assert box.get(item.id) is not None and box.waiting() != []
