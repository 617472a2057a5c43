"""Writes over PostgreSQL are not serialised by one lock of the whole store: two customers'
write transactions run side by side, and the few read-then-write steps that need it hold
a lock of their own key only (`Store.lock`): a subject's failure counters, the year's
request numbers. Each race below holds both writers between their read and their write
(a barrier that gives up after a moment, so a writer held back by the key's lock goes on
alone): without the key's lock both would read the same value and write one result."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ibok_tui.domain.errors import LoginFailed
from ibok_tui.domain.models import RequestCategory, RequestDraft
from ibok_tui.portal.auth import AuthService
from ibok_tui.portal.requests import RequestsService
from ibok_tui.portal.service import PortalService, open_portal
from tests.support.clock import FakeClock
from tests.support.portal import at_once, copy_portal, drop_db

JAN, JAN_PASSWORD = "100001", "Woda!Kowalski1"
EWA, EWA_PASSWORD = "100002", "Woda!Nowak2026"
MEET = 1.5  # seconds a writer waits at the barrier for the other one


def _held_after(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> None:
    """Each thread's first call of `owner.name` waits, once it has read, for the other
    thread's (MEET seconds at most)."""
    barrier = threading.Barrier(2, timeout=MEET)
    original = getattr(owner, name)
    first_call = threading.local()

    def held(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        if not getattr(first_call, "done", False):
            first_call.done = True
            # broken: the other one waits for our key, and reads after our write
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return found

    monkeypatch.setattr(owner, name, held)


def test_two_wrong_passwords_at_once_count_two_failures(
    portal: PortalService, other: PortalService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the counters are read, held there, then written
    _held_after(monkeypatch, AuthService, "_counters")
    results = at_once(
        lambda: portal.login(JAN, "Zle!Haslo123", client="203.0.113.7"),
        lambda: other.login(JAN, "Zle!Haslo456", client="203.0.113.8"),
    )
    assert all(isinstance(r, LoginFailed) for r in results), results
    failures = portal.store.scalar(
        "SELECT failures FROM login_failures WHERE subject = ?", (f"customer:{JAN}",)
    )
    assert failures == 2  # not 1: neither guess slipped through uncounted


def test_two_requests_at_once_take_two_numbers(
    portal: PortalService, other: PortalService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _held_after(monkeypatch, RequestsService, "_next_request_number")
    jan, ewa = portal.login(JAN, JAN_PASSWORD).token, other.login(EWA, EWA_PASSWORD).token
    draft = RequestDraft(RequestCategory.OTHER, "Pismo", "Treść pisma.")
    results = at_once(
        lambda: portal.create_request(jan, draft),
        lambda: other.create_request(ewa, draft),
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert results[0].number != results[1].number


@pytest.fixture
def pg_portal(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[PortalService]:
    service = copy_portal(template_db, tmp_path, clock, "postgresql")
    yield service
    service.store.close()
    drop_db(service.store.url)  # type: ignore[attr-defined]


def test_one_customers_open_write_does_not_hold_up_another_customers_sign_in(
    pg_portal: PortalService, tmp_path: Path, clock: FakeClock
) -> None:
    """A transaction over Jan's data stays open; Ewa signs in meanwhile through another
    process (her failure counters, her session: nothing of Jan's). One store-wide write
    lock made her wait for Jan's commit."""
    url = pg_portal.store.url  # type: ignore[attr-defined]
    other = open_portal(url, outbox=tmp_path / "outbox-2", clock=clock)
    opened, release = threading.Event(), threading.Event()

    def jan_writes() -> None:
        with pg_portal.store.transaction():
            pg_portal.store.execute(
                "UPDATE customers SET phone = ? WHERE number = ?", ("+48 600 000 001", JAN)
            )
            opened.set()
            release.wait(30)

    writer = threading.Thread(target=jan_writes)
    writer.start()
    try:
        assert opened.wait(10)
        found: list[Any] = []
        signing_in = threading.Thread(target=lambda: found.append(other.login(EWA, EWA_PASSWORD)))
        signing_in.start()
        signing_in.join(10)  # Jan's transaction is still open all this while
        assert found, "Ewa's sign-in waited for Jan's transaction"
    finally:
        release.set()
        writer.join(30)
        other.store.close()
    assert found[0].subject == EWA
