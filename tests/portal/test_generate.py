"""`ibok generate`: the same data in one process or several, the search index filled, and
a progress bar on a terminal only."""

from __future__ import annotations

import gc
import hashlib
import os
import pty
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ibok_tui.portal.demo.synthetic import generate
from ibok_tui.portal.store import Store
from ibok_tui.portal.stores import open_store
from tests.ui.test_kiosk_terminal import _read as read_terminal

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, tzinfo=UTC)
TABLES = ("customers", "meters", "readings", "invoices", "invoice_lines", "payments")


def _digest(store: Store) -> dict[str, str]:
    found = {}
    for table in TABLES:
        rows = store.all(f"SELECT * FROM {table} ORDER BY 1, 2")
        kept = [  # the password's hash is salted: it differs each run
            tuple(r[k] for k in r.keys() if k != "password_hash")  # noqa: SIM118 (a row: values)
            for r in rows
        ]
        found[table] = hashlib.sha256(repr(kept).encode()).hexdigest()
    return found


def test_several_workers_write_what_one_writes_and_progress_reaches_the_total(
    tmp_path: Path,
) -> None:
    one, two = open_store(tmp_path / "one.sqlite"), open_store(tmp_path / "two.sqlite")
    seen: list[int] = []
    generate(one, customers=7, years=1, today=TODAY, now=NOW, batch=3)
    generate(
        two,
        customers=7,
        years=1,
        today=TODAY,
        now=NOW,
        batch=3,
        workers=2,
        progress=lambda done, total: seen.append(done),
    )
    assert _digest(one) == _digest(two)
    # in the same order too: the workers' packed batches are copied in as they were made
    for table in ("readings", "invoices", "invoice_lines", "payments"):
        query = f"SELECT rowid, * FROM {table} ORDER BY rowid"
        assert [tuple(r) for r in one.all(query)] == [tuple(r) for r in two.all(query)]
    assert two.scalar("SELECT count(*) FROM customers WHERE number >= '500000'") == 7
    assert seen == [3, 6, 7]
    # the indexes the load set aside are back
    names = {r[0] for r in two.all("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"readings_meter", "invoices_customer", "payments_customer"} <= names


def test_postgresql_gets_the_same_data_as_sqlite(tmp_path: Path) -> None:
    from tests.support.postgres import cluster

    url = cluster().new_database()
    sqlite, postgresql = open_store(tmp_path / "one.sqlite"), open_store(url)
    seen: list[str] = []
    postgresql.trace(seen.append)
    for store in (sqlite, postgresql):
        generate(store, customers=5, years=1, today=TODAY, now=NOW, batch=2)
    postgresql.trace(None)
    assert _digest(postgresql) == _digest(sqlite)
    # PostgreSQL took the synthetic customers' rows by COPY, not row by row
    copied = {s.split()[1] for s in seen if s.startswith("COPY")}
    assert copied >= {"customers", "properties", "points", "meters", "contracts"}
    assert copied >= {"readings", "invoices", "invoice_lines", "payments"}
    # with the secondary indexes set aside until the end, and back
    assert 'DROP INDEX "readings_meter"' in seen
    names = {r[0] for r in postgresql.all("SELECT indexname FROM pg_indexes")}
    assert {"readings_meter", "invoices_customer", "payments_customer"} <= names
    assert postgresql.scalar("SELECT count(*) FROM customer_search") == 5 + sqlite.scalar(
        "SELECT count(*) FROM customers WHERE number < '500000'"
    )
    postgresql.close()
    cluster().drop(url)


def test_the_expansion_leaves_no_reference_cycles() -> None:
    """The workers expand and pack with the cycle collector off (scanning their rows again
    and again took a fifth of their time): safe only while nothing they make is a cycle."""
    from ibok_tui.portal.demo import synthetic
    from ibok_tui.portal.store import SqliteStore

    synthetic._start_expanding(synthetic.expansion_setting(SqliteStore, TODAY, NOW, "hash"))
    rng = random.Random(7)
    specs = [synthetic.synthetic_customer(rng, index, 2) for index in range(60)]
    gc.collect()
    gc.disable()
    try:
        packed = synthetic._packed(specs)
        assert gc.isenabled() is False  # the worker's own switch left it as it found it
        del packed
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0


def _foreign_keys(store: Store) -> set[tuple[str, str]]:
    rows = store.all(
        "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f'"
    )
    return {(r[0], r[1]) for r in rows}


def test_postgresql_bulk_load_checks_the_foreign_keys_it_set_aside_at_its_end() -> None:
    """The load drops the big tables' foreign keys (row-by-row checks cost the server more
    than the COPY) and adds them again at the end: a row without its parent still fails."""
    import psycopg

    from tests.support.postgres import cluster

    url = cluster().new_database()
    store = open_store(url)
    keys = _foreign_keys(store)
    assert ("payments", "FOREIGN KEY (customer_number) REFERENCES customers(number)") in keys
    seen: list[str] = []
    store.trace(seen.append)
    with store.bulk_load(("payments",)):
        assert ("payments", "FOREIGN KEY (customer_number) REFERENCES customers(number)") not in (
            _foreign_keys(store)
        )
    store.trace(None)
    assert any(s.startswith("ALTER TABLE payments ADD CONSTRAINT") for s in seen)
    assert _foreign_keys(store) == keys
    orphan = (
        "INSERT INTO payments (id, customer_number, paid_on, amount, title) VALUES (?, ?, ?, ?, ?)"
    )
    loaded = []
    with pytest.raises(psycopg.errors.ForeignKeyViolation), store.bulk_load(("payments",)):
        with store.transaction():  # taken while the key is set aside
            store.load(orphan, [("W-x-1", "no-such-customer", "2026-11-20", 100, "x")])
        loaded.append(store.scalar("SELECT count(*) FROM payments WHERE id = 'W-x-1'"))
    assert loaded == [1]  # and refused at the end: the load fails (a database to drop)
    store.close()
    cluster().drop(url)


def _command(db: Path) -> list[str]:
    code = "import sys; from ibok_tui.cli import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, "generate", "--db", str(db), "--customers", "4"]


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": root, "COLUMNS": "100"}


def test_without_a_terminal_it_prints_no_progress(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_command(tmp_path / "a.sqlite"), "--years", "1", "--workers", "1"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
        check=True,
    )
    assert done.stderr.strip().splitlines() == [f"Gotowe: {tmp_path / 'a.sqlite'}"]


def test_on_a_terminal_it_draws_a_bar_with_the_count_and_the_time_left(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*_command(tmp_path / "b.sqlite"), "--years", "1", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**_env(), "TERM": "xterm-256color"},
    )
    os.close(follower)
    output = read_terminal(leader, time.monotonic() + 300)  # until the process closes it
    assert process.wait(timeout=300) == 0
    text = output.decode("utf-8", "replace")
    assert "klienci" in text and "4/4" in text and "pozostało" in text
    assert "klientów" not in text  # the old growing line is gone
    assert "Gotowe" in text
