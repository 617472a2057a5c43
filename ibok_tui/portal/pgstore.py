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

Its reads on the event loop are portal/pgloop.py's; its rows and placeholders
portal/pgrows.py's."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from . import answers
from .pgloop import LoopReads
from .pgrows import has_rows, row_factory, translated
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


class Fetched:
    """A statement's result, read before its connection went back to the pool."""

    def __init__(self, rowcount: int, rows: list[Any]) -> None:
        self.rowcount = rowcount
        self.row_factory = rows
        self._next = 0

    def fetchone(self) -> Any:
        if self._next >= len(self.row_factory):
            return None
        self._next += 1
        return self.row_factory[self._next - 1]

    def fetchall(self) -> list[Any]:
        rest, self._next = self.row_factory[self._next :], len(self.row_factory)
        return rest

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


def _expanded(conn: psycopg.Connection[Any], sql: str, params: Params) -> str:
    """A statement with its parameters quoted into it, for the trace."""
    if not params:
        return sql
    return psycopg.ClientCursor(conn).mogrify(translated(sql), params)


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
            kwargs={"autocommit": True, "row_factory": row_factory},
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
        rows = cursor.fetchall() if has_rows(cursor) else []
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
