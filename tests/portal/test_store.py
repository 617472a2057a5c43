"""The stores, SQLite and PostgreSQL, behind one interface: migrations (also when several
processes start at once), one transaction per write, constraints the database enforces;
and what only SQLite has (WAL, a file's `user_version`)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ibok_tui.portal.schema import SCHEMA, Dialects
from ibok_tui.portal.store import Store, shown
from ibok_tui.portal.stores import open_store
from tests.support.portal import STORES


@pytest.fixture(params=STORES)
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where a new, empty store goes: a file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "a.sqlite"
        return
    from tests.support.postgres import cluster

    url = cluster().new_database()
    yield url
    cluster().drop(url)


@pytest.fixture
def store(new_db: Path | str) -> Iterator[Store]:
    opened = open_store(new_db)
    yield opened
    opened.close()


def _tables(store: Store) -> set[str]:
    if store.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {r[0] for r in store.all(sql)}


def test_a_new_store_is_migrated_to_the_latest_version(store: Store) -> None:
    assert store.version == len(SCHEMA)
    tables = _tables(store)
    assert {"customers", "meters", "readings", "invoices", "requests", "audit"} <= tables


def test_migrating_again_changes_nothing(new_db: Path | str) -> None:
    open_store(new_db).close()
    again = open_store(new_db)
    assert again.version == len(SCHEMA)
    again.close()


@pytest.mark.parametrize("starting", [4])
def test_servers_starting_at_once_migrate_once(new_db: Path | str, starting: int) -> None:
    """Several processes opening a new store at the same moment: each waits for the one
    migrating, sees the version it reached and applies nothing twice."""
    ready = threading.Barrier(starting)
    opened: list[Store] = []
    failed: list[BaseException] = []

    def start() -> None:
        ready.wait()
        try:
            opened.append(open_store(new_db))
        except BaseException as error:
            failed.append(error)

    threads = [threading.Thread(target=start) for _ in range(starting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failed == []
    assert [s.version for s in opened] == [len(SCHEMA)] * starting
    for each in opened:
        each.close()


def test_a_failed_transaction_stores_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("half-way")
    assert store.scalar("SELECT count(*) FROM settings") == 0


def test_nested_transactions_commit_once_with_the_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.execute("INSERT INTO settings (key, value) VALUES ('inner', '1')")
        raise RuntimeError("the outer one fails")
    assert store.scalar("SELECT count(*) FROM settings") == 0


def test_foreign_keys_hold(store: Store) -> None:
    with pytest.raises(store.integrity_error), store.transaction():
        store.execute(
            "INSERT INTO points (id, property_id, label) VALUES ('x', 'no-such-property', 'x')"
        )


def test_rows_are_read_by_name_and_by_position_and_the_neutral_sql_runs(store: Store) -> None:
    with store.transaction():
        store.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?), (?, ?)", ("a", "50%", "b", "'?'")
        )
        store.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            ("a", "100% '?'"),
        )
        made = store.one(
            "INSERT INTO audit (at, operator, customer_number, action) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            ("2026-11-21T09:00:00+00:00", "op", "100001", "x"),
        )
    assert made is not None and made[0] >= 1
    row = store.one(
        "SELECT key, value AS Shown FROM settings WHERE value LIKE '%?%' AND key = ?", ("b",)
    )
    assert row is not None
    assert (row[0], row["key"], row["shown"], row["SHOWN"], len(row)) == ("b", "b", "'?'", "'?'", 2)
    assert store.scalar("SELECT value FROM settings WHERE key = 'a'") == "100% '?'"
    assert (
        store.execute("UPDATE settings SET value = '%' WHERE key IN (?, ?)", ("a", "b")).rowcount
        == 2
    )
    blob = bytes(range(256))
    with store.transaction():
        store.execute(
            "INSERT INTO customers (number, name, kind, street, building, postal_code, city,"
            " status, bank_account) VALUES ('1', 'n', 'person', 's', 'b', 'p', 'c', 'active', '')"
        )
        store.execute(
            "INSERT INTO documents (id, customer_number, title, kind, created_on, filename,"
            " mime, content) VALUES ('d', '1', 't', 'letter', '2026-01-01', 'f', 'm', ?)",
            (blob,),
        )
    assert bytes(store.scalar("SELECT content FROM documents WHERE id = 'd'")) == blob
    assert store.scalar("SELECT length(content) FROM documents") == 256


def _insert_key(store: Store) -> None:
    store.execute(
        "INSERT INTO idempotency (scope, key, result, created_at) VALUES (?, ?, ?, ?)",
        ("100001:reading", "k-1", "R-1", "2026-11-21T09:00:00+00:00"),
    )


def test_a_double_submission_is_refused_by_the_database_not_by_a_lock_in_python(
    new_db: Path | str,
) -> None:
    """Two stores (as two server processes) record the same idempotency key at once: the
    first wins, the second fails on the table's key, whatever the order they commit in."""
    first, second = open_store(new_db), open_store(new_db)
    inserted = threading.Event()
    outcome: dict[Store, BaseException | None] = {}

    def racing(store: Store, before: Callable[[], None], after: Callable[[], None]) -> None:
        try:
            before()
            with store.transaction():
                _insert_key(store)
                after()
            outcome[store] = None
        except BaseException as error:
            outcome[store] = error

    one = threading.Thread(
        target=racing, args=(first, lambda: None, lambda: (inserted.set(), time.sleep(0.3)))
    )
    two = threading.Thread(target=racing, args=(second, inserted.wait, lambda: None))
    one.start()
    two.start()
    one.join(60)
    two.join(60)
    assert outcome[first] is None
    assert isinstance(outcome[second], second.integrity_error), outcome
    assert first.scalar("SELECT count(*) FROM idempotency") == 1
    first.close()
    second.close()


