"""A remembered start shows the customer's last Pulpit (backends/start_view.py) while the
session resumes, then the live one; never another customer's, never on a kiosk, gone at
logout."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ibok_tui.backends.local import LocalBackend
from ibok_tui.backends.start_view import StartView
from ibok_tui.config import Config, with_remembered
from ibok_tui.config import save as save_config
from ibok_tui.credentials import CredentialStore
from ibok_tui.domain.models import Session
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.session.kiosk import KioskPolicy
from tests.ui.console_support import (
    PASSWORDS,
    SIZE,
    Console,
    MemoryKeyring,
    settle,
    sign_in,
    text_of,
)


class GatedBackend(LocalBackend):
    """The demo's backend whose resume waits for the test: the moment between the first
    frame and the live session, held open."""

    def __init__(self, console: Console) -> None:
        super().__init__(console.service)
        self.gate = asyncio.Event()

    async def resume(self, token: str) -> Session:
        await self.gate.wait()
        return await super().resume(token)


async def until(pilot: Any, condition: Callable[[], object], seconds: float = 20.0) -> None:
    """Pause until `condition()` holds (settle() would wait for the gated resume)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("not reached")


def kept_shown(app: Any) -> bool:
    screen = app.screen
    return isinstance(screen, PulpitScreen) and screen.kept_from is not None


def remember(console: Console, customer: str, *, keyring_customer: str | None = None) -> None:
    """The configuration names `customer`; the keyring holds `keyring_customer`'s session."""
    held = keyring_customer or customer
    session = console.service.login(held, PASSWORDS[held], remember=True)
    CredentialStore("test").save(held, PASSWORDS[held], session.token)
    save_config(with_remembered(Config(), "test", customer), console.config_file)


def keep_old_pulpit(console: Console, customer: str, name: str) -> StartView:
    """What the console kept of `customer`'s Pulpit a day ago, with a name to tell it by."""
    session = console.service.login(customer, PASSWORDS[customer])
    live = console.service.dashboard(session.token)
    old = dataclasses.replace(live, customer=dataclasses.replace(live.customer, name=name))
    view = StartView("test", "demo", customer, kiosk=False)
    view.save(old, datetime.now(UTC) - timedelta(days=1))
    return view


async def test_a_remembered_start_shows_the_last_pulpit_then_the_live_one(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    remember(console, "100001")
    view = keep_old_pulpit(console, "100001", "Stary Kowalski")
    backend = GatedBackend(console)
    app = console.app(backend)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: kept_shown(app))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PulpitScreen) and app.backend.session is None
        assert "Dane z poprzedniej wizyty" in text_of(app, "#kept-note")
        assert screen.query_one("#kept-note").display
        assert app.header_state.customer_name == "Stary Kowalski"
        assert text_of(app, "#balance").startswith("Saldo: ")
        assert screen.check_action("submit_reading", ()) is None  # dimmed until signed in
        assert screen.check_action("pay", ()) is None
        backend.gate.set()
        await until(pilot, lambda: screen.kept_from is None)
        await settle(pilot, rounds=3)
        assert app.backend.session is not None and app.backend.session.subject == "100001"
        assert not screen.query_one("#kept-note").display
        live = app.header_state.customer_name
        assert live and live != "Stary Kowalski"
        assert screen.check_action("submit_reading", ()) is True
        await app.workers.wait_for_complete()
        # the live Pulpit is what the next start shows first
        found = view.load(datetime.now(UTC))
        assert found is not None and found.answer.customer.name == live
        await pilot.press("ctrl+x")
        await settle(pilot, rounds=5)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, LoginScreen)
    assert view.load(datetime.now(UTC)) is None  # the logout forgot it


async def test_the_last_pulpit_of_another_customer_goes_when_the_keyring_says_otherwise(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    """The configuration remembers 100001 but the keyring holds 100002's session: what was
    kept of 100001 is shown while resuming (the configuration's customer) and is gone as soon
    as the session says whose it is; 100002 sees only their own."""
    remember(console, "100001", keyring_customer="100002")
    keep_old_pulpit(console, "100001", "Stary Kowalski")
    backend = GatedBackend(console)
    app = console.app(backend)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: kept_shown(app))
        await pilot.pause()
        assert app.header_state.customer_name == "Stary Kowalski"
        backend.gate.set()
        await until(pilot, lambda: app.backend.session is not None and not app.resuming)
        await settle(pilot, rounds=5)
        assert app.backend.session is not None and app.backend.session.subject == "100002"
        screen = app.screen
        assert isinstance(screen, PulpitScreen)
        assert screen.kept_from is None
        assert app.header_state.customer_name != "Stary Kowalski"
        assert "Kowalski" not in text_of(app, "#balance")
        assert app.dashboard_data is not None
        assert app.dashboard_data.customer.number == "100002"


