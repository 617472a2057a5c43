"""The iBOK's state in PostgreSQL, for a utility that runs several server processes over
one database: psycopg 3 with a bounded connection pool (psycopg_pool). Imported only when
the store is named by a `postgresql://` URL, so the console and the demo never load it.

A transaction holds one pooled connection for its duration, on its thread; a statement
outside a transaction takes one for itself. Transactions run at READ COMMITTED side by side:
nothing serialises the writes of different customers. What keeps a write right is the
database's: its constraints (one reading per meter and period, one answer per idempotency
key, one request number), conditional updates (a token spent once, a claim taken once) and,
for the few read-then-write steps that need it, a transaction-scoped advisory lock on the
one key they work on (`lock`: a subject's failure counters, a customer's sessions, the
year's request numbers); migrations take one lock of their own.

Beside the pool, an event loop that asks `one_on_loop` (the server's stored answers) gets
a connection of its own (`LoopReads`), on which that read-only statement is awaited
without a thread, the reads asked at once as one statement."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache, partial
from typing import Any

import psycopg
from psycopg.pq import ExecStatus
from psycopg_pool import ConnectionPool

from . import answers
from .store import PLAIN_INSERT, Params, Result, Row, Store, StoreUnavailable

# the key of the advisory lock a migration takes: one process migrates at a time
MIGRATION_LOCK = 0x1B0C_57
# one statement takes every key of a `lock` call, in the order given (sorted: no deadlock
# between two transactions that lock the same keys)
_LOCK = "SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest(?::text[]) k"
POOL_MAX = 20  # connections of one process: the server's threads share them
POOL_TIMEOUT = 30.0  # seconds a statement waits for a free connection
# connections of one event loop's for `one_on_loop` (each runs one statement at a time):
# reads asked while it is busy go together in its next statement (`LoopReads`), so one
# serves a worker's loop; under wrk at 100 connections a second made the groups smaller,
# which cost the database a third more CPU a read, and made the p99 worse
LOOP_CONNECTIONS = 1


class PgRow:
    """A row read by column name (as sqlite3.Row: case-insensitive) or by position."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str, /) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key.lower()]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PgRow) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self._values))

    def __repr__(self) -> str:
        return f"PgRow({tuple(self._values)!r})"


# the results that carry rows (psycopg's own test for a description)
_TUPLES = frozenset({ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE})


def _has_rows(cursor: Any) -> bool:
    result = cursor.pgresult
    return result is not None and result.status in _TUPLES


@lru_cache(maxsize=1024)
def _index(names: tuple[bytes | None, ...]) -> dict[str, int]:
    """Each column's position by its name in lower case (a repeated name: the first, as
    sqlite3.Row), once per shape of result: the rows of one statement share it."""
    index: dict[str, int] = {}
    for number, name in enumerate(names):
        index.setdefault((name or b"").decode("utf-8", "replace").lower(), number)
    return index


def _rows(cursor: Any) -> Callable[[Sequence[Any]], PgRow] | type[tuple[Any, ...]]:
    """The row factory: the column names straight from the result. psycopg's `description`
    builds an object per column each time it is asked, and it was asked twice a statement:
    of the 90 µs of CPU the session's lookup (19 columns) cost on the client, 55 went there."""
    if not _has_rows(cursor):
        return tuple
    result = cursor.pgresult
    return partial(PgRow, _index(tuple(result.fname(i) for i in range(result.nfields))))


class Fetched:
    """A statement's result, read before its connection went back to the pool."""

    def __init__(self, rowcount: int, rows: list[Any]) -> None:
        self.rowcount = rowcount
        self._rows = rows
        self._next = 0

    def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Any]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


@lru_cache(maxsize=2048)
def translated(sql: str) -> str:
    """The neutral dialect's `?` placeholders as psycopg's `%s`, and a literal `%` doubled;
    neither is touched inside a quoted string or identifier."""
    return _rewritten(sql, lambda _: "%s", "%%")[0]


