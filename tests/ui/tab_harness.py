"""A tiny app to run one tab or dialog against the seeded demo portal (pinned clock).

It is a host (tests/support/bare_host.py: what screens may ask of the console, with
`show_failure` recorded and shown, no header); it signs in, then pushes the screen under
test.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from ibok_tui.backends.base import Backend
from ibok_tui.backends.local import LocalBackend
from ibok_tui.portal.service import PortalService, open_portal
from tests.support.bare_host import BareHost
from tests.support.clock import FakeClock
from tests.support.layout import until_tables_laid_out

CUSTOMERS = {
    "100001": "Woda!Kowalski1",
    "100002": "Woda!Nowak2026",
    "100003": "Woda!Wisniewski3",
    "200001": "Woda!ZlotyKlos4",
    "100004": "Woda!Wojcik2026",
}
SIZE = (120, 40)


class TabHarness(BareHost):
    CSS = "Screen { background: $background; }"

    def __init__(
        self,
        backend: Backend,
        screen: Callable[[], Screen[Any]],
        customer: str = "100001",
    ) -> None:
        super().__init__(backend)
        self._screen_factory = screen
        self._customer = customer

    async def on_mount(self) -> None:
        if self.backend.session is None:
            await self.backend.login(self._customer, CUSTOMERS[self._customer])
        await self.push_screen(self._screen_factory())


def open_copy(template: Path, folder: Path) -> PortalService:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ibok.sqlite"
    shutil.copyfile(template, path)
    return open_portal(path, outbox=folder / "outbox", clock=FakeClock())


@pytest.fixture
def service(template_db: Path, tmp_path: Path) -> Iterator[PortalService]:
    found = open_copy(template_db, tmp_path / "portal")
    yield found
    found.store.close()


@pytest.fixture
def local(service: PortalService) -> Iterator[LocalBackend]:
    backend = LocalBackend(service)
    yield backend
    backend._executor.shutdown(wait=True)


def signed_in(backend: LocalBackend, customer: str) -> LocalBackend:
    """Sign `backend` in outside any app (for snapshot tests that build the app first)."""
    asyncio.run(backend.login(customer, CUSTOMERS[customer]))
    return backend


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen repaint."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await until_tables_laid_out(pilot)
