"""A seeded portal per test: the demo data is seeded once per run into a template file,
and every test gets its own copy of that SQLite file."""

from __future__ import annotations

import shutil
from pathlib import Path

from ibok_tui.portal.service import PortalService, open_portal

from .clock import FakeClock


def seed_template(folder: Path) -> Path:
    """Seed the demo data with the pinned clock into `folder`; returns the database file."""
    path = folder / "template.sqlite"
    service = open_portal(path, clock=FakeClock(), seed_demo=True)
    service.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    service.store.close()
    return path


def copy_portal(template: Path, folder: Path, clock: FakeClock) -> PortalService:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ibok.sqlite"
    shutil.copyfile(template, path)
    return open_portal(path, outbox=folder / "outbox", clock=clock)
