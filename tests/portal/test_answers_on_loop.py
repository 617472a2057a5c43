"""The stored answers read on the event loop (`PortalService.stored_answer_on_loop`): over
PostgreSQL one statement awaited on a few connections of the loop's own
(pgstore.LoopReads), the same statement and the same checks as the thread's way; what it
cannot decide there it leaves to that way (None). A write or a logout through another
portal over the same database (another server process) is seen by the very next read."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from ibok_tui.domain.errors import AuthenticationRequired, Forbidden, SessionExpired
from ibok_tui.domain.models import ContactUpdate
from ibok_tui.portal.pgstore import LOOP_CONNECTIONS, PostgresStore
from ibok_tui.portal.service import (
    DASHBOARD_ANSWER,
    INVOICES_ANSWER,
    PortalService,
    settlements_answer_name,
)
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.clock import FakeClock
from tests.support.portal import copy_portal

JAN, ANNA = "100001", "100002"
OPERATOR = "bok.anna"


def on_loop(portal: PortalService, token: str, name: str = DASHBOARD_ANSWER) -> object:
    return asyncio.run(portal.stored_answer_on_loop(token, name))


@pytest.fixture(params=["postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    """The loop's reads are PostgreSQL's: this module's portal is over PostgreSQL only."""
    return str(request.param)


@pytest.fixture
def pg(portal: PortalService) -> PortalService:
    return portal


def test_sqlite_leaves_every_answer_to_the_threads_way(
    template_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    portal = copy_portal(template_db, tmp_path, clock, "sqlite")
    try:
        token = portal.login(JAN, PASSWORDS[JAN]).token
        assert portal.dashboard_answer(token).body  # stored
        assert portal.store.reads_on_loop is False
        assert on_loop(portal, token) is None
    finally:
        portal.store.close()


def test_a_stored_answer_is_read_on_the_loop_as_on_a_thread(pg: PortalService) -> None:
    token = pg.login(JAN, PASSWORDS[JAN]).token
    answers = {
        DASHBOARD_ANSWER: pg.dashboard_answer,
        INVOICES_ANSWER: pg.invoices_answer,
        settlements_answer_name(): pg.settlements_answer,
    }
    for name, answer in answers.items():
        assert on_loop(pg, token, name) is None  # not computed yet: the thread's way
        stored = answer(token)
        assert on_loop(pg, token, name) == stored


def test_each_customer_reads_only_their_own_answer(pg: PortalService) -> None:
    jan = pg.login(JAN, PASSWORDS[JAN]).token
    anna = pg.login(ANNA, PASSWORDS[ANNA]).token
    stored = {jan: pg.dashboard_answer(jan), anna: pg.dashboard_answer(anna)}
    assert stored[jan].body != stored[anna].body
    for token, answer in stored.items():
        assert on_loop(pg, token) == answer


def test_a_write_through_another_process_is_seen_at_once(
    pg: PortalService, other: PortalService
) -> None:
    token = pg.login(JAN, PASSWORDS[JAN]).token
    before = pg.dashboard_answer(token)
    assert on_loop(pg, token) == before
    other.update_contact(token, ContactUpdate(phone="+48 600 100 200"))
    assert on_loop(pg, token) is None  # the stored one is old: computed again
    after = pg.dashboard_answer(token)
    assert on_loop(pg, token) == after


def test_a_logout_through_another_process_is_refused_at_once(
    pg: PortalService, other: PortalService
) -> None:
    token = pg.login(JAN, PASSWORDS[JAN]).token
    pg.dashboard_answer(token)
    assert on_loop(pg, token) is not None
    other.logout(token)
    with pytest.raises(AuthenticationRequired):
        on_loop(pg, token)
    with pytest.raises(AuthenticationRequired):
        on_loop(pg, "no-such-token")


def test_an_operator_is_refused_as_on_the_threads_way(pg: PortalService) -> None:
    token = pg.operator_login(OPERATOR, OPERATORS[OPERATOR]).token
    with pytest.raises(Forbidden):
        on_loop(pg, token)
    with pytest.raises(Forbidden):
        pg.dashboard_answer(token)


def test_an_ended_session_is_left_to_the_threads_way_which_ends_it(
    pg: PortalService, clock: FakeClock
) -> None:
    session = pg.login(JAN, PASSWORDS[JAN])
    token, today = session.token, pg.core.today()
    pg.dashboard_answer(token)
    clock.advance(session.expires_at - clock() + timedelta(minutes=1))
    assert pg.core.today() == today  # the stored answer is still the day's
    assert on_loop(pg, token) is None  # ending it is a write: not on the loop
    with pytest.raises(SessionExpired):
        pg.dashboard_answer(token)
    with pytest.raises(AuthenticationRequired):  # ended, everywhere
        on_loop(pg, token)


def test_an_act_for_session_is_left_to_the_threads_way(pg: PortalService) -> None:
    operator = pg.operator_login(OPERATOR, OPERATORS[OPERATOR]).token
    acting = pg.act_for(operator, JAN).token
    stored = pg.dashboard_answer(acting)
    assert on_loop(pg, acting) is None  # its end is the operator's session's
    assert stored.body
    pg.logout(operator)  # ends the sessions it opened
    with pytest.raises(AuthenticationRequired):
        on_loop(pg, acting)


def _backends(store: PostgresStore) -> int:
    return int(
        store.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend'"
        )
    )


