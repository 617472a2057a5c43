"""The typed host (ibok_tui/host.py): screens see the console only through it; the console
and the tests' bare host both implement it; session control is composed, not inherited;
Pulpit tells the header by a message; the kiosk's policy reaches the screens through the
host and replaces no method of theirs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.app import App

from ibok_tui.app import IbokApp
from ibok_tui.backends.local import LocalBackend
from ibok_tui.host import Host, ScreenPolicy
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.screens.forms.base import TabScreen
from ibok_tui.session.controller import SessionControl
from ibok_tui.session.desk import Desk
from ibok_tui.widgets.header import DashboardShown
from tests.support.bare_host import BareHost
from tests.ui.console_support import Console, sign_in
from tests.ui.console_support import settle as settle_console
from tests.ui.tab_harness import SIZE, TabHarness, local, service, settle  # noqa: F401

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"
# reading the app around the host's back: by name, or past mypy
AROUND_THE_HOST = re.compile(
    r"getattr\((self\.)?app\b|type: ignore\[attr-defined\]|\bapp: Any\b|setattr\(screen\b"
)


def _members(protocol: type) -> set[str]:
    return {
        name for name in vars(protocol) if not name.startswith("_") and name not in ("mro",)
    } | set(getattr(protocol, "__annotations__", {}))


def test_no_screen_reads_the_app_around_the_host() -> None:
    found = []
    for folder in ("screens", "session"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if AROUND_THE_HOST.search(line):
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def test_the_pattern_finds_what_it_forbids() -> None:
    for line in (
        'folder = getattr(self.app, "downloads_dir", None)',
        "self.app.backend  # type: ignore[attr-defined]",
        "async def open_customer(self, app: Any, customer) -> None:",
        'setattr(screen, "check_action", check_action)',
    ):
        assert AROUND_THE_HOST.search(line), line
    assert not AROUND_THE_HOST.search("backend = host_of(self).backend")


def test_the_console_and_the_bare_host_have_every_member_of_the_host() -> None:
    members = _members(Host)
    assert {"backend", "show_failure", "now", "downloads_dir", "open_file"} <= members
    assert {"selected_property", "serve_customer", "screen_policy", "change_language"} <= members
    for host in (IbokApp, BareHost):
        instance_only = {"demo", "downloads_dir", "files_root", "first_frame_shown"}
        if host is BareHost:  # plain attributes set in __init__
            instance_only |= {
                "backend",
                "selected_property",
                "profile_data",
                "resuming",
                "start_view_coming",
                "prefill_customer",
                "screen_policy",
                "keys",
                "offline",
                "drafts",
            }
        missing = {m for m in members - instance_only if not hasattr(host, m)}
        assert missing == set(), host


def test_session_control_is_composed_not_inherited() -> None:
    assert not issubclass(SessionControl, App)
    assert not issubclass(Desk, App)
    assert all(
        "session" not in klass.__module__ for klass in IbokApp.__mro__ if klass is not IbokApp
    )


async def test_pulpit_posts_its_dashboard_and_the_console_header_shows_it(
    console: Console,
) -> None:
    app = console.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "100001")
        await settle_console(pilot)
        assert isinstance(app.screen, PulpitScreen)
        dashboard = app.screen.dashboard
        assert app.dashboard_data is dashboard  # the message reached the session
        assert app.header_state.customer_name == dashboard.customer.name
        assert app.header_state.balance == dashboard.balance.balance


class Listening(TabHarness):
    """The bare harness, listening for Pulpit's message as the console does."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.shown: list[DashboardShown] = []

    def on_dashboard_shown(self, message: DashboardShown) -> None:
        self.shown.append(message)


async def test_pulpit_tells_whoever_hosts_it_by_a_message(local: LocalBackend) -> None:  # noqa: F811
    app = Listening(local, PulpitScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen)
        assert [m.dashboard for m in app.shown] == [app.screen.dashboard]
        assert app.failures == []


class Refusing:
    """A policy that refuses the CSV export and lets everything else be."""

    def __init__(self) -> None:
        self.taken: list[str] = []

    def allows_screen_action(self, action: str) -> bool:
        return action != "export_csv"

    def takes_screen_action(self, screen: Any, action: str) -> bool:
        self.taken.append(action)
        return not self.allows_screen_action(action)


async def test_a_policy_set_through_the_host_meets_a_direct_call(
    local: LocalBackend,  # noqa: F811
    tmp_path: Path,
) -> None:
    from ibok_tui.screens.customer.invoices import InvoicesScreen

    policy = Refusing()
    chosen: ScreenPolicy = policy
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    app = TabHarness(local, InvoicesScreen)
    app.downloads_dir = downloads
    app.screen_policy = chosen
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TabScreen)
        assert screen.check_action("export_csv", ()) is False  # the key is not offered
        screen.action_export_csv()  # nor does the screen's own call write a file
        await settle(pilot)
        assert sorted(downloads.iterdir()) == []
        assert "export_csv" not in vars(screen)  # nothing was replaced on the instance
        app.screen_policy = None
        screen.action_export_csv()
        await settle(pilot)
        assert [p.suffix for p in downloads.iterdir()] == [".csv"]
    assert policy.taken == ["export_csv"]


def test_every_file_action_of_a_screen_asks_the_policy_first() -> None:
    """The kiosk's blocked actions (and the PDF it shows as text): each screen's method of
    that name asks `policy_takes` before it does anything."""
    from ibok_tui.session.kiosk import BLOCKED_SCREEN_ACTIONS

    names = BLOCKED_SCREEN_ACTIONS | {"pdf"}
    found = set()
    for path in sorted((PACKAGE / "screens").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"    def action_(\w+)\(self\) -> None:\n((?:.*\n){1,4})", source):
            name, body = match.groups()
            if name in names:
                found.add(name)
                assert f'self.policy_takes("{name}")' in body, f"{path.name}: action_{name}"
    assert found == names