def _rewritten(sql: str, placeholder: Callable[[int], str], percent: str) -> tuple[str, int]:
    """`sql` with its n-th `?` (from 0) as `placeholder(n)` and each `%` as `percent`,
    outside quoted strings and identifiers; and how many placeholders it had."""
    out: list[str] = []
    quote = ""
    count = 0
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append(placeholder(count))
            count += 1
            continue
        if char == "%":
            out.append(percent)
            continue
        out.append(char)
    return "".join(out), count


@lru_cache(maxsize=64)
def together(sql: str, shared: int) -> str:
    """`sql`, a read of at most one row whose first `shared` placeholders are the same for
    many reads and whose others are each read's own (text), as one statement for many
    reads: each read's own values go in as arrays (one a placeholder, in order), then the
    shared ones; each read's row comes back with its position among them (`batch_item`,
    from 1) or not at all. Each read is the statement itself, run per item (LATERAL, as a
    fence: the planner keeps its own index lookups), so its answer is what it alone would
    read, its first row."""
    body, count = _rewritten(sql, lambda n: "?" if n < shared else f"k.i{n - shared + 1}", "%")
    own = range(1, count - shared + 1)
    arrays = ", ".join("?::text[]" for _ in own)
    columns = ", ".join([*(f"i{n}" for n in own), "batch_item"])
    return (
        f"SELECT k.batch_item, one.* FROM unnest({arrays}) WITH ORDINALITY AS k({columns})"
        f" CROSS JOIN LATERAL ({body} LIMIT 1) AS one"
    )


def _expanded(conn: psycopg.Connection[Any], sql: str, params: Params) -> str:
    """A statement with its parameters quoted into it, for the trace."""
    if not params:
        return sql
    return psycopg.ClientCursor(conn).mogrify(translated(sql), params)


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
                        row_factory=_rows,
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


