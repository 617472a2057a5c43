"""The idempotency record in the store (portal/replays.py), on a clock the test moves: a
key is claimed once, its answer kept for the retries, a dead claim taken over, a result
recorded in the write's own transaction, and old rows swept by their index."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ibok_tui.domain.models import NoticeDraft, NoticeKind
from ibok_tui.portal.replays import TTL, Answer, Claim, KeyInProgress, Replays, claimed
from ibok_tui.portal.store import Store
from ibok_tui.portal.stores import open_store
from tests.support.accounts import OPERATORS
from tests.support.clock import FakeClock
from tests.support.portal import copy_portal

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def now() -> list[datetime]:
    return [START]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "ibok.sqlite")


def replays_of(store: Store, now: list[datetime]) -> Replays:
    replays = Replays(store, clock=lambda: now[0])
    replays.lease = timedelta(seconds=5)
    return replays


def test_a_key_is_claimed_once_and_its_answer_replayed_by_another_process(
    store: Store, now: list[datetime], tmp_path: Path
) -> None:
    one = replays_of(store, now)
    other = replays_of(open_store(tmp_path / "ibok.sqlite"), now)  # another process's store
    assert one.claim("customer:100001:", "k1", "body-a").owned
    assert other.claim("customer:100001:", "k1", "body-a").busy  # still running on `one`
    answer = Answer(201, [("content-type", "application/json")], b'{"id": "Z-1"}')
    one.answer("customer:100001:", "k1", answer)
    assert other.claim("customer:100001:", "k1", "body-a").answer == answer
    assert other.claim("customer:100001:", "k1", "body-b").reused
    # keys are the caller's: another customer's same key is another request
    assert other.claim("customer:100002:", "k1", "body-a").owned


def test_a_claim_whose_process_died_is_taken_over_and_the_result_answers(
    store: Store, now: list[datetime]
) -> None:
    replays = replays_of(store, now)
    assert replays.claim("s", "k", "f").owned
    with claimed(Claim("s", "k")), store.transaction():
        replays.remember("s:request", "k", "Z-1")  # the write committed, then the crash
    assert replays.claim("s", "k", "f").busy
    now[0] += timedelta(seconds=6)  # the lease is over
    assert replays.claim("s", "k", "f").owned
    with claimed(Claim("s", "k")):
        assert replays.replayed("s:request", "k") == "Z-1"  # the retry writes nothing


def test_a_second_write_under_one_claim_is_refused_inside_its_transaction(
    store: Store, now: list[datetime]
) -> None:
    replays = replays_of(store, now)
    replays.claim("s", "k", "f")
    store.execute("CREATE TABLE written (id TEXT)")
    with claimed(Claim("s", "k")):
        with store.transaction():
            store.execute("INSERT INTO written VALUES ('first')")
            replays.remember("s:request", "k", "first")
        with pytest.raises(KeyInProgress), store.transaction():
            store.execute("INSERT INTO written VALUES ('second')")
            replays.remember("s:request", "k", "second")
    assert [r["id"] for r in store.all("SELECT id FROM written")] == ["first"]


def test_a_failed_request_is_released_for_its_retry(store: Store, now: list[datetime]) -> None:
    replays = replays_of(store, now)
    mine = replays.claim("s", "k", "f")
    assert mine.owned
    replays.release(Claim("s", "k", mine.until))
    assert replays.claim("s", "k", "another body").owned  # nothing was made: a new request
    # a request that failed after its write committed: the retry answers from the result
    written = replays.claim("s", "w", "f")
    with claimed(Claim("s", "w", written.until)), store.transaction():
        replays.remember("s:request", "w", "Z-9")
    replays.release(Claim("s", "w", written.until))
    assert replays.claim("s", "w", "f").owned  # at once, no lease to wait out
    with claimed(Claim("s", "w")):
        assert replays.replayed("s:request", "w") == "Z-9"
    # a claim taken over by another request is not released by the one it replaced
    old = replays.claim("s", "t", "f")
    now[0] += timedelta(seconds=6)
    assert replays.claim("s", "t", "f").owned
    replays.release(Claim("s", "t", old.until))
    assert replays.claim("s", "t", "f").busy


def test_rows_expire_after_a_day_and_are_swept_by_their_index(
    store: Store, now: list[datetime]
) -> None:
    replays = replays_of(store, now)
    replays.claim("s", "old", "f")
    replays.answer("s", "old", Answer(201, [], b"{}"))
    replays.remember("100001:reading", "demo-key", "R-1")  # the demo's own record
    now[0] += TTL - timedelta(minutes=1)
    replays.claim("s", "new", "f")
    assert replays.sweep() == 0
    now[0] += timedelta(minutes=2)
    assert replays.claim("s", "old", "other body").owned  # expired: a new request
    assert replays.sweep() == 1  # the demo's row; the others are younger
    assert store.scalar("SELECT count(*) FROM idempotency") == 2
    plan = store.all("EXPLAIN QUERY PLAN DELETE FROM idempotency WHERE expires_at < ?", ("x",))
    assert any("idempotency_expiry" in row["detail"] for row in plan)


def test_a_notice_is_recorded_under_the_claim_so_a_retry_never_publishes_twice(
    template_db: Path, tmp_path: Path
) -> None:
    service = copy_portal(template_db, tmp_path, FakeClock())
    staff = service.operator_login("bok.anna", OPERATORS["bok.anna"]).token
    mine = service.core.replays.claim("operator:bok.anna:", "k", "f")
    draft = NoticeDraft(NoticeKind.INFO, "Raz tylko", "Treść.", date(2026, 11, 21))
    with claimed(Claim("operator:bok.anna:", "k", mine.until)):
        first = service.publish_notice(staff, draft)
        again = service.publish_notice(staff, draft)  # the route run again after a crash
    assert again == first
    assert service.store.scalar("SELECT count(*) FROM notices WHERE title = 'Raz tylko'") == 1
    # without a claim (the demo, a request without a key) each call publishes
    assert service.publish_notice(staff, draft).id != first.id
