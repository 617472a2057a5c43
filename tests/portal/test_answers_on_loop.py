"""The stored answers read on the event loop (`PortalService.stored_answer_on_loop`), on
both stores: over PostgreSQL one statement awaited on the loop's own connection
(pgloop.LoopReads; reads asked at once go as one statement), over SQLite on the loop's
thread on a connection that never waits; the same statement and the same checks as the
thread's way; what it cannot decide there it leaves to that way (None). A write or a
logout through another portal over the same database (another server process) is seen by
the very next read."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
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
from ibok_tui.portal.store import SqliteStore
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.clock import FakeClock
from tests.support.portal import copy_portal, drop_db

JAN, ANNA = "100001", "100002"
OPERATOR = "bok.anna"


def on_loop(portal: PortalService, token: str, name: str = DASHBOARD_ANSWER) -> object:
    return asyncio.run(portal.stored_answer_on_loop(token, name))


@pytest.fixture
def pg(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[PortalService]:
    """A portal over PostgreSQL: the loop's own connection and its groups are its store's."""
    folder = tmp_path / "pg"
    folder.mkdir()
    service = copy_portal(template_db, folder, clock, "postgresql")
    yield service
    service.store.close()
    drop_db(service.store.url)  # type: ignore[attr-defined]


def test_sqlite_reads_on_the_loop_on_a_connection_that_never_waits(
    template_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    """Over SQLite the read runs on the loop's thread itself, on a connection whose busy
    timeout is 0: a database locked for a moment answers with an error at once (the hot
    path then goes the thread's way), it never holds the loop for the store's 30 s."""
    portal = copy_portal(template_db, tmp_path, clock, "sqlite")
    try:
        token = portal.login(JAN, PASSWORDS[JAN]).token
        stored = portal.dashboard_answer(token)
        assert on_loop(portal, token) == stored
        store = portal.store
        assert isinstance(store, SqliteStore)
        # the loop's connection gives up at once on a busy database; the threads' wait 30 s
        waits = asyncio.run(store.one_on_loop("PRAGMA busy_timeout"))
        assert waits is not None and waits[0] == 0
        assert store.scalar("PRAGMA busy_timeout") == 30_000
        assert on_loop(portal, token) == stored
    finally:
        portal.store.close()


def test_a_stored_answer_is_read_on_the_loop_as_on_a_thread(portal: PortalService) -> None:
    token = portal.login(JAN, PASSWORDS[JAN]).token
    answers = {
        DASHBOARD_ANSWER: portal.dashboard_answer,
        INVOICES_ANSWER: portal.invoices_answer,
        settlements_answer_name(): portal.settlements_answer,
    }
    for name, answer in answers.items():
        assert on_loop(portal, token, name) is None  # not computed yet: the thread's way
        stored = answer(token)
        assert on_loop(portal, token, name) == stored


def test_each_customer_reads_only_their_own_answer(portal: PortalService) -> None:
    jan = portal.login(JAN, PASSWORDS[JAN]).token
    anna = portal.login(ANNA, PASSWORDS[ANNA]).token
    stored = {jan: portal.dashboard_answer(jan), anna: portal.dashboard_answer(anna)}
    assert stored[jan].body != stored[anna].body
    for token, answer in stored.items():
        assert on_loop(portal, token) == answer


def test_a_write_through_another_process_is_seen_at_once(
    portal: PortalService, other: PortalService
) -> None:
    token = portal.login(JAN, PASSWORDS[JAN]).token
    before = portal.dashboard_answer(token)
    assert on_loop(portal, token) == before
    other.update_contact(token, ContactUpdate(phone="+48 600 100 200"))
    assert on_loop(portal, token) is None  # the stored one is old: computed again
    after = portal.dashboard_answer(token)
    assert on_loop(portal, token) == after


def test_a_logout_through_another_process_is_refused_at_once(
    portal: PortalService, other: PortalService
) -> None:
    token = portal.login(JAN, PASSWORDS[JAN]).token
    portal.dashboard_answer(token)
    assert on_loop(portal, token) is not None
    other.logout(token)
    with pytest.raises(AuthenticationRequired):
        on_loop(portal, token)
    with pytest.raises(AuthenticationRequired):
        on_loop(portal, "no-such-token")


def test_an_operator_is_refused_as_on_the_threads_way(portal: PortalService) -> None:
    token = portal.operator_login(OPERATOR, OPERATORS[OPERATOR]).token
    with pytest.raises(Forbidden):
        on_loop(portal, token)
    with pytest.raises(Forbidden):
        portal.dashboard_answer(token)


def test_an_ended_session_is_left_to_the_threads_way_which_ends_it(
    portal: PortalService, clock: FakeClock
) -> None:
    session = portal.login(JAN, PASSWORDS[JAN])
    token, today = session.token, portal.core.today()
    portal.dashboard_answer(token)
    clock.advance(session.expires_at - clock() + timedelta(minutes=1))
    assert portal.core.today() == today  # the stored answer is still the day's
    assert on_loop(portal, token) is None  # ending it is a write: not on the loop
    with pytest.raises(SessionExpired):
        portal.dashboard_answer(token)
    with pytest.raises(AuthenticationRequired):  # ended, everywhere
        on_loop(portal, token)


def test_an_act_for_session_is_left_to_the_threads_way(portal: PortalService) -> None:
    operator = portal.operator_login(OPERATOR, OPERATORS[OPERATOR]).token
    acting = portal.act_for(operator, JAN).token
    stored = portal.dashboard_answer(acting)
    assert on_loop(portal, acting) is None  # its end is the operator's session's
    assert stored.body
    portal.logout(operator)  # ends the sessions it opened
    with pytest.raises(AuthenticationRequired):
        on_loop(portal, acting)


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


def _traced(store: PostgresStore) -> list[str]:
    seen: list[str] = []
    store.trace(seen.append)
    return seen


def test_reads_asked_at_once_are_one_statement_and_each_gets_its_own_answer(
    pg: PortalService,
) -> None:
    """Under load the loop's reads of stored answers go as one statement (pgloop.together):
    each read still gets exactly what it would get alone: its own customer's answer, its
    own refusal, or None, whoever else's read went in the same statement."""
    customers = (JAN, ANNA, "100003", "200001")
    tokens = {number: pg.login(number, PASSWORDS[number]).token for number in customers}
    for number in customers[:3]:  # the fourth's answer is not computed: None, as alone
        pg.dashboard_answer(tokens[number])
    pg.invoices_answer(tokens[JAN])
    operator = pg.operator_login(OPERATOR, OPERATORS[OPERATOR]).token
    asked = [
        (token, name)
        for token in [*tokens.values(), operator, "no-such-token", tokens[JAN] + "x"]
        for name in (DASHBOARD_ANSWER, INVOICES_ANSWER)
    ] * 3
    store = pg.store
    assert isinstance(store, PostgresStore)

    def outcome(found: object) -> object:
        return type(found) if isinstance(found, Exception) else found

    async def alone() -> list[object]:
        found = []
        for token, name in asked:
            try:
                found.append(await pg.stored_answer_on_loop(token, name))
            except Exception as refusal:
                found.append(refusal)
        return [outcome(each) for each in found]

    async def at_once() -> list[object]:
        reads = [pg.stored_answer_on_loop(token, name) for token, name in asked]
        return [outcome(each) for each in await asyncio.gather(*reads, return_exceptions=True)]

    expected = asyncio.run(alone())
    assert expected.count(AuthenticationRequired) == 12 and expected.count(Forbidden) == 6
    assert sum(1 for each in expected if each is None) == 12  # not computed yet
    seen = _traced(store)
    assert asyncio.run(at_once()) == expected
    grouped = [statement for statement in seen if "WITH ORDINALITY" in statement]
    assert grouped and len(seen) < len(asked)  # they went together, not one by one
    bodies = {pg.dashboard_answer(tokens[number]).body for number in customers[:3]}
    assert len(bodies) == 3  # three customers' own answers, each to its own read


def test_a_read_cancelled_in_a_group_leaves_the_others_their_answers(pg: PortalService) -> None:
    store = pg.store
    assert isinstance(store, PostgresStore)
    sql = "SELECT ?::text AS day, ? AS own, '?' AS mark, pg_sleep(0.05)"

    async def cancelled() -> None:
        first = asyncio.ensure_future(store.one_on_loop(sql, ("d", "first"), shared=1))
        reads = [
            asyncio.ensure_future(store.one_on_loop(sql, ("d", str(n)), shared=1)) for n in range(8)
        ]
        await asyncio.sleep(0)
        reads[3].cancel()
        found = await asyncio.gather(first, *reads, return_exceptions=True)
        assert isinstance(found[4], asyncio.CancelledError)
        answered = [row for row in found if not isinstance(row, BaseException)]
        assert [(row["day"], row["own"], row["mark"]) for row in answered] == [
            ("d", own, "?") for own in ["first", "0", "1", "2", "4", "5", "6", "7"]
        ]  # a `?` in a quoted string is no placeholder

    asyncio.run(cancelled())


def test_a_group_larger_than_one_statement_takes_is_read_in_turns(
    pg: PortalService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ibok_tui.portal import pgloop

    monkeypatch.setattr(pgloop, "GROUP_MAX", 4)
    store = pg.store
    assert isinstance(store, PostgresStore)
    sql = "SELECT ?::int * 1000 + ?::int AS n WHERE ?::text <> 'skip'"
    asked = [(7, str(n), "skip" if n % 5 == 0 else "keep") for n in range(15)]

    async def many() -> list[object]:
        found = await asyncio.gather(*(store.one_on_loop(sql, p, shared=1) for p in asked))
        return [None if row is None else row["n"] for row in found]

    seen = _traced(store)
    assert asyncio.run(many()) == [None if n % 5 == 0 else 7000 + n for n in range(15)]
    assert sum("WITH ORDINALITY" in statement for statement in seen) >= 3


def test_a_group_whose_statement_fails_fails_each_read_and_the_next_read_works(
    pg: PortalService,
) -> None:
    store = pg.store
    assert isinstance(store, PostgresStore)

    async def failing() -> None:
        reads = [
            store.one_on_loop("SELECT * FROM no_such_table WHERE a = ?", (str(n),), shared=0)
            for n in range(5)
        ]
        found = await asyncio.gather(*reads, return_exceptions=True)
        assert all("no_such_table" in str(each) for each in found)
        assert store._loop_reads is not None and store._loop_reads.opened <= LOOP_CONNECTIONS
        row = await store.one_on_loop("SELECT ? AS n", ("3",), shared=0)
        assert row is not None and row["n"] == "3"

    asyncio.run(failing())