class PostgresStore(Store):
    dialect = "postgresql"
    integrity_error = psycopg.IntegrityError

    def __init__(self, url: str, *, max_size: int = POOL_MAX) -> None:
        self.url = url
        try:  # at once, with the server's own reason, rather than a pool's timeout
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.OperationalError as error:
            raise StoreUnavailable(str(error).strip()) from None
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            timeout=POOL_TIMEOUT,
            kwargs={"autocommit": True, "row_factory": _rows},
            open=True,
            name="ibok",
        )
        self._local = threading.local()
        self._loop_reads: LoopReads | None = None
        self._trace: Callable[[str], object] | None = None
        try:
            self._pool.wait(POOL_TIMEOUT)
            self.migrate()
        except BaseException:
            self._pool.close()
            raise

    # --- the schema's version --------------------------------------------------------

    @property
    def version(self) -> int:
        if self.scalar("SELECT to_regclass('schema_version') IS NULL"):
            return 0
        return int(self.scalar("SELECT coalesce(max(version), 0) FROM schema_version"))

    def _lock_schema(self) -> None:
        # held to the transaction's end: no other process migrates meanwhile
        self.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")

    def _set_version(self, number: int) -> None:
        self.execute("DELETE FROM schema_version")
        self.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))

    # --- transactions and statements -------------------------------------------------

    def _connection(self) -> psycopg.Connection[Any] | None:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        if self._connection() is not None:  # joins the thread's open transaction
            yield self
            return
        with self._pool.connection() as conn, conn.transaction():
            self._local.conn = conn
            self._local.held = set()
            try:
                yield self
            finally:
                self._local.conn = None

    def lock(self, *keys: str) -> None:
        conn = self._connection()
        if conn is None:
            raise RuntimeError("Store.lock outside a transaction holds nothing")
        held: set[str] = self._local.held
        if wanted := set(keys) - held:  # a key held already is held to the end
            self._run(conn, _LOCK, (sorted(wanted),))
            held |= wanted

    @contextmanager
    def bulk_load(self, tables: Sequence[str]) -> Iterator[Store]:
        """As SQLite's: the secondary indexes of `tables` (not those of a key or a unique
        constraint) are dropped and built again once at the end; so are their foreign keys
        (checked row by row, each a query of the parent, they cost the server more than the
        COPY: added again at the end, each checks every row in one join, so a row without
        its parent still fails the load, which leaves a database to drop); the tables' own
        triggers (the answers' versions,
        one statement a row) are set aside meanwhile and every stored answer is made old at
        the end instead (portal/answers.py); the planner's statistics are gathered again at
        the end."""
        indexes = self.all(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " WHERE i.schemaname = current_schema() AND i.tablename = ANY(?)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(tables),),
        )
        foreign: list[tuple[str, str, str]] = [  # the table, the key's name, its definition
            (row[0], row[1], row[2])
            for row in self.all(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
                " FROM pg_constraint c WHERE c.contype = 'f'"
                " AND c.conrelid = ANY(SELECT to_regclass(t) FROM unnest(?::text[]) t)"
                " ORDER BY c.oid",
                (list(tables),),
            )
        ]
        with self.transaction():
            for owner, name, _definition in foreign:
                self.execute(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')
            for index in indexes:
                self.execute(f'DROP INDEX "{index[0]}"')
            for table in tables:
                self.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        try:
            yield self
        finally:
            with self.transaction():
                for index in indexes:
                    self.execute(index[1])
                for owner, name, definition in foreign:
                    self.execute(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')
                for table in tables:
                    self.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
                answers.bump_shared(self)
            for table in tables:
                self.execute(f'ANALYZE "{table}"')

    def _run(self, conn: psycopg.Connection[Any], sql: str, params: Params) -> Fetched:
        if self._trace is not None:
            self._trace(_expanded(conn, sql, params))
        cursor = conn.execute(translated(sql), params if params is not None else ())
        rows = cursor.fetchall() if _has_rows(cursor) else []
        return Fetched(cursor.rowcount, rows)

    def execute(self, sql: str, params: Params = ()) -> Result:
        conn = self._connection()
        if conn is not None:
            return self._run(conn, sql, params)
        with self._pool.connection() as conn:
            return self._run(conn, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if not batch:
            return
        if self._trace is not None:
            self._trace(sql)
        conn = self._connection()
        if conn is not None:
            conn.cursor().executemany(translated(sql), batch)
            return
        with self._pool.connection() as conn:
            conn.cursor().executemany(translated(sql), batch)

    def load(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """COPY the rows in, when `sql` is a plain insert of placeholders (else executemany)."""
        plain = PLAIN_INSERT.fullmatch(sql)
        if plain is None:
            self.executemany(sql, rows)
            return
        copy = f"COPY {plain['table']} ({plain['columns']}) FROM STDIN"
        if self._trace is not None:
            self._trace(copy)
        with self.transaction():
            conn = self._connection()
            assert conn is not None
            with conn.cursor().copy(copy) as loading:
                for row in rows:
                    loading.write_row(row)

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.execute(sql, params).fetchall()

    reads_on_loop = True

    async def one_on_loop(
        self, sql: str, params: Params = (), *, shared: int | None = None
    ) -> Row | None:
        reads = self._loop_reads
        if reads is None or reads.loop is not asyncio.get_running_loop():
            if reads is not None:  # another loop's (a test's earlier one): given up
                reads.close()
            reads = self._loop_reads = LoopReads(self.url, LOOP_CONNECTIONS)
        row: Row | None = await reads.one(sql, params, self._trace, shared)
        return row

    def trace(self, callback: Callable[[str], object] | None) -> None:
        """As SQLite's: each statement with its parameters in it (so it can be EXPLAINed)."""
        self._trace = callback

    def close(self) -> None:
        if self._loop_reads is not None:
            self._loop_reads.close()
        self._pool.close()
