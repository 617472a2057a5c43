"""The console under test: a copy of the seeded demo portal (pinned clock), an in-memory
keyring, the configuration and downloads in the test's folder, a pinned terminal size."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from textual.pilot import Pilot
from textual.widgets import DirectoryTree
from textual.worker import WorkerCancelled

from ibok_tui.app import IbokApp
from ibok_tui.backends.base import Backend
from ibok_tui.backends.local import LocalBackend
from ibok_tui.config import Config
from ibok_tui.config import load as load_config
from ibok_tui.credentials import CredentialStore
from ibok_tui.domain.models import Role
from ibok_tui.i18n import set_language
from ibok_tui.portal.service import PortalService
from tests.support.clock import FakeClock
from tests.support.layout import until_tables_laid_out
from tests.support.portal import copy_portal

SIZE = (120, 40)
SMALL = (80, 24)
PASSWORDS = {
    "100001": "Woda!Kowalski1",
    "100002": "Woda!Nowak2026",
    "100003": "Woda!Wisniewski3",
    "200001": "Woda!ZlotyKlos4",
    "100004": "Woda!Wojcik2026",
    "100007": "Nadane!Haslo77",
}


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict: the unit tests' OS keyring."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError(username)
        del self.entries[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def polish_by_default() -> Iterator[None]:
    set_language("pl")
    yield
    set_language("pl")


@pytest.fixture
def console_service(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[PortalService]:
    found = copy_portal(template_db, tmp_path / "portal", clock)
    yield found
    found.store.close()


@dataclass
class Console:
    """Everything a test needs to build apps over one portal."""

    service: PortalService
    folder: Path
    clock: FakeClock
    opened: list[Path] = field(default_factory=list)

    @property
    def outbox(self) -> Path:
        return self.folder / "portal" / "outbox"

    @property
    def downloads(self) -> Path:
        return self.folder / "downloads"

    @property
    def config_file(self) -> Path:
        return self.folder / "config" / "config.toml"

    def backend(self, signed_in: str | None = None) -> LocalBackend:
        session = None
        if signed_in is not None:
            session = self.service.login(signed_in, PASSWORDS[signed_in])
        return LocalBackend(self.service, session=session)

    def app(
        self,
        backend: Backend | None = None,
        *,
        config: Config | None = None,
        remember: bool = True,
        demo: bool = True,
        tabs_ahead: int = 0,
    ) -> IbokApp:
        """The app as the CLI makes it; with no tabs made ahead of the user unless asked
        (`tabs_ahead`): they are made when the console has been quiet for a moment, which
        on a loaded machine falls anywhere in a test (tests/ui/test_tabs_ahead.py)."""
        app = IbokApp(
            backend or self.backend(),
            config=config or load_config(self.config_file),  # as the CLI reads it
            config_file=self.config_file,
            profile="test",
            credentials=CredentialStore("test") if remember else None,
            demo=demo,
            downloads_dir=self.downloads,
            opener=self.opened.append,
            files_root=self.folder,
            tabs_ahead=tabs_ahead,
        )
        return app


@pytest.fixture
def console(console_service: PortalService, tmp_path: Path, clock: FakeClock) -> Console:
    return Console(console_service, tmp_path, clock)


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.pause()
        # a DirectoryTree's loaders run as long as the tree is shown
        busy = [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]
        if busy:  # an empty list would mean every worker
            with contextlib.suppress(WorkerCancelled):
                await pilot.app.workers.wait_for_complete(busy)
    await until_tables_laid_out(pilot)


async def sign_in(pilot: Pilot[Any], number: str, password: str | None = None) -> None:
    """Type the customer number and password on the login screen and press Enter."""
    app = pilot.app
    app.screen.query_one("#number").value = number  # type: ignore[attr-defined]
    app.screen.query_one("#password").value = (  # type: ignore[attr-defined]
        PASSWORDS.get(number, "") if password is None else password
    )
    app.screen.query_one("#password").focus()
    await pilot.press("enter")
    await settle(pilot)


async def wait_for_text(pilot: Pilot[Any], selector: str, text: str, seconds: float = 30) -> str:
    """What `selector` shows once it shows `text`, or after `seconds` (work on a thread,
    such as the captcha's proof of work, takes longer on a busy machine)."""
    for _ in range(int(seconds * 10)):
        if text_of(pilot.app, selector) == text:  # type: ignore[arg-type]
            break
        await pilot.pause(0.1)
    return text_of(pilot.app, selector)  # type: ignore[arg-type]


def text_of(app: IbokApp, selector: str) -> str:
    """The plain text a Static shows (Rich tables and groups rendered 200 columns wide)."""
    widget = app.screen.query_one(selector)
    content = getattr(widget, "content", None)
    if content is None:
        content = widget.render()
    if isinstance(content, str):
        return content
    if hasattr(content, "plain"):
        return str(content.plain)
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.export_text()


def is_customer(app: IbokApp) -> bool:
    session = app.backend.session
    return session is not None and session.role is Role.CUSTOMER
