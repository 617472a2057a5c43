"""The portal's tests run on both stores: a fresh copy of the seeded demo data in a SQLite
file, and in a PostgreSQL database of the test cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ibok_tui.portal.service import PortalService, open_portal
from tests.support.clock import FakeClock
from tests.support.portal import STORES, copy_portal, drop_db


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def portal(
    template_db: Path, tmp_path: Path, clock: FakeClock, store_kind: str
) -> Iterator[PortalService]:
    service = copy_portal(template_db, tmp_path, clock, store_kind)  # mail: tmp_path/outbox
    yield service
    service.store.close()
    if store_kind == "postgresql":
        drop_db(service.store.url)  # type: ignore[attr-defined]


@pytest.fixture
def other(portal: PortalService, tmp_path: Path, clock: FakeClock) -> Iterator[PortalService]:
    """A second portal over the same store, as a second server process has."""
    store = portal.store
    where = getattr(store, "url", None) or getattr(store, "path")  # noqa: B009
    second = open_portal(where, outbox=tmp_path / "outbox-2", clock=clock)
    yield second
    second.store.close()