def test_a_url_is_shown_without_its_password() -> None:
    url = "postgresql://ibok:s3cr%40t@db.example.pl:5432/ibok?sslmode=require"
    assert shown(url) == "postgresql://ibok:***@db.example.pl:5432/ibok?sslmode=require"
    assert "s3cr" not in shown(url)
    assert shown("postgresql://ibok@db/ibok") == "postgresql://ibok@db/ibok"
    assert shown(Path("/srv/ibok.sqlite")) == "/srv/ibok.sqlite"


# --- SQLite only -----------------------------------------------------------------------


def test_wal_is_on(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.sqlite")
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA foreign_keys") == 1


def _version_1() -> str:
    first = SCHEMA[0]
    assert isinstance(first, Dialects) and isinstance(first.sqlite, str)
    return first.sqlite


def test_an_older_file_gets_only_the_missing_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    raw.executescript(_version_1())
    raw.execute("INSERT INTO settings (key, value) VALUES ('kept', '1')")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    store = open_store(path)
    assert store.version == len(SCHEMA)
    assert store.scalar("SELECT value FROM settings WHERE key = 'kept'") == "1"


def test_scans_of_an_older_file_become_submitted_and_other_documents_get_no_state(
    tmp_path: Path,
) -> None:
    """Version 2: a scan stored before scans had a state can still be withdrawn."""
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    raw.executescript(_version_1())
    insert = (
        "INSERT INTO documents (id, customer_number, title, kind, created_on, filename, mime,"
        " content, contract_number) VALUES (?, '100001', 't', ?, '2026-01-01', 'f', 'm', x'00', ?)"
    )
    raw.execute(insert, ("scan", "scan", "UM/1"))
    raw.execute(insert, ("letter", "letter", None))
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    store = open_store(path)
    states = dict(store.all("SELECT id, scan_status FROM documents ORDER BY id"))  # type: ignore[arg-type]
    assert states == {"letter": None, "scan": "submitted"}


def test_reads_beside_a_transaction_run_at_once_and_see_only_what_is_committed(
    tmp_path: Path,
) -> None:

    store = open_store(tmp_path / "a.sqlite")
    store.execute("INSERT INTO settings (key, value) VALUES ('k', 'before')")
    inside, seen = threading.Event(), []

    def other_thread() -> None:
        inside.wait(5)
        # the writer holds the transaction (and the store's lock): this read must not wait
        seen.append(store.scalar("SELECT value FROM settings WHERE key = 'k'"))

    reader = threading.Thread(target=other_thread)
    reader.start()
    with store.transaction():
        store.execute("UPDATE settings SET value = 'after' WHERE key = 'k'")
        # the writer's own reads see its write
        assert store.scalar("SELECT value FROM settings WHERE key = 'k'") == "after"
        inside.set()
        reader.join(5)
        assert not reader.is_alive() and seen == ["before"]
    assert store.scalar("SELECT value FROM settings WHERE key = 'k'") == "after"


def test_threads_that_read_in_turn_share_one_reading_connection(tmp_path: Path) -> None:
    """A reading connection is the store's, not a thread's: threads that read one after
    another (a pool's, a crowd's) open one between them; reads at once open one each."""
    store = open_store(tmp_path / "a.sqlite")
    for _ in range(5):
        thread = threading.Thread(target=store.scalar, args=("SELECT count(*) FROM settings",))
        thread.start()
        thread.join()
    store.scalar("SELECT count(*) FROM settings")
    assert len(store._readers or []) == 1  # type: ignore[attr-defined]
    inside, release = threading.Event(), threading.Event()

    def read_slowly() -> None:
        store.scalar("SELECT wait_here()")

    def wait_here() -> int:
        inside.set()
        release.wait(5)
        return 1

    for reader in store._readers or []:  # type: ignore[attr-defined]
        reader.create_function("wait_here", 0, wait_here)
    first = threading.Thread(target=read_slowly)
    first.start()
    inside.wait(5)  # the first read holds the idle connection: the next ones open their own
    assert store._readers == []  # type: ignore[attr-defined]
    second = threading.Thread(target=store.scalar, args=("SELECT count(*) FROM settings",))
    second.start()
    second.join(5)
    assert len(store._readers or []) == 1  # type: ignore[attr-defined]
    release.set()
    first.join(5)
    assert len(store._readers or []) == 2  # type: ignore[attr-defined]
    store.close()


def test_the_terms_an_older_file_kept_become_its_first_version(tmp_path: Path) -> None:
    """The terms' migration: the one version the "terms" setting held is kept as the first
    of the versions (history), and customers who accepted it need not accept it again."""
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    raw.executescript(_version_1())
    terms = '{"version": "2025.3", "effective_from": "2025-03-01", "text": "§1. Stare."}'
    raw.execute("INSERT INTO settings (key, value) VALUES ('terms', ?)", (terms,))
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    store = open_store(path)
    [kept] = store.all("SELECT version, effective_from, text, published_at FROM terms_versions")
    assert tuple(kept) == ("2025.3", "2025-03-01", "§1. Stare.", "2025-03-01T00:00:00+00:00")
    assert store.scalar("SELECT value FROM settings WHERE key = 'terms'") is None


def test_a_write_with_returning_goes_through_the_writing_connection(tmp_path: Path) -> None:
    """An upsert read back with RETURNING (a rate-limit bucket, an idempotency claim) is a
    write: on the thread's reading connection it took SQLite's write lock beside the
    writer's and slept in the busy handler when they met. It runs on the writer, behind
    the store's lock; a plain SELECT still reads on a reading connection."""
    store = open_store(tmp_path / "a.sqlite")
    opened: dict[str, bool] = {}

    def other_thread() -> None:
        row = store.one(
            "INSERT INTO settings (key, value) VALUES ('k', 'v')"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING value"
        )
        assert row is not None and row["value"] == "v"
        opened["write"] = bool(store._readers)  # type: ignore[attr-defined]
        store.all("SELECT key FROM settings")
        opened["read"] = bool(store._readers)  # type: ignore[attr-defined]

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join(10)
    assert opened == {"write": False, "read": True}
    assert store.scalar("SELECT value FROM settings WHERE key = 'k'") == "v"
    store.close()


def test_readings_and_scans_stored_before_their_histories_get_a_first_step(
    new_db: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The histories' migration, on both stores: a customer's reading was "submitted" by the
    customer (or the clerk at the desk) when it was, the utility's own "recorded" on its
    day, a scan is in its state since its day; other documents get no step."""
    from ibok_tui.portal import history_schema
    from ibok_tui.portal import store as store_module
    from ibok_tui.portal.history_schema import DESK_NOTE

    before = SCHEMA.index(history_schema.migrate)
    monkeypatch.setattr(store_module, "SCHEMA", SCHEMA[:before])
    old = open_store(new_db)
    with old.transaction():
        old.execute(
            "INSERT INTO customers (number, name, kind, street, building, postal_code, city,"
            " status, bank_account) VALUES ('1', 'K', 'person', 's', '1', '00-001', 'c',"
            " 'active', '0')"
        )
        old.execute(
            "INSERT INTO properties (id, customer_number, label, street, building,"
            " postal_code, city) VALUES ('P', '1', 'l', 's', '1', '00-001', 'c')"
        )
        old.execute("INSERT INTO points (id, property_id, label) VALUES ('PT', 'P', 'l')")
        old.execute(
            "INSERT INTO meters (id, serial, property_id, point_id, role, diameter_mm,"
            " location, status, owner, installed_on, legalization_expires, resolution)"
            " VALUES ('M', 'S', 'P', 'PT', 'main', 15, 'l', 'active', 'utility',"
            " '2020-01-01', '2025-01-01', 'month')"
        )
        reading = (
            "INSERT INTO readings (id, meter_id, read_on, idx, type, status, submitted_at, note)"
            " VALUES (?, 'M', ?, ?, ?, ?, ?, ?)"
        )
        old.execute(reading, ("r1", "2026-01-31", 100, "collector", "accepted", None, ""))
        old.execute(
            reading, ("r2", "2026-02-28", 200, "self", "pending", "2026-03-01T08:00:00+00:00", "")
        )
        old.execute(
            reading,
            ("r3", "2026-03-31", 300, "self", "pending", "2026-04-01T08:00:00+00:00", DESK_NOTE),
        )
        document = (
            "INSERT INTO documents (id, customer_number, title, kind, created_on, filename,"
            " mime, content, contract_number, scan_status)"
            " VALUES (?, '1', 't', ?, '2026-02-02', 'f', 'm', ?, ?, ?)"
        )
        old.execute(document, ("d1", "scan", b"x", "UM/1", "submitted"))
        old.execute(document, ("d2", "scan", b"x", "UM/1", "accepted"))
        old.execute(document, ("d3", "letter", b"x", None, None))
    old.close()
    monkeypatch.setattr(store_module, "SCHEMA", SCHEMA)
    store = open_store(new_db)
    try:
        assert store.version == len(SCHEMA)
        steps = [
            tuple(r)
            for r in store.all(
                "SELECT reading_id, at, kind, author, idx FROM reading_events ORDER BY reading_id"
            )
        ]
        assert steps == [
            ("r1", "2026-01-31", "recorded", "system", 100),  # a day, no time (day_only)
            ("r2", "2026-03-01T08:00:00+00:00", "submitted", "customer", 200),
            ("r3", "2026-04-01T08:00:00+00:00", "submitted", "BOK", 300),
        ]
        scans = [
            tuple(r)
            for r in store.all(
                "SELECT document_id, at, status, author FROM document_events ORDER BY document_id"
            )
        ]
        assert scans == [
            ("d1", "2026-02-02", "submitted", "customer"),
            ("d2", "2026-02-02", "accepted", "system"),
        ]
    finally:
        store.close()


# (no NUL: PostgreSQL text cannot hold one, and the server refuses it at the door)
HOSTILE = ("\x1b[31m", "\x07", "a\r\nb", "\u202ename", "[b]x[/b]", "x" * 100_000, "\x7f\x9b")


def test_a_packed_batch_is_taken_in_as_the_rows_themselves(store: Store) -> None:
    """`ibok generate`'s workers pack their batches (SQLite: a database in memory, copied in
    by INSERT ... SELECT); what arrives is what a direct load stores, value for value, in
    order, whatever the text holds; a batch with a statement that is not a plain insert is
    taken in as it is."""
    insert = "INSERT INTO settings (key, value) VALUES (?, ?)"
    rows = [(f"k{i}", text) for i, text in enumerate(HOSTILE)]
    store.load_packed(type(store).packed({insert: rows}))
    found = store.all("SELECT key, value FROM settings WHERE key LIKE 'k%' ORDER BY key")
    assert [tuple(r) for r in found] == sorted(rows)
    # typed as a direct insert types them: the integer stays an integer, NULL stays NULL
    failures = "INSERT INTO login_failures (subject, failures, locked_until) VALUES (?, ?, ?)"
    store.load_packed(type(store).packed({failures: [("\u202es", 2**31 - 1, None)]}))
    found_failure = store.one("SELECT subject, failures, locked_until FROM login_failures")
    assert tuple(found_failure) == ("\u202es", 2**31 - 1, None)
    upsert = insert + " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    batch = {upsert: [("k0", "again")]}
    assert type(store).packed(batch) is batch
    store.load_packed(batch)
    assert store.scalar("SELECT value FROM settings WHERE key = 'k0'") == "again"
