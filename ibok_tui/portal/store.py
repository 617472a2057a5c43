"""The iBOK's state behind one interface, `Store`, in two stores: SQLite (one embedded
file: the demo's and a small utility's, the default) and PostgreSQL (portal/pgstore.py, for
a utility with several server processes), chosen by `open_store`: a path or a
`postgresql://` URL (portal/stores.py). Versioned migrations for both, one transaction per write.

The portal's SQL is one dialect both run unchanged: `?` placeholders, `ON CONFLICT` upserts,
`RETURNING` for generated ids, TEXT/INTEGER/BIGINT columns, booleans as 0/1, times as ISO
8601 text in UTC. A migration is a plain string (both run it), a function of the store, or
`Dialects` (one each) where the two must differ."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from . import answers, history_schema, search, terms_schema

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


@dataclass(frozen=True)
class Dialects:
    """A migration that must differ between the stores: one for each."""

    sqlite: str | Callable[[Store], None]
    postgresql: str | Callable[[Store], None]


Migration = str | Callable[["Store"], None] | Dialects


def _postgresql(script: str, replacements: Sequence[tuple[str, str]]) -> str:
    """The PostgreSQL text of a SQLite script that differs only in the words replaced
    (each must be there: a script changed without this is an error, not a silent skip)."""
    for old, new in replacements:
        if old not in script:
            raise ValueError(f"the migration no longer holds {old!r}")
        script = script.replace(old, new)
    return script


# each version is a script, a function of the store (a migration that also fills what it
# creates, in the same transaction), or one of each dialect
_VERSION_1 = """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE customers (
        number TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        street TEXT NOT NULL, building TEXT NOT NULL, apartment TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL, city TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        bank_account TEXT NOT NULL,
        nip TEXT NOT NULL DEFAULT '',
        e_invoice INTEGER NOT NULL DEFAULT 0, e_invoice_email TEXT NOT NULL DEFAULT '',
        notify_email INTEGER NOT NULL DEFAULT 0, notify_sms INTEGER NOT NULL DEFAULT 0,
        marketing INTEGER NOT NULL DEFAULT 0,
        billing_months INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        registered_at TEXT, terms_version TEXT,
        status_reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
    CREATE INDEX customers_street ON customers(street COLLATE NOCASE);

    CREATE TABLE operators (
        login TEXT PRIMARY KEY, name TEXT NOT NULL, password_hash TEXT NOT NULL
    );

    CREATE TABLE login_failures (
        subject TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT
    );

    CREATE TABLE captchas (
        id TEXT PRIMARY KEY, answer TEXT NOT NULL, expires_at TEXT NOT NULL
    );

    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL, subject TEXT NOT NULL, name TEXT NOT NULL,
        expires_at TEXT NOT NULL, must_change_password INTEGER NOT NULL DEFAULT 0,
        acting_operator TEXT
    );
    CREATE INDEX sessions_subject ON sessions(subject);

    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY, purpose TEXT NOT NULL, subject TEXT NOT NULL,
        expires_at TEXT NOT NULL, used_at TEXT
    );

    CREATE TABLE properties (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        label TEXT NOT NULL,
        street TEXT NOT NULL, building TEXT NOT NULL, apartment TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL, city TEXT NOT NULL
    );
    CREATE INDEX properties_customer ON properties(customer_number);
    CREATE INDEX properties_street ON properties(street COLLATE NOCASE);

    CREATE TABLE points (
        id TEXT PRIMARY KEY,
        property_id TEXT NOT NULL REFERENCES properties(id),
        label TEXT NOT NULL
    );

    CREATE TABLE meters (
        id TEXT PRIMARY KEY,
        serial TEXT NOT NULL UNIQUE,
        property_id TEXT NOT NULL REFERENCES properties(id),
        point_id TEXT NOT NULL REFERENCES points(id),
        role TEXT NOT NULL, parent_id TEXT REFERENCES meters(id),
        diameter_mm INTEGER NOT NULL, location TEXT NOT NULL,
        status TEXT NOT NULL, owner TEXT NOT NULL,
        installed_on TEXT NOT NULL, legalization_expires TEXT NOT NULL,
        resolution TEXT NOT NULL
    );
    CREATE INDEX meters_property ON meters(property_id);

    CREATE TABLE readings (
        id TEXT PRIMARY KEY,
        meter_id TEXT NOT NULL REFERENCES meters(id),
        read_on TEXT NOT NULL,
        idx INTEGER NOT NULL,
        consumption INTEGER,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        submitted_at TEXT,
        meter_change INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX readings_meter ON readings(meter_id, read_on);
    CREATE INDEX readings_status ON readings(status);

    CREATE TABLE hourly (
        meter_id TEXT NOT NULL REFERENCES meters(id),
        ts TEXT NOT NULL,
        litres INTEGER NOT NULL,
        PRIMARY KEY (meter_id, ts)
    ) WITHOUT ROWID;

    CREATE TABLE tariffs (
        id TEXT PRIMARY KEY, valid_from TEXT NOT NULL, valid_to TEXT,
        water INTEGER NOT NULL, sewage INTEGER NOT NULL, subscription INTEGER NOT NULL,
        vat_rate TEXT NOT NULL
    );

    CREATE TABLE invoices (
        number TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        property_id TEXT NOT NULL REFERENCES properties(id),
        kind TEXT NOT NULL,
        issue_date TEXT NOT NULL, sale_date TEXT NOT NULL,
        period_from TEXT NOT NULL, period_to TEXT NOT NULL, due_date TEXT NOT NULL,
        net INTEGER NOT NULL, vat INTEGER NOT NULL, gross INTEGER NOT NULL,
        corrects TEXT
    );
    CREATE INDEX invoices_customer ON invoices(customer_number, issue_date);

    CREATE TABLE invoice_lines (
        invoice_number TEXT NOT NULL REFERENCES invoices(number),
        pos INTEGER NOT NULL,
        kind TEXT NOT NULL, description TEXT NOT NULL,
        quantity TEXT NOT NULL, unit TEXT NOT NULL, unit_price INTEGER NOT NULL,
        net INTEGER NOT NULL, vat_rate TEXT NOT NULL, vat INTEGER NOT NULL, gross INTEGER NOT NULL,
        PRIMARY KEY (invoice_number, pos)
    );

    CREATE TABLE payments (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        paid_on TEXT NOT NULL, amount INTEGER NOT NULL, title TEXT NOT NULL,
        document_number TEXT REFERENCES invoices(number)
    );
    CREATE INDEX payments_customer ON payments(customer_number);
    CREATE INDEX payments_document ON payments(document_number);

    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        title TEXT NOT NULL, kind TEXT NOT NULL, created_on TEXT NOT NULL,
        filename TEXT NOT NULL, mime TEXT NOT NULL, content BLOB NOT NULL,
        contract_number TEXT
    );
    CREATE INDEX documents_customer ON documents(customer_number);

    CREATE TABLE contracts (
        number TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        property_id TEXT NOT NULL REFERENCES properties(id),
        title TEXT NOT NULL, signed_on TEXT NOT NULL,
        valid_from TEXT NOT NULL, valid_to TEXT, status TEXT NOT NULL,
        document_id TEXT REFERENCES documents(id)
    );
    CREATE INDEX contracts_customer ON contracts(customer_number);

    CREATE TABLE notices (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
        published_at TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT,
        area TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE requests (
        id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        category TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
        status TEXT NOT NULL, created_at TEXT NOT NULL, due_date TEXT NOT NULL,
        meter_id TEXT REFERENCES meters(id)
    );
    CREATE INDEX requests_customer ON requests(customer_number);
    CREATE INDEX requests_due ON requests(status, due_date);

    CREATE TABLE request_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL REFERENCES requests(id),
        at TEXT NOT NULL, status TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX request_events_request ON request_events(request_id);

    CREATE TABLE idempotency (
        scope TEXT NOT NULL, key TEXT NOT NULL, result TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
    );

    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL, operator TEXT NOT NULL, customer_number TEXT NOT NULL,
        action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_customer ON audit(customer_number);
    """


def _unchanged(store: Store) -> None:
    """A migration with nothing to do in this dialect."""


SCHEMA: tuple[Migration, ...] = (
    # version 1: the whole portal
    Dialects(
        sqlite=_VERSION_1,
        postgresql=_postgresql(
            _VERSION_1,
            [
                (" COLLATE NOCASE", ""),
                (") WITHOUT ROWID;", ");"),
                ("content BLOB NOT NULL", "content BYTEA NOT NULL"),
                (
                    "id INTEGER PRIMARY KEY AUTOINCREMENT",
                    "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                ),
                # SQLite's implicit insertion order, which the documents are listed in
                (
                    "CREATE TABLE documents (\n        id TEXT PRIMARY KEY,",
                    "CREATE TABLE documents (\n        id TEXT PRIMARY KEY,"
                    " rowid BIGINT GENERATED ALWAYS AS IDENTITY,",
                ),
            ],
        ),
    ),
    # version 2: a customer's scan is submitted (withdrawable) until the utility accepts it
    """
    ALTER TABLE documents ADD COLUMN scan_status TEXT;
    UPDATE documents SET scan_status = 'submitted'
        WHERE kind = 'scan' AND contract_number IS NOT NULL;
    CREATE INDEX documents_scans ON documents(customer_number, kind);
    """,
    # version 3: an act-for session knows the operator's session that opened it, so that
    # session's logout ends it
    """
    ALTER TABLE sessions ADD COLUMN opened_by TEXT;
    CREATE INDEX sessions_opened_by ON sessions(opened_by);
    """,
    # version 4: an address's failures over every account are forgotten some time after
    # its last one; unanswered captchas are swept by their expiry
    """
    ALTER TABLE login_failures ADD COLUMN last_failure_at TEXT;
    CREATE INDEX captchas_expiry ON captchas(expires_at);
    """,
    # version 5: the operator's search by an index of folded text (portal/search.py),
    # filled from the customers already stored
    search.migrate,
    # version 6: one reading submitted through iBOK per meter and billing period, held by
    # the database: two submissions at once (two workers) cannot both pass the check. The
    # period's first day is set while the reading counts, and cleared when it is withdrawn;
    # readings stored before were checked one at a time and are left as they are.
    """
    ALTER TABLE readings ADD COLUMN submitted_period TEXT;
    CREATE UNIQUE INDEX readings_one_per_period ON readings(meter_id, submitted_period)
        WHERE submitted_period IS NOT NULL;
    """,
    # version 7: nothing a worker needs stays in one process. The idempotency record keeps
    # the server's answer (replays.py) and expires; the rate-limit buckets (throttle.py)
    """
    ALTER TABLE idempotency ADD COLUMN fingerprint TEXT;
    ALTER TABLE idempotency ADD COLUMN status INTEGER;
    ALTER TABLE idempotency ADD COLUMN headers TEXT;
    ALTER TABLE idempotency ADD COLUMN body TEXT;
    ALTER TABLE idempotency ADD COLUMN claimed_until TEXT;
    ALTER TABLE idempotency ADD COLUMN expires_at TEXT;
    UPDATE idempotency SET expires_at = created_at;
    CREATE INDEX idempotency_expiry ON idempotency(expires_at);
    CREATE TABLE rate_limits (
        name TEXT NOT NULL, client TEXT NOT NULL, tat BIGINT NOT NULL,
        allowed INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (name, client)
    );
    CREATE INDEX rate_limits_tat ON rate_limits(tat);
    """,
    # version 8: a version per customer that triggers bump in every write of the customer's
    # data, the answers stored under it (portal/answers.py), the indexes customer screens use
    Dialects(sqlite=answers.migrate_sqlite, postgresql=answers.migrate_postgresql),
    # the billing system's import (portal/integration): a customer's REGON
    """
    ALTER TABLE customers ADD COLUMN regon TEXT NOT NULL DEFAULT '';
    """,
    # PostgreSQL's answer versions bumped once per statement and customer, not per row
    Dialects(sqlite=_unchanged, postgresql=answers.statement_triggers_postgresql),
    # requests that reach the office (portal/dispatch.py): where each request went (its
    # group's addresses, when, whether the mail went), and one row per period of the
    # readings' digest, written by the one process that sends it
    """
    CREATE TABLE request_routes (
        request_id TEXT PRIMARY KEY REFERENCES requests(id),
        group_name TEXT NOT NULL, recipients TEXT NOT NULL, routed_at TEXT NOT NULL,
        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, attempted_at TEXT,
        sent_at TEXT, failure TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX request_routes_state ON request_routes(state, routed_at);
    CREATE TABLE mail_digests (
        name TEXT NOT NULL, slot TEXT NOT NULL, through TEXT NOT NULL,
        count INTEGER NOT NULL, sent_at TEXT NOT NULL, failure TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (name, slot)
    );
    """,
    # the terms' versions kept (history) and each customer's acceptance of one
    # (portal/terms.py), filled with the one version the "terms" setting held
    terms_schema.migrate,
    # the end of a customer's supply contract (portal/contract_end.py): its last day, when
    # the iBOK learnt of it and when the account is deactivated; on the customer's own row,
    # so the triggers of version 8 make their stored answers (Pulpit's banner) old at once
    """
    ALTER TABLE customers ADD COLUMN contract_ended_on TEXT;
    ALTER TABLE customers ADD COLUMN contract_end_recorded_at TEXT;
    ALTER TABLE customers ADD COLUMN deactivates_at TEXT;
    CREATE INDEX customers_deactivation ON customers(deactivates_at)
        WHERE deactivates_at IS NOT NULL;
    """,
    # the notices the iBOK sends (portal/notify.py): one ledger row per notice kind, its
    # subject (an invoice, a meter's legalization, a published notice, a period), customer
    # and channel, claimed before the send, so nothing is sent twice; and the leases by
    # which one worker of many runs the schedule
    """
    CREATE TABLE notice_ledger (
        kind TEXT NOT NULL, subject TEXT NOT NULL, customer_number TEXT NOT NULL,
        channel TEXT NOT NULL, address TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, attempted_at TEXT NOT NULL, sent_at TEXT,
        failure TEXT NOT NULL DEFAULT '', params TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (kind, subject, customer_number, channel)
    );
    CREATE INDEX notice_ledger_customer ON notice_ledger(customer_number, created_at);
    CREATE INDEX notice_ledger_state ON notice_ledger(state, attempted_at);
    CREATE TABLE leases (
        name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL
    );
    CREATE INDEX invoices_issue ON invoices(issue_date);
    CREATE INDEX invoices_due ON invoices(due_date);
    CREATE INDEX meters_legalization ON meters(legalization_expires);
    """,
    # what a registrant gave (portal/lifecycle.py), kept while the account waits for its
    # activation so that the clerk sees it beside what the utility has (the e-mail on
    # record before the registration replaced it); gone once activated, rejected or erased
    """
    CREATE TABLE registrations (
        customer_number TEXT PRIMARY KEY REFERENCES customers(number),
        full_name TEXT NOT NULL, email TEXT NOT NULL, last_invoice TEXT NOT NULL,
        email_on_record TEXT NOT NULL, registered_at TEXT NOT NULL
    );
    """,
    # the histories of readings and scans (portal/history_schema.py): every step with who
    # and when, one step written for each reading and scan stored before
    history_schema.migrate,
    # the accounts still to deactivate, by deadline (portal/contract_end.py's `DUE`, asked
    # at every sign-in): the index of version 13 held every deactivated account too, whose
    # deadline stays for the refusal's words, so the question read more of it every year
    """
    DROP INDEX customers_deactivation;
    CREATE INDEX customers_due ON customers(deactivates_at)
        WHERE deactivates_at IS NOT NULL AND status NOT IN ('deactivated', 'terminated');
    """,
)


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
            for statement in _statements(migration):
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


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
