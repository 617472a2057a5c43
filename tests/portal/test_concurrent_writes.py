"""Two server processes over one store submit at the same moment: the database, not a lock
in one process, keeps one reading per meter and period and one answer per idempotency key.
Both submissions pass the portal's checks before either is written (a barrier holds them
there), so only the database's constraints can tell them apart."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from ibok_tui.domain.errors import ValidationFailed
from ibok_tui.domain.models import ReadingSubmission
from ibok_tui.portal.metering import MeteringService
from ibok_tui.portal.service import PortalService
from tests.support.portal import at_once

JAN, PASSWORD = "100001", "Woda!Kowalski1"
JAN_METER = "M-WK-2209-11873"  # last reading 1 012,814 m³ on 31 October 2026


@pytest.fixture
def both_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each submission after its checks until the other has passed them too."""
    barrier = threading.Barrier(2, timeout=30)
    checked = MeteringService._checked
    first_call = threading.local()

    def held(self: MeteringService, *args: Any, **kwargs: Any) -> Any:
        verdict = checked(self, *args, **kwargs)
        if not getattr(first_call, "done", False):
            first_call.done = True
            barrier.wait()
        return verdict

    monkeypatch.setattr(MeteringService, "_checked", held)


def _both_submit(
    portal: PortalService, other: PortalService, values: tuple[str, str], key: str | None = None
) -> list[Any]:
    """Jan submits from each portal at once (values[0] through the first); the results."""
    a, b = portal.login(JAN, PASSWORD).token, other.login(JAN, PASSWORD).token
    return at_once(
        lambda: portal.submit_reading(
            a, ReadingSubmission(JAN_METER, values[0]), idempotency_key=key
        ),
        lambda: other.submit_reading(
            b, ReadingSubmission(JAN_METER, values[1]), idempotency_key=key
        ),
    )


def _stored(portal: PortalService) -> int:
    return int(
        portal.store.scalar(
            "SELECT count(*) FROM readings WHERE meter_id = ? AND type = 'self'", (JAN_METER,)
        )
    )


@pytest.mark.usefixtures("both_checked")
def test_two_readings_of_one_period_at_once_store_one(
    portal: PortalService, other: PortalService
) -> None:
    before = _stored(portal)
    results = _both_submit(portal, other, ("1019,5", "1019,6"))
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], ValidationFailed), refused
    assert refused[0].fields == {"value"}  # same_period, as when they come one by one
    assert _stored(portal) == before + 1


@pytest.mark.usefixtures("both_checked")
def test_one_key_sent_to_two_servers_at_once_stores_one_and_answers_both(
    portal: PortalService, other: PortalService
) -> None:
    before = _stored(portal)
    results = _both_submit(portal, other, ("1019,5", "1019,5"), key="same-key")
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert results[0].id == results[1].id
    assert _stored(portal) == before + 1
