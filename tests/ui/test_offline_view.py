"""The offline view (#15.3) in the console, over a real `ibok serve` that is stopped and
started again: every customer tab shows its last data under the banner "offline: dane z …",
what needs the server is dimmed in the key bar (and refused saying why if called all the
same), and the banner goes when the server is back."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console as RichConsole
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from ibok_tui.app import IbokApp
from ibok_tui.backends.http import HttpBackend
from ibok_tui.backends.local import LocalBackend
from ibok_tui.backends.offline import OfflineBackend
from ibok_tui.config import load as load_config
from ibok_tui.config import with_settings
from ibok_tui.credentials import CredentialStore
from ibok_tui.screens.forms.base import TabScreen
from ibok_tui.screens.forms.dialogs import ErrorDialog
from ibok_tui.session.offline import OfflineWatch
from ibok_tui.widgets.header import SessionHeader
from ibok_tui.widgets.key_bar import KeyBar
from ibok_tui.widgets.quick_controls import QuickToggle
from tests.support.clock import FakeClock
from tests.support.http_server import ServerProcess, clock_hook, own_server
from tests.ui.console_support import (
    SIZE,
    Console,
    MemoryKeyring,
    settle,
    sign_in,
    text_of,
)

CUSTOMER_TABS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]


@pytest.fixture
def server(template_db: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    with own_server(template_db, tmp_path / "server") as found:
        yield found


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OfflineWatch, "PROBE_SECONDS", 0.3)


def offline_app(
    console: Console, backend: Any, clock: FakeClock, root: Path, language: str = "pl"
) -> IbokApp:
    wrapped = OfflineBackend(backend, root=root, clock=clock)
    config = with_settings(load_config(console.config_file), language=language)
    return console.app(wrapped, config=config, demo=False)


def key_state(app: IbokApp, key: str) -> tuple[str, bool] | None:
    """The key bar's entry for `key`: its description and whether it is enabled (a
    disabled one is drawn dimmed)."""
    entries = app.screen.query_one(KeyBar).keys()
    for shown, _display, description, enabled in entries:
        if shown == key:
            return description, enabled
    return None


def header_text(app: IbokApp) -> str:
    return str(app.screen.query_one(SessionHeader).render())


def body(screen: Any) -> list[str]:
    """What a tab shows below its header: its tables' rows and its texts."""
    shown: list[str] = []
    for table in screen.query(DataTable):
        shown += [" | ".join(map(str, table.get_row_at(i))) for i in range(table.row_count)]
    for widget in screen.query(Static):
        if isinstance(widget, SessionHeader) or any(
            isinstance(a, SessionHeader) for a in widget.ancestors
        ):
            continue
        content = widget.content
        if isinstance(content, str):
            shown.append(content)
        elif hasattr(content, "plain"):
            shown.append(str(content.plain))
        else:
            out = RichConsole(width=200, file=io.StringIO(), color_system=None, record=True)
            out.print(content)
            shown.append(out.export_text())
    return shown


async def visit(pilot: Pilot[Any], key: str) -> None:
    await pilot.press(key)
    await settle(pilot, 4)


async def wait_until(pilot: Pilot[Any], ready: Any, seconds: float = 30) -> None:
    for _ in range(int(seconds * 10)):
        if ready():
            return
        await pilot.pause(0.1)


async def test_every_tab_shows_its_last_data_offline_with_the_date_and_the_banner_goes_after(
    console: Console, server: ServerProcess, clock: FakeClock, tmp_path: Path
) -> None:
    backend = HttpBackend(server.url, event_hooks={"request": [clock_hook(clock)]}, retries=0)
    app = offline_app(console, backend, clock, tmp_path / "private")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        online: dict[str, list[str]] = {}
        for key in CUSTOMER_TABS:
            await visit(pilot, key)
            assert isinstance(app.screen, TabScreen), key
            assert "offline" not in header_text(app)
            online[key] = body(app.screen)
        await visit(pilot, "1")

        server.stop()
        # every tab made again, as a new start of the tabs would: their data can only come
        # from the offline copy now
        await app.reset_tabs(to_login=False, rebuild_current=True)
        await settle(pilot, 4)
        for key in CUSTOMER_TABS:
            await visit(pilot, key)
            assert isinstance(app.screen, TabScreen), (key, app.screen)
            assert "offline: dane z 21.11.2026 10:00" in header_text(app), key
            assert body(app.screen) == online[key], key

        # what needs the server is dimmed in the key bar and its key does nothing; what
        # the outbox keeps for later stays as it was
        await visit(pilot, "2")
        assert key_state(app, "p") == ("Pobierz PDF", False)
        await pilot.press("p")  # the invoice's PDF
        await settle(pilot)
        assert isinstance(app.screen, TabScreen) and app.screen.TAB_ID == "faktury"
        await visit(pilot, "1")
        assert key_state(app, "o") == ("Podaj odczyt", True)  # the outbox takes a reading
        await visit(pilot, "2")

        server.start()
        await wait_until(pilot, lambda: "offline" not in header_text(app))
        assert "offline" not in header_text(app)
        await settle(pilot)
        assert body(app.screen) == online["2"]
        assert key_state(app, "p") == ("Pobierz PDF", True)


