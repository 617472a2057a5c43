"""The iBOK's state behind one interface, `Store`, in two stores: SQLite (one embedded
file: the demo's and a small utility's, the default) and PostgreSQL (portal/pgstore.py, for
a utility with several server processes), chosen by `open_store`: a path or a
`postgresql://` URL (portal/stores.py). Versioned migrations for both (portal/schema.py),
one transaction per write.

The portal's SQL is one dialect both run unchanged: `?` placeholders, `ON CONFLICT` upserts,
`RETURNING` for generated ids, TEXT/INTEGER/BIGINT columns, booleans as 0/1, times as ISO
8601 text in UTC."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from . import answers
from .schema import SCHEMA, Dialects, Migration, statements

Params = Sequence[Any] | dict[str, Any]
# a bulk load's batch: plain inserts (`Store.load`'s) with their rows, parents first
Batch = dict[str, list[Sequence[Any]]]

PLAIN_INSERT = re.compile(
    r"\s*INSERT INTO (?P<table>\w+) \((?P<columns>[\w\s,]+)\)"
    r"\s*VALUES\s*\((?:\s*\?\s*,)*\s*\?\s*\)\s*"
)


class Row(Protocol):
    """A result row, read by column name or by position (sqlite3.Row, or the PostgreSQL
    store's own)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def keys(self) -> list[str]: ...
    def __len__(self) -> int: ...


class Result(Protocol):
    """What `execute` returns: the rows a statement touched, and its rows if it has any."""

    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Store(ABC):
    """The interface the portal is written against: statements in the neutral dialect,
    `transaction()` around every write, migrations, and a trace hook."""

    dialect: str  # "sqlite" or "postgresql": for the few migrations and queries that differ
    # what a statement breaking a constraint raises (a unique key, a foreign key)
    integrity_error: type[Exception]

    @property
    @abstractmethod
    def version(self) -> int:
        """The number of migrations applied."""

    @abstractmethod
    def _set_version(self, number: int) -> None: ...

    @abstractmethod
    def _lock_schema(self) -> None:
        """Inside the migration's transaction, before the version is read again: make sure
        no other process applies the same migration (SQLite's BEGIN IMMEDIATE does)."""

    def migrate(self) -> None:
        """Apply every migration newer than the store's version, each in a transaction. Safe
        when several processes start at once: the version is read again inside the
        transaction, once no other process can be migrating."""
        for number, migration in enumerate(SCHEMA, start=1):
            if self.version >= number:
                continue
            with self.transaction():
                self._lock_schema()
                if self.version >= number:
                    continue  # another process applied it while this one waited
                self._apply(migration)
                self._set_version(number)

    def _apply(self, migration: Migration) -> None:
        if isinstance(migration, Dialects):
            self._apply(getattr(migration, self.dialect))
        elif callable(migration):
            migration(self)
        else:
            for statement in statements(migration):
                self.execute(statement)

    @abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[Store]:
        """Every write happens inside one of these: all of it is stored, or none of it.
        Nested ones join the outer one."""

    def lock(self, *keys: str) -> None:
        """Inside a transaction: hold each of `keys` until it ends, so that a read-then-write
        step over what a key names (a customer's sessions, a subject's failure counters, the
        year's request numbers) runs one at a time across every process, while transactions
        over other keys go on beside it. Only where a real race needs it: a constraint or a
        conditional update is the rule. SQLite: nothing to do, its `BEGIN IMMEDIATE` holds
        the whole file already."""
        del keys

    @abstractmethod
    def bulk_load(self, tables: Sequence[str]) -> contextlib.AbstractContextManager[Store]:
        """For filling a new store in bulk (`ibok generate`)."""

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Result: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def load(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Many rows of one plain `INSERT INTO t (cols) VALUES (?, ...)`, as fast as the
        store can take them (a bulk load's): executemany here, COPY on PostgreSQL."""
        self.executemany(sql, rows)

    @staticmethod
    def packed(batch: Batch) -> Any:
        """`batch` made ready for `load_packed` by a process without the store (`ibok
        generate`'s workers): here as it is."""
        return batch

    def load_packed(self, packed: Any) -> None:
        """A batch from `packed`, in one transaction: each statement's rows by `load`."""
        with self.transaction():
            for sql, rows in packed.items():
                self.load(sql, rows)

    @abstractmethod
    def all(self, sql: str, params: Params = ()) -> list[Row]: ...

    def one(self, sql: str, params: Params = ()) -> Row | None:
        found = self.all(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    # a store that can run a read-only statement on the event loop itself, without a thread
    reads_on_loop = False

    async def one_on_loop(
        self, sql: str, params: Params = (), *, shared: int | None = None
    ) -> Row | None:
        """`one` of a read-only statement, awaited on the running event loop (only where
        `reads_on_loop`): for the few hot reads, a thread's hop costs more than the read.
        `shared`: the number of its first parameters that many reads of it have in common
        (the others are each read's own, text; the statement reads at most one row and has
        no LIMIT of its own); such reads asked at once may be read by one statement."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        """Whether nothing was ever loaded (the captcha's signing key, which a server makes
        on its first refused sign-in, is no data)."""
        return self.scalar("SELECT count(*) FROM settings WHERE key <> 'captcha_key'") == 0

    @abstractmethod
    def trace(self, callback: Callable[[str], object] | None) -> None:
        """Hand every statement this store runs to `callback` (None stops), for tests and
        diagnostics."""

    @abstractmethod
    def close(self) -> None: ...


class StoreUnavailable(Exception):
    """The store cannot be reached (a database server that refuses or does not answer);
    the message is the driver's, which never holds the password."""


def is_url(db: str | Path) -> bool:
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def store_location(text: str) -> str | Path:
    """A `--db` value: a URL as given (a Path would fold its `//`), or a file's path."""
    return text if is_url(text) else Path(text)


def shown(db: str | Path) -> str:
    """`db` as it may be printed or logged: a URL without its password."""
    if not is_url(db):
        return str(db)
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(str(db))
    if parts.password is None:
        return str(db)
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class SqliteStore(Store):
    """One SQLite database. Thread-safe: writes, and the reads of a transaction, go through
    one connection behind a lock; a read outside a transaction goes through a reading
    connection taken from the store's idle ones for that one statement (WAL lets readers
    run beside the writer and each other), so the request threads of a server read at once,
    the GIL released inside SQLite, instead of queueing at the one connection's lock (the
    dashboards of 100 clients waited there). There are as many reading connections as reads
    ever ran at once, not one per thread: a crowd of 100 signing in at once on threads of
    their own opened 100 (about 1.3 ms of CPU each, their schema read again)."""

    dialect = "sqlite"
    integrity_error = sqlite3.IntegrityError

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = self._connect()
        self._lock = threading.RLock()
        self._depth = 0
        self._writer = 0  # the thread in a transaction: its reads see its writes
        self._readers: list[sqlite3.Connection] | None = []  # the idle ones; None: closed
        self._readers_lock = threading.Lock()
        self._trace: Callable[[str], object] | None = None
        self._loop_reader: sqlite3.Connection | None = None  # `one_on_loop`'s
        self._loop_lock = threading.Lock()  # one loop a process; a test may run another
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

    def _connect(self, timeout: float = 30) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=timeout
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")  # per connection
        return conn

    @contextmanager
    def _reading(self, sql: str) -> Iterator[sqlite3.Connection | None]:
        """An idle reading connection for one statement, or None when the statement writes,
        when this thread's reads must see the transaction it is in, or when the store is
        closed (then the writing connection, behind the lock)."""
        if not _reads_only(sql) or (self._depth and self._writer == threading.get_ident()):
            yield None
            return
        with self._readers_lock:
            if self._readers is None:
                conn = None
            elif self._readers:
                conn = self._readers.pop()
            else:
                conn = self._connect()
                conn.set_trace_callback(self._trace)
        try:
            yield conn
        finally:
            if conn is not None:
                with self._readers_lock:
                    if self._readers is None:  # closed meanwhile
                        conn.close()
                    else:
                        conn.set_trace_callback(self._trace)
                        self._readers.append(conn)

    @property
    def version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _set_version(self, number: int) -> None:
        self._conn.execute(f"PRAGMA user_version = {int(number)}")

    def _lock_schema(self) -> None:
        pass  # the transaction's BEGIN IMMEDIATE holds the file's write lock already

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
                self._writer = threading.get_ident()
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    @contextmanager
    def bulk_load(self, tables: Sequence[str]) -> Iterator[Store]:
        """The secondary indexes of `tables` are dropped and built again at the end, once
        over all the rows, and writes are not synced to disk until then (a crash leaves a
        file to throw away). Their triggers are set aside too, so every stored answer is
        made old at the end instead (portal/answers.py)."""
        with self._lock:
            marks = ",".join("?" * len(tables))
            indexes = self.all(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
                f" AND sql IS NOT NULL AND tbl_name IN ({marks})",
                tables,
            )
            for index in indexes:
                self._conn.execute(f'DROP {index["type"].upper()} "{index["name"]}"')
            cache = self.scalar("PRAGMA cache_size")
            self._conn.execute("PRAGMA synchronous=OFF")
            self._conn.execute("PRAGMA cache_size=-262144")  # 256 MiB for the index builds
            try:
                yield self
            finally:
                for index in indexes:
                    self._conn.execute(index["sql"])
                answers.bump_shared(self)
                self._conn.execute("PRAGMA synchronous=NORMAL")
                self._conn.execute(f"PRAGMA cache_size={int(cache)}")

    @staticmethod
    def packed(batch: Batch) -> Any:
        """The batch's rows in an SQLite database in memory, as its bytes: the packing
        process binds every value, and `load_packed` copies each table in with one INSERT
        ... SELECT, SQLite's own loop (the same values in the same order as `load`'s). A
        batch with a statement that is not a plain insert stays as it is."""
        plain = [PLAIN_INSERT.fullmatch(sql) for sql in batch]
        if not all(plain):
            return batch
        memory = sqlite3.connect(":memory:", isolation_level=None)
        tables: list[tuple[str, str]] = []
        memory.execute("BEGIN")
        for n, (match, (sql, rows)) in enumerate(zip(plain, batch.items(), strict=True)):
            assert match is not None
            memory.execute(f"CREATE TABLE t{n} ({match['columns']})")  # no types: as given
            memory.executemany(f"INSERT INTO t{n} {sql[match.end('table') :]}", rows)
            tables.append((match["table"], match["columns"]))
        memory.execute("COMMIT")
        image = memory.serialize()
        memory.close()
        return tables, image

    def load_packed(self, packed: Any) -> None:
        if isinstance(packed, dict):
            super().load_packed(packed)
            return
        tables, image = packed
        with self._lock:
            self._conn.execute("ATTACH ':memory:' AS packed")
            try:
                self._conn.deserialize(image, name="packed")
                with self.transaction():
                    for n, (table, columns) in enumerate(tables):
                        self._conn.execute(
                            f"INSERT INTO main.{table} ({columns})"
                            f" SELECT {columns} FROM packed.t{n} ORDER BY rowid"
                        )
            finally:
                self._conn.execute("DETACH packed")

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._lock:
            self._conn.executemany(sql, rows)

    def one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        with self._reading(sql) as reader:
            if reader is not None:
                found: sqlite3.Row | None = reader.execute(sql, params).fetchone()
                return found
        with self._lock:
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        with self._reading(sql) as reader:
            if reader is not None:
                return list(reader.execute(sql, params).fetchall())
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    # the few hot reads (the stored answers) on the event loop's thread itself, at once: an
    # indexed read in WAL mode takes tens of µs and does not wait for the writer, where the
    # hop to a thread and back (the GIL handed over twice, the loop woken) cost more
    reads_on_loop = True

    async def one_on_loop(
        self, sql: str, params: Params = (), *, shared: int | None = None
    ) -> Row | None:
        """On a reading connection of the loops' own that never waits: a database that is
        busy for a moment (a recovery, a checkpoint that must wait) answers with an error at
        once, not by holding the loop, and the caller goes the thread's way. It lets the
        loop run once first: without that a request's whole answer ran in one go, and under
        wrk at 100 connections the p99 was twice as long."""
        await asyncio.sleep(0)
        with self._loop_lock:
            if self._loop_reader is None:
                if self._readers is None:
                    raise sqlite3.ProgrammingError("the store is closed")
                self._loop_reader = self._connect(timeout=0)
                self._loop_reader.set_trace_callback(self._trace)
            found: sqlite3.Row | None = self._loop_reader.execute(sql, params).fetchone()
            return found

    def trace(self, callback: Callable[[str], object] | None) -> None:
        self._trace = callback  # a reading connection in use takes it when it comes back
        if self._loop_reader is not None:
            self._loop_reader.set_trace_callback(callback)
        self._conn.set_trace_callback(callback)
        with self._readers_lock:
            for reader in self._readers or []:
                reader.set_trace_callback(callback)

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, None
        for reader in readers or []:
            reader.close()
        with self._loop_lock:
            if self._loop_reader is not None:
                self._loop_reader.close()
                self._loop_reader = None
        with self._lock:
            self._conn.close()


_READS_ONLY: dict[str, bool] = {}
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _reads_only(sql: str) -> bool:
    """Whether a statement only reads, so it may run on the thread's reading connection.
    A write with RETURNING (a rate-limit bucket's upsert, an idempotency claim) goes
    through the one writing connection and its lock: on a reading connection it took
    SQLite's write lock beside the writer's, and the loser slept in the busy handler
    (a refused sign-in waited about 7 ms so, on a machine doing nothing else)."""
    known = _READS_ONLY.get(sql)
    if known is None:
        head = sql.lstrip()[:6].upper()
        known = head == "SELECT" or (head.startswith("WITH") and not _WRITES.search(sql))
        if len(_READS_ONLY) < 4096:  # the statements are the code's own, a few hundred
            _READS_ONLY[sql] = known
    return known