def test_many_reads_at_once_share_a_few_connections(pg: PortalService) -> None:
    store = pg.store
    assert isinstance(store, PostgresStore)
    before = _backends(store)

    async def many() -> list[object]:
        reads = [store.one_on_loop("SELECT ?::int AS n, pg_sleep(0.01)", (n,)) for n in range(20)]
        found = await asyncio.gather(*reads)
        assert store._loop_reads is not None
        assert store._loop_reads.opened == LOOP_CONNECTIONS
        return [row["n"] for row in found if row is not None]

    assert asyncio.run(many()) == list(range(20))
    # the loop is gone: its connections with it, none left open
    assert asyncio.run(store.one_on_loop("SELECT 1")) is not None
    assert _backends(store) <= before + LOOP_CONNECTIONS


def test_a_failed_or_cancelled_read_gives_its_connection_up(pg: PortalService) -> None:
    store = pg.store
    assert isinstance(store, PostgresStore)

    async def failing() -> None:
        with pytest.raises(Exception, match="no_such_table"):
            await store.one_on_loop("SELECT * FROM no_such_table")
        slow = asyncio.ensure_future(store.one_on_loop("SELECT pg_sleep(2)"))
        waiting = [asyncio.ensure_future(store.one_on_loop("SELECT 2")) for _ in range(3)]
        await asyncio.sleep(0.2)
        slow.cancel()
        for task in waiting[:1]:
            task.cancel()
        found = await asyncio.wait_for(asyncio.gather(*waiting[1:]), 3)
        assert [row[0] for row in found if row is not None] == [2, 2]
        assert store._loop_reads is not None
        assert store._loop_reads.opened <= LOOP_CONNECTIONS
        row = await store.one_on_loop("SELECT 3")
        assert row is not None and row[0] == 3

    asyncio.run(failing())


def test_reads_in_turn_on_one_loop_each_answer_their_own_statement(pg: PortalService) -> None:
    """The loop's connections are used again read after read (and their cursors with them):
    each read answers its own statement, whoever asked before it, after a failed read too."""
    jan = pg.login(JAN, PASSWORDS[JAN]).token
    anna = pg.login(ANNA, PASSWORDS[ANNA]).token
    stored = {jan: pg.dashboard_answer(jan), anna: pg.dashboard_answer(anna)}
    store = pg.store
    assert isinstance(store, PostgresStore)

    async def in_turn() -> None:
        for round_ in range(3):
            for token, answer in stored.items():
                assert await pg.stored_answer_on_loop(token, DASHBOARD_ANSWER) == answer
            other = await store.one_on_loop("SELECT ? AS round_, 'x' AS other", (round_,))
            assert other is not None and other.keys() == ["round_", "other"]
            assert tuple(other) == (round_, "x")
            with pytest.raises(Exception, match="no_such_table"):
                await store.one_on_loop("SELECT * FROM no_such_table")
            with pytest.raises(AuthenticationRequired):
                await pg.stored_answer_on_loop("not-a-token", DASHBOARD_ANSWER)

    asyncio.run(in_turn())