async def test_what_needs_the_server_is_refused_saying_why_when_called_offline(
    console: Console, server: ServerProcess, clock: FakeClock, tmp_path: Path
) -> None:
    """The key is dimmed, but the backend refuses on its own too (the palette, a screen's
    own call): the error says offline and since when."""
    backend = HttpBackend(server.url, event_hooks={"request": [clock_hook(clock)]}, retries=0)
    app = offline_app(console, backend, clock, tmp_path / "private")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        await visit(pilot, "2")
        server.stop()
        await pilot.press("r")
        await settle(pilot, 4)
        assert app.offline
        screen = app.screen
        assert isinstance(screen, TabScreen)
        screen.action_pdf()  # type: ignore[attr-defined]
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        message = text_of(app, "#error-message")
        assert "offline" in message and "21.11.2026 10:00" in message


async def test_the_banner_in_english_and_a_reading_refused_in_its_form_with_what_was_typed(
    console: Console, server: ServerProcess, clock: FakeClock, tmp_path: Path
) -> None:
    backend = HttpBackend(server.url, event_hooks={"request": [clock_hook(clock)]}, retries=0)
    app = offline_app(console, backend, clock, tmp_path / "private", language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        await visit(pilot, "4")
        server.stop()
        await pilot.press("r")
        await settle(pilot, 4)
        assert "offline: data from 21/11/2026 10:00" in header_text(app)
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#index").value = "1018,5"  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = text_of(app, "#problem")
        # the form's own words for a server out of reach: the outbox takes it from here
        assert "Cannot connect to iBOK" in problem and "outbox" in problem, problem
        assert app.screen.query_one("#index").value == "1018,5"  # type: ignore[attr-defined]


async def test_a_remembered_session_starts_offline_on_its_copy_and_resumes_when_the_server_is_back(
    console: Console,
    server: ServerProcess,
    clock: FakeClock,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    root = tmp_path / "private"

    def http() -> HttpBackend:
        return HttpBackend(server.url, event_hooks={"request": [clock_hook(clock)]}, retries=0)

    app = offline_app(console, http(), clock, root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#remember", QuickToggle).value = True
        await sign_in(pilot, "100001")
        await visit(pilot, "2")
        invoices = body(app.screen)
        await visit(pilot, "1")
        pulpit = body(app.screen)
    remembered = CredentialStore("test").load()
    assert remembered is not None and remembered.token
    for path in root.rglob("*.json"):  # the session's copy keeps no token, no password
        assert remembered.token.encode() not in path.read_bytes()
        assert b"Woda!" not in path.read_bytes()

    server.stop()
    app = offline_app(console, http(), clock, root)  # the console started again
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 6)
        await wait_until(pilot, lambda: app.current_mode == "pulpit" and not app.resuming)
        await settle(pilot, 4)
        assert app.current_mode == "pulpit"
        assert "offline: dane z 21.11.2026 10:00" in header_text(app)
        assert body(app.screen) == pulpit
        await visit(pilot, "2")
        assert body(app.screen) == invoices
        await visit(pilot, "3")  # never shown before: nothing to show, and it says why
        assert isinstance(app.screen, ErrorDialog)
        assert "offline" in text_of(app, "#error-message")
        await pilot.press("escape")
        await settle(pilot)

        server.start()
        await wait_until(pilot, lambda: "offline" not in header_text(app))
        assert "offline" not in header_text(app)
        assert app.backend.session is not None
        assert app.backend.session.token == remembered.token  # resumed on the server
        await visit(pilot, "3")
        await pilot.press("r")
        await settle(pilot, 4)
        assert isinstance(app.screen, TabScreen)
        assert app.screen.query(DataTable)


class CopiedAt(LocalBackend):
    """The demo portal under the address of a stopped server (port 9, where nothing
    listens), to make the copy that the snapshot's console reads."""

    @property
    def label(self) -> str:
        return "http://127.0.0.1:9"


def test_pulpit_offline_snapshot(
    snap_compare: Any, console: Console, clock: FakeClock, tmp_path: Path
) -> None:
    import asyncio

    with socket.socket() as probe:  # nothing answers there
        assert probe.connect_ex(("127.0.0.1", 9)) != 0
    root = tmp_path / "private"
    local = console.backend("100001")
    seen = CopiedAt(console.service, session=local.session)

    async def keep() -> None:
        app = offline_app(console, seen, clock, root)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, 4)

    asyncio.run(keep())
    stopped = HttpBackend("http://127.0.0.1:9", session=local.session, retries=0)
    app = offline_app(console, stopped, clock, root)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot, 4)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
