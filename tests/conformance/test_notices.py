"""The notices' ledger over every backend (issue #16.4): a customer reads the notices sent
to them (and no one else's), the clerk reads one customer's ledger; nobody else does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from ibok_tui.backends.base import Forbidden, ValidationFailed
from ibok_tui.domain.models import NoticeChannel, NoticeState, NoticeTopic
from ibok_tui.portal.service import open_portal
from tests.conformance.conftest import Portal
from tests.support.accounts import customer, operator
from tests.support.clock import FakeClock
from tests.support.notices import ANNA, JAN, NOTICE_NOW, PIOTR, make_everything_due


def send_what_is_due(portal: Portal, clock: FakeClock, folder: Path) -> None:
    """One run of the schedule over the store the backend serves (as `ibok notify` would)."""
    assert portal.db is not None
    runner = open_portal(portal.db, outbox=folder / "sent", clock=clock)
    try:
        make_everything_due(runner.store)
        assert runner.notifier.run(timedelta(minutes=5)) is not None
    finally:
        runner.store.close()


async def test_a_customer_reads_the_notices_sent_to_them(
    portal: Portal, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = NOTICE_NOW
    jan = await customer(portal, JAN)
    assert await jan.sent_notices() == []
    send_what_is_due(portal, clock, tmp_path)
    sent = await jan.sent_notices()
    assert {n.topic for n in sent} == set(NoticeTopic)
    assert {n.channel for n in sent} == {NoticeChannel.EMAIL}  # no SMS gateway here
    assert all(n.state is NoticeState.SENT and n.sent_at == NOTICE_NOW for n in sent)
    assert [n.created_at for n in sent] == sorted((n.created_at for n in sent), reverse=True)
    assert {n.address for n in sent} == {"jan.kowalski@example.pl"}
    assert await (await customer(portal, ANNA)).sent_notices() == []
    piotr = await (await customer(portal, PIOTR)).sent_notices()
    assert piotr and all(n.address == "piotr.wisniewski@example.pl" for n in piotr)


async def test_the_clerk_reads_a_customers_ledger_and_a_customer_cannot(
    portal: Portal, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = NOTICE_NOW
    send_what_is_due(portal, clock, tmp_path)
    office = await operator(portal)
    jan = await customer(portal, JAN)
    assert await office.customer_notices(JAN) == await jan.sent_notices()
    assert await office.customer_notices(ANNA) == []
    assert await office.customer_notices("999999") == []
    with pytest.raises(Forbidden):
        await jan.customer_notices(ANNA)


@pytest.mark.parametrize("number", ["1" * 65, "100001\x00", "100001\u202e"])
async def test_a_hostile_customer_number_is_refused(portal: Portal, number: str) -> None:
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as refused:
        await office.customer_notices(number)
    assert refused.value.errors[0].field == "customer_number"
