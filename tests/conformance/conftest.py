"""The conformance suite runs every test once per backend: in process, and over HTTP
against a real `ibok serve` on each store (SQLite, PostgreSQL); each gets a fresh copy of
the seeded demo portal, so tests never depend on each other."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from ibok_tui.backends.base import Backend
from ibok_tui.backends.local import LocalBackend
from tests.support.clock import FakeClock
from tests.support.portal import copy_portal, drop_db

BACKENDS = ["local", "http", "http-postgresql"]


@pytest.fixture(scope="session", autouse=True)
def _stop_http_servers() -> Iterator[None]:
    """The HTTP backend's server process lives for the session; stop it at the end."""
    yield
    from tests.support.http_server import stop_servers

    stop_servers()


class Portal:
    """What a test may know about the iBOK behind a backend: how to make more clients of
    it and where its mail goes. Nothing here reaches into its state."""

    def __init__(self, kind: str, outbox: Path, make: Callable[[], Awaitable[Backend]]) -> None:
        self.kind = kind
        self.outbox = outbox
        self._make = make
        self.clients: list[Backend] = []
        self.db: Path | str | None = None  # the copy of the data it serves

    async def client(self) -> Backend:
        backend = await self._make()
        self.clients.append(backend)
        return backend


@pytest.fixture(params=BACKENDS)
async def portal(
    request: pytest.FixtureRequest, template_db: Path, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Portal]:
    if request.param == "local":
        service = copy_portal(template_db, tmp_path / "portal", clock)

        async def make() -> Backend:
            return LocalBackend(service)

        found = Portal("local", tmp_path / "portal" / "outbox", make)
        found.db = tmp_path / "portal" / "ibok.sqlite"
    else:
        from tests.support.http_server import http_portal

        store = request.param.partition("-")[2] or "sqlite"
        found = await http_portal(template_db, tmp_path, clock, Portal, store)
    yield found
    for client in found.clients:
        await client.close()
    if request.param == "local":
        service.store.close()
    elif found.db is not None:
        drop_db(found.db)


@pytest.fixture
async def backend(portal: Portal) -> Backend:
    """A fresh client of the portal, not signed in."""
    return await portal.client()
