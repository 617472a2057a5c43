"""The one opener of a store, above both: `store.py` (the interface and SQLite) and
`pgstore.py` (PostgreSQL, which builds on the interface)."""

from __future__ import annotations

from pathlib import Path

from .store import SqliteStore, Store, is_url


def open_store(db: str | Path) -> Store:
    """The store `db` names, created and migrated: a `postgresql://` URL (the server's
    libraries, imported only then), or the path of a SQLite file."""
    if is_url(db):
        from .pgstore import PostgresStore

        return PostgresStore(str(db))
    return SqliteStore(db)
