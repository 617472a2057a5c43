"""The PostgreSQL store's reads on the event loop (portal/pgstore.py): beside its pool, an
event loop that asks `one_on_loop` (the server's stored answers) gets a connection of its
own (`LoopReads`), on which that read-only statement is awaited without a thread, the reads
asked at once as one statement (`together`)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import psycopg

from .pgrows import rewritten, row_factory, translated
from .store import Params, StoreUnavailable


@lru_cache(maxsize=64)
def together(sql: str, shared: int) -> str:
    """`sql`, a read of at most one row whose first `shared` placeholders are the same for
    many reads and whose others are each read's own (text), as one statement for many
    reads: each read's own values go in as arrays (one a placeholder, in order), then the
    shared ones; each read's row comes back with its position among them (`batch_item`,
    from 1) or not at all. Each read is the statement itself, run per item (LATERAL, as a
    fence: the planner keeps its own index lookups), so its answer is what it alone would
    read, its first row."""
    body, count = rewritten(sql, lambda n: "?" if n < shared else f"k.i{n - shared + 1}", "%")
    own = range(1, count - shared + 1)
    arrays = ", ".join("?::text[]" for _ in own)
    columns = ", ".join([*(f"i{n}" for n in own), "batch_item"])
    return (
        f"SELECT k.batch_item, one.* FROM unnest({arrays}) WITH ORDINALITY AS k({columns})"
        f" CROSS JOIN LATERAL ({body} LIMIT 1) AS one"
    )


class LoopReads:
    """A few connections of one event loop's, on which `one_on_loop` runs its statements:
    autocommit (one statement, no transaction block), prepared on first use, awaited on the
    loop (no thread, no pool's lock). A connection whose statement failed or was cancelled
    is closed, not used again (its state is not known); the next statement opens another.

    Reads that may go together (`shared`: the same statement with the same first
    parameters) and are asked while the connections are busy wait as one group, and the
    group is read by one statement (`together`) when a connection is free: under load a
    statement's round trip, its transaction and the database's wake-up were most of what a
    read cost the two processes, and they are paid once for the group. A read asked alone
    runs its own statement as before."""

    def __init__(self, url: str, size: int) -> None:
        self.url = url
        self.size = size
        self.loop = asyncio.get_running_loop()
        self.idle: list[psycopg.AsyncConnection[Any]] = []
        self.cursors: dict[psycopg.AsyncConnection[Any], psycopg.AsyncCursor[Any]] = {}
        self.opened = 0  # connections open or being opened, idle or busy
        self.waiting: deque[asyncio.Future[None]] = deque()
        self.closed = False
        # the reads waiting to go together, by statement and shared parameters: each one's
        # own parameters and the future its answer goes to
        self.groups: dict[tuple[str, tuple[Any, ...]], list[tuple[Params, asyncio.Future[Any]]]]
        self.groups = {}
        self.tasks: set[asyncio.Task[None]] = set()  # the groups' readers (kept: not collected)

    async def one(
        self,
        sql: str,
        params: Params,
        trace: Callable[[str], object] | None,
        shared: int | None = None,
    ) -> Any:
        if shared is not None:
            return await self._in_group(sql, tuple(params), shared, trace)
        conn = await self._take()
        try:
            row = await self._run(conn, sql, params, trace)
        except BaseException:
            self._drop(conn)
            raise
        self._give(conn)
        return row

    async def _run(
        self,
        conn: psycopg.AsyncConnection[Any],
        sql: str,
        params: Params,
        trace: Callable[[str], object] | None,
        every: bool = False,
    ) -> Any:
        """The statement's first row (`every`: all its rows) on `conn`."""
        if trace is not None:
            trace(psycopg.AsyncClientCursor(conn).mogrify(translated(sql), params))
        # the connection's one cursor, used again: a new cursor a statement (what
        # `conn.execute` makes) cost a third of the client's CPU for the statement
        cursor = self.cursors.get(conn)
        if cursor is None:
            cursor = self.cursors[conn] = conn.cursor()
        await cursor.execute(translated(sql), params, prepare=True)
        return await (cursor.fetchall() if every else cursor.fetchone())

    async def _in_group(
        self, sql: str, params: tuple[Any, ...], shared: int, trace: Callable[[str], object] | None
    ) -> Any:
        key = (sql, params[:shared])
        answered: asyncio.Future[Any] = self.loop.create_future()
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = []
            self._reader(key, shared, trace)
        group.append((params[shared:], answered))
        return await answered  # cancelled: only this read is; the group's goes on

    def _reader(
        self, key: tuple[str, tuple[Any, ...]], shared: int, trace: Callable[[str], object] | None
    ) -> None:
        reader = self.loop.create_task(self._read_group(key, shared, trace))
        self.tasks.add(reader)
        reader.add_done_callback(self.tasks.discard)

    async def _read_group(
        self,
        key: tuple[str, tuple[Any, ...]],
        shared: int,
        trace: Callable[[str], object] | None,
    ) -> None:
        """Read the group `key` once a connection is free: every read that joined it by
        then, in one statement (one read alone: its own statement). Each read gets the row
        of its own position, or None; a failure goes to each of them."""
        sql, common = key
        try:
            conn = await self._take()
        except BaseException as error:
            _fail(self.groups.pop(key, []), error)
            return
        group = [
            (own, answered) for own, answered in self.groups.pop(key, []) if not answered.done()
        ]
        if len(group) > GROUP_MAX:  # the rest wait as the next group, first in it
            self.groups[key], group = group[GROUP_MAX:], group[:GROUP_MAX]
            self._reader(key, shared, trace)
        try:
            if len(group) == 1:
                rows = {1: await self._run(conn, sql, (*common, *group[0][0]), trace)}
            elif group:
                arrays = [list(column) for column in zip(*(own for own, _ in group), strict=True)]
                found = await self._run(
                    conn, together(sql, shared), (*arrays, *common), trace, every=True
                )
                rows = {row["batch_item"]: row for row in found}
            else:
                rows = {}
        except BaseException as error:
            self._drop(conn)
            _fail(group, error)
            return
        self._give(conn)
        for position, (_, answered) in enumerate(group, start=1):
            if not answered.done():
                answered.set_result(rows.get(position))

    async def _take(self) -> psycopg.AsyncConnection[Any]:
        while not self.idle:
            if self.closed:
                raise StoreUnavailable("the store is closed")
            if self.opened < self.size:
                self.opened += 1
                try:
                    return await psycopg.AsyncConnection.connect(
                        self.url,
                        autocommit=True,
                        row_factory=row_factory,
                        connect_timeout=10,
                        # a prepared statement's one plan: a group's statement (`together`)
                        # was planned again at each run (its arrays' lengths vary), which
                        # cost the database more than running it
                        options="-c plan_cache_mode=force_generic_plan",
                    )
                except BaseException:
                    self.opened -= 1
                    self._wake()
                    raise
            woken = self.loop.create_future()
            self.waiting.append(woken)
            try:
                await woken
            except BaseException:  # cancelled: a wake-up it was given goes to the next
                if woken.done() and not woken.cancelled():
                    self._wake()
                raise
        return self.idle.pop()

    def _give(self, conn: psycopg.AsyncConnection[Any]) -> None:
        if self.closed:
            self._drop(conn)
            return
        self.idle.append(conn)
        self._wake()

    def _drop(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.opened -= 1
        self.cursors.pop(conn, None)
        conn.pgconn.finish()  # at once, without awaiting: the connection is given up
        self._wake()

    def _wake(self) -> None:
        while self.waiting:
            woken = self.waiting.popleft()
            if not woken.done():
                woken.set_result(None)
                return

    def close(self) -> None:
        self.closed = True
        while self.idle:
            self._drop(self.idle.pop())


GROUP_MAX = 100  # reads in one statement at most (a worker's loop rarely has more waiting)


def _fail(group: Iterable[tuple[Params, asyncio.Future[Any]]], error: BaseException) -> None:
    """A group's failure, given to each of its reads still waiting (a cancellation as one)."""
    for _, answered in group:
        if answered.done():
            continue
        if isinstance(error, asyncio.CancelledError):
            answered.cancel()
        else:
            answered.set_exception(error)
