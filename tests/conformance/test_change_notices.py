"""The change notice (backends/changes.py): after each write the backend says what kind of
record it changed, on both backends, through the offline view and the outbox, and a
backend made for the clerk's desk (`act_for`) shares its operator's feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibok_tui.backends.base import Backend, ValidationFailed
from ibok_tui.backends.changes import CHANGES
from ibok_tui.backends.offline import OfflineBackend
from ibok_tui.backends.outbox import Outbox, send_outbox
from ibok_tui.domain.changes import Change
from ibok_tui.domain.models import (
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
    RequestStatus,
)
from tests.conformance.conftest import Portal
from tests.support.accounts import customer, operator

JAN_METER = "M-WK-2209-11873"
REQUEST = RequestDraft(RequestCategory.OTHER, "Duplikat", "Proszę o duplikat faktury.")


def heard(backend: Backend) -> list[frozenset[Change]]:
    notices: list[frozenset[Change]] = []
    backend.changes.listen(notices.append)
    return notices


async def test_a_write_announces_its_kind_and_a_read_nothing(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    notices = heard(jan)
    await jan.readings(JAN_METER)
    await jan.requests()
    assert notices == []
    reading = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"))
    assert notices == [frozenset({Change.READINGS})]
    await jan.withdraw_reading(reading.id)
    await jan.create_request(REQUEST)
    assert notices[1:] == [frozenset({Change.READINGS}), frozenset({Change.REQUESTS})]


async def test_a_refused_write_announces_nothing(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    notices = heard(jan)
    with pytest.raises(ValidationFailed):
        await jan.submit_reading(ReadingSubmission(JAN_METER, "-5"))
    assert notices == []


async def test_the_clerks_desk_shares_the_operators_feed(portal: Portal) -> None:
    clerk = await operator(portal)
    notices = heard(clerk)
    acting = await clerk.act_for("100002")
    assert acting.changes is clerk.changes
    created = await acting.create_request(REQUEST)
    await clerk.reply_request(created.id, "Wysłano duplikat.", RequestStatus.CLOSED)
    assert notices == [frozenset({Change.REQUESTS})] * 2


async def test_the_outbox_and_the_offline_view_announce_what_arrived(
    portal: Portal, tmp_path: Path
) -> None:
    jan = OfflineBackend(await customer(portal, "100001"))
    assert jan.changes is jan.inner.changes
    notices = heard(jan)
    box = Outbox.for_backend(jan, kiosk=False, root=tmp_path / "data")
    box.add(ReadingSubmission(JAN_METER, "1019,5"))
    box.add(REQUEST)
    report = await send_outbox(jan, box)
    assert len(report.sent) == 2
    assert notices == [frozenset({Change.READINGS}), frozenset({Change.REQUESTS})]


def test_every_write_in_the_table_is_a_backend_operation() -> None:
    assert set(CHANGES) <= {name for name in dir(Backend) if not name.startswith("_")}
