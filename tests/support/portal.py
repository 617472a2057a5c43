"""A seeded portal per test: the demo data is seeded once per run into a template (a
SQLite file, and a PostgreSQL database when a test asks for that store), and every test
gets its own copy of it."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ibok_tui.portal.service import PortalService, open_portal

from .clock import FakeClock

STORES = ["sqlite", "postgresql"]
_PG_TEMPLATE = "ibok_template"


def seed_template(folder: Path) -> Path:
    """Seed the demo data with the pinned clock into `folder`; returns the database file."""
    path = folder / "template.sqlite"
    service = open_portal(path, clock=FakeClock(), seed_demo=True)
    service.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service.store.close()
    return path


_pg_seeded: list[str] = []


def pg_template() -> str:
    """The name of this process's PostgreSQL template database, seeded on first use."""
    from .postgres import cluster

    if not _pg_seeded:
        server = cluster()
        server.sql(f"CREATE DATABASE {_PG_TEMPLATE}")
        service = open_portal(server.url(_PG_TEMPLATE), clock=FakeClock(), seed_demo=True)
        service.store.close()
        _pg_seeded.append(_PG_TEMPLATE)
    return _pg_seeded[0]


def copy_db(kind: str, template: Path, folder: Path) -> Path | str:
    """A fresh copy of the seeded data in the store `kind`: a file in `folder`, or a new
    PostgreSQL database's URL (dropped by `drop_db`)."""
    if kind == "postgresql":
        from .postgres import cluster

        return cluster().new_database(template=pg_template())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ibok.sqlite"
    shutil.copyfile(template, path)
    return path


def drop_db(db: Path | str) -> None:
    if isinstance(db, str):
        from .postgres import cluster

        cluster().drop(db)


def copy_portal(
    template: Path, folder: Path, clock: FakeClock, kind: str = "sqlite"
) -> PortalService:
    db = copy_db(kind, template, folder)
    folder.mkdir(parents=True, exist_ok=True)
    return open_portal(db, outbox=folder / "outbox", clock=clock)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Each call on a thread of its own, all started at once; the results (or errors)."""
    results: list[Any] = [None] * len(calls)

    def run(number: int) -> None:
        try:
            results[number] = calls[number]()
        except BaseException as error:
            results[number] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
