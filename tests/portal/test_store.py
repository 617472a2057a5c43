"""The SQLite store: migrations, WAL, foreign keys, one transaction per write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ibok_tui.portal.store import SCHEMA, Store


def test_a_new_file_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite")
    assert store.version == len(SCHEMA)
    tables = {r[0] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"customers", "meters", "readings", "invoices", "requests", "audit"} <= tables


def test_migrating_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    Store(path).close()
    again = Store(path)
    assert again.version == len(SCHEMA)


def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite")
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA foreign_keys") == 1
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.execute(
            "INSERT INTO points (id, property_id, label) VALUES ('x', 'no-such-property', 'x')"
        )


def test_a_failed_transaction_stores_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite")
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("half-way")
    assert store.scalar("SELECT count(*) FROM settings") == 0


def test_nested_transactions_commit_once_with_the_outer_one(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.sqlite")
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.execute("INSERT INTO settings (key, value) VALUES ('inner', '1')")
        raise RuntimeError("the outer one fails")
    assert store.scalar("SELECT count(*) FROM settings") == 0


def test_an_older_file_gets_only_the_missing_migrations(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    raw.executescript(SCHEMA[0])
    raw.execute("INSERT INTO settings (key, value) VALUES ('kept', '1')")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    store = Store(path)
    assert store.version == len(SCHEMA)
    assert store.scalar("SELECT value FROM settings WHERE key = 'kept'") == "1"


def test_scans_of_an_older_file_become_submitted_and_other_documents_get_no_state(
    tmp_path: Path,
) -> None:
    """Version 2: a scan stored before scans had a state can still be withdrawn."""
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    raw.executescript(SCHEMA[0])
    insert = (
        "INSERT INTO documents (id, customer_number, title, kind, created_on, filename, mime,"
        " content, contract_number) VALUES (?, '100001', 't', ?, '2026-01-01', 'f', 'm', x'00', ?)"
    )
    raw.execute(insert, ("scan", "scan", "UM/1"))
    raw.execute(insert, ("letter", "letter", None))
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    store = Store(path)
    states = dict(store.all("SELECT id, scan_status FROM documents ORDER BY id"))  # type: ignore[arg-type]
    assert states == {"letter": None, "scan": "submitted"}