async def test_a_kiosk_shows_no_kept_pulpit_and_keeps_none(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    remember(console, "100001")
    keep_old_pulpit(console, "100001", "Stary Kowalski")
    from ibok_tui.app import IbokApp
    from ibok_tui.config import load as load_config

    app = IbokApp(
        LocalBackend(console.service),
        config=load_config(console.config_file),
        config_file=console.config_file,
        profile="test",
        credentials=CredentialStore("test"),
        kiosk=KioskPolicy(idle_seconds=600),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, LoginScreen)  # a kiosk resumes nobody
        assert app.header_state.customer_name == ""
        await sign_in(pilot, "100002")
        await settle(pilot, rounds=5)
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, PulpitScreen)
        assert app.dashboard_data is not None
    # nothing of the kiosk's customer was kept
    assert StartView("test", "demo", "100002", kiosk=False).load(datetime.now(UTC)) is None
    assert app.session.start_view("100002") is None


async def test_the_last_pulpit_comes_without_a_loading_indicator_before_it(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    """A remembered start whose last Pulpit is kept shows no loading indicator before it
    (it would only flash, and its frames delayed the data); one with nothing kept waits
    with the indicator, as before."""
    remember(console, "100001")
    keep_old_pulpit(console, "100001", "Stary Kowalski")
    app = console.app(GatedBackend(console))
    async with app.run_test(size=SIZE) as pilot:
        body = app.screen.query_one("#pulpit-body")
        assert not body.loading
        await until(pilot, lambda: kept_shown(app))
        assert not body.loading
    StartView("test", "demo", "100001", kiosk=False).forget()
    app = console.app(GatedBackend(console))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.session.start_view_tried)
        await pilot.pause()
        assert isinstance(app.screen, PulpitScreen) and app.backend.session is None
        assert app.screen.query_one("#pulpit-body").loading


async def test_a_table_s_column_labels_are_shown_literally() -> None:
    """A column label is never read as markup (nor its `:name:` as an emoji)."""
    from textual.app import App, ComposeResult

    from ibok_tui.widgets.tables import ListTable

    class Tables(App[None]):
        def compose(self) -> ComposeResult:
            yield ListTable()

    async with Tables().run_test() as pilot:
        table = pilot.app.query_one(ListTable)
        table.add_columns("[b]Stan[/b]", "Godz.:smile:")
        labels = [column.label.plain for column in table.ordered_columns]
    assert labels == ["[b]Stan[/b]", "Godz.:smile:"]


async def test_the_last_pulpit_is_painted_only_with_its_content(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    """The kept Pulpit's panels are mounted and filled in one batch, and painted as soon as
    it ends (not at the update timer's next tick): no frame shows them empty (each such
    frame was a layout and a paint spent before the data), and the first frame that has
    them shows all of it, the meters' table with every meter too."""
    remember(console, "100001")
    view = keep_old_pulpit(console, "100001", "Stary Kowalski")
    found = view.load(datetime.now(UTC))
    assert found is not None and found.answer.meters
    app = console.app(GatedBackend(console))
    frames: list[str] = []
    painted: list[str] = []
    display = app._display

    def seen(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and screen.query("#balance"):
            frames.append(text_of(app, "#balance"))
            if not painted:
                codes = renderable.render_segments(app.console)
                painted.append(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", codes))

    app._display = seen  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: kept_shown(app))
        await pilot.pause()
        await pilot.pause()
    assert frames, "no frame painted the kept Pulpit"
    assert all(frame.startswith("Saldo: ") for frame in frames), frames
    first = painted[0]
    assert "Saldo: " in first and "Dane z poprzedniej wizyty" in first
    for summary in found.answer.meters:
        assert summary.meter.serial in first, summary.meter.serial


def test_a_save_asked_before_a_logout_forgot_the_view_writes_nothing_after_it(
    console: Console, tmp_path: Any
) -> None:
    """The console saves the live Pulpit and forgets it at logout through two StartViews
    of the same customer, on threads: the save that comes after the forgetting writes
    nothing (the last Pulpit of a customer who logged out is not on disk again), and a
    forgetting never fails on a file being written beside it."""
    session = console.service.login("100001", PASSWORDS["100001"])
    dashboard = console.service.dashboard(session.token)
    now = datetime.now(UTC)
    saving = StartView("test", "demo", "100001", kiosk=False, root=tmp_path)
    StartView("test", "demo", "100001", kiosk=False, root=tmp_path).forget()
    saving.save(dashboard, now)
    assert StartView("test", "demo", "100001", kiosk=False, root=tmp_path).load(now) is None
    # the next sign-in's view is kept again
    StartView("test", "demo", "100001", kiosk=False, root=tmp_path).save(dashboard, now)
    assert StartView("test", "demo", "100001", kiosk=False, root=tmp_path).load(now) is not None

    def saves() -> None:
        for _ in range(200):
            StartView("test", "demo", "100001", kiosk=False, root=tmp_path).save(dashboard, now)

    async def race() -> None:
        writer = asyncio.create_task(asyncio.to_thread(saves))
        while not writer.done():
            await asyncio.to_thread(
                StartView("test", "demo", "100001", kiosk=False, root=tmp_path).forget
            )
        await writer

    asyncio.run(race())
