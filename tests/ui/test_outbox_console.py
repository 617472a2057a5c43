"""The outbox in the console, against a real `ibok serve`: the server is stopped while a
reading and a request are sent, the console is quit and started again, the server comes back,
and exactly one of each arrives; a refused item opens in its form with the form's own
message; a kiosk keeps nothing."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from ibok_tui.app import IbokApp
from ibok_tui.backends.base import Backend
from ibok_tui.backends.http import HttpBackend
from ibok_tui.backends.outbox import Outbox
from ibok_tui.domain.errors import Conflict
from ibok_tui.domain.models import ReadingStatus, ReadingSubmission
from ibok_tui.screens.forms.outbox_dialog import OutboxDialog
from ibok_tui.screens.forms.reading_form import ReadingForm
from ibok_tui.screens.forms.request_form import RequestForm
from ibok_tui.session.kiosk import KioskPolicy
from tests.support.http_server import ServerProcess
from tests.support.unreachable import SwitchableBackend
from tests.ui.console_support import PASSWORDS, SIZE, Console, settle, sign_in, text_of
from tests.ui.test_drafts import choose

JAN_METER = "M-WK-2209-11873"  # last reading 1 012,814 m³ on 31 October 2026


def _app(backend: Backend, folder: Path, **options: Any) -> IbokApp:
    return IbokApp(
        backend,
        config_file=folder / "config.toml",
        profile="test",
        credentials=None,
        downloads_dir=folder / "downloads",
        outbox_interval=0.3,
        **options,
    )


async def _until(pilot: Pilot[Any], check: Any, seconds: float = 30) -> bool:
    for _ in range(int(seconds * 10)):
        if check():
            return True
        await pilot.pause(0.1)
    return bool(check())


def _everything_in(folder: Path) -> list[Path]:
    return list(folder.rglob("*"))


async def _close_modals(pilot: Pilot[Any]) -> None:
    while len(pilot.app.screen_stack) > 1:
        pilot.app.pop_screen()
        await pilot.pause()


async def test_sent_while_the_server_is_down_arrives_once_after_a_restart(
    template_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    server = ServerProcess(db).start()
    try:
        first = HttpBackend(server.url, backoff=0.01, retries=1)
        app = _app(first, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "100001")
            session = first.session
            assert session is not None
            app.push_screen(ReadingForm())
            await settle(pilot)
            app.screen.query_one("#index", Input).value = "1019,5"
            await settle(pilot)
            server.stop()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "czeka w kolejce do wysłania" in text_of(app, "#problem")
            await pilot.press("escape")
            await settle(pilot)
            app.push_screen(RequestForm())
            await settle(pilot)
            app.screen.query_one("#subject", Input).value = "Duplikat faktury"
            app.screen.query_one("#body", TextArea).text = "Proszę o duplikat."
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "czeka w kolejce do wysłania" in text_of(app, "#request-problem")
            await pilot.press("escape")
            await settle(pilot)
            assert app.header_state.outbox_count == 2
            await _close_modals(pilot)
            header = app.screen.query_one("SessionHeader")
            assert "do wysłania: 2" in str(header.render())
        # the console is quit; its outbox is on disk, the user's alone
        box = Outbox.open(f"{server.url}|100001", kiosk=False)
        assert [item.kind for item in box.items()] == ["reading", "request"]
        assert box.path is not None and stat.S_IMODE(box.path.stat().st_mode) == 0o600

        # started again (the remembered session), while the server is still down
        second = HttpBackend(server.url, backoff=0.01, retries=1, session=session)
        app = _app(second, tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert await _until(pilot, lambda: app.header_state.outbox_count == 2)
            server.start()  # the same address and store
            assert await _until(pilot, lambda: app.header_state.outbox_count == 0)
            await settle(pilot)
        assert box.items() == []

        check = HttpBackend(server.url)
        try:
            await check.login("100001", PASSWORDS["100001"])
            pending = [
                r for r in await check.readings(JAN_METER) if r.status is ReadingStatus.PENDING
            ]
            assert [r.index for r in pending] == [1019500]
            subjects = [r.subject for r in await check.requests()]
            assert subjects.count("Duplikat faktury") == 1
        finally:
            await check.close()
    finally:
        server.stop()


async def test_a_refused_item_opens_in_its_form_with_the_forms_message(console: Console) -> None:
    box = Outbox.open("demo|100001", kiosk=False)
    box.add(ReadingSubmission(JAN_METER, "0,350"))  # lower than the last: the form asks
    app = console.app(console.backend("100001"))
    app.session.outbox.interval = 0.3
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await _until(pilot, lambda: box.items()[0].refusal is not None)
        await settle(pilot)
        assert app.header_state.outbox_count == 1
        assert await _until(
            pilot, lambda: any("Nie przyjęto" in n.message for n in app._notifications)
        )

        # what the form says when the same reading is submitted there
        app.push_screen(ReadingForm())
        await settle(pilot)
        app.screen.query_one("#index", Input).value = "0,350"
        await settle(pilot)
        app.screen.action_submit()  # type: ignore[attr-defined]
        await settle(pilot)
        direct = (text_of(app, "#verdict"), text_of(app, "#problem"))
        assert "Zaznacz potwierdzenie" in direct[1]
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "discard")  # the index typed: leaving asks first (#14.2)

        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, OutboxDialog)
        assert "nie przyjęto" in str(app.screen.query_one("#outbox-items").get_row_at(0)[3])
        assert text_of(app, "#outbox-reason").strip() == direct[0].strip()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReadingForm)
        assert form.query_one("#index", Input).value == "0,350"
        assert (text_of(app, "#verdict"), text_of(app, "#problem")) == direct
        assert form.query_one("#confirm-change").has_class("asked")
        form.query_one("#confirm-change").value = True  # type: ignore[attr-defined]
        await settle(pilot)
        form.action_submit()
        await settle(pilot)
        assert isinstance(app.screen, OutboxDialog)  # the reading arrived; the list again
        assert box.items() == []
        assert await _until(pilot, lambda: app.header_state.outbox_count == 0)
        assert app.screen.query_one("#outbox-items").row_count == 0  # type: ignore[attr-defined]


async def test_withdrawing_an_item_from_the_dialog(console: Console) -> None:
    box = Outbox.open("demo|100001", kiosk=False)
    kept = box.add(ReadingSubmission(JAN_METER, "0,350"))
    box.refused(kept.id, Conflict(code="reading_same_period"))
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen.query_one("#outbox-items").row_count == 1  # type: ignore[attr-defined]
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert box.items() == []
        assert app.header_state.outbox_count == 0


async def test_a_kiosk_keeps_nothing(console: Console) -> None:
    """On a shared terminal a reading that cannot be sent stays in its form only."""
    backend = SwitchableBackend(console.backend("100001"))
    app = IbokApp(backend, profile="test", kiosk=KioskPolicy(idle_seconds=600))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session.outbox.outbox is None
        assert app.outbox_for(app.backend) is None
        app.push_screen(ReadingForm())
        await settle(pilot)
        app.screen.query_one("#index", Input).value = "1019,5"
        await settle(pilot)
        backend.down = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = text_of(app, "#problem")
        assert "Wpisany stan został zachowany" in problem and "kolejce" not in problem
        assert app.screen.query_one("#index", Input).value == "1019,5"
    assert _everything_in(Path(os.environ["XDG_DATA_HOME"])) == []


async def test_a_contact_change_waits_in_the_outbox(console: Console) -> None:
    backend = SwitchableBackend(console.backend("100001"))
    app = console.app(backend)  # type: ignore[arg-type]
    app.session.outbox.interval = 0.3
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("0")  # Dane klienta
        await settle(pilot)
        app.screen.query_one("#contact-email", Input).value = "jan.nowy@example.pl"
        backend.down = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await _until(pilot, lambda: app.header_state.outbox_count == 1)
        box = app.outbox_for(app.backend)
        assert box is not None and box.items()[0].kind == "contact"
        backend.down = False
        assert await _until(pilot, lambda: app.header_state.outbox_count == 0)
    profile = await console.backend("100001").profile()
    assert profile.customer.email == "jan.nowy@example.pl"


async def test_another_customer_signing_in_never_sends_the_first_ones_items(
    console: Console,
) -> None:
    jan = Outbox.open("demo|100001", kiosk=False)
    kept = jan.add(ReadingSubmission(JAN_METER, "1019,5"))
    app = console.app(remember=False)
    app.session.outbox.interval = 0.3
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100004")  # Maria on the same computer
        await settle(pilot)
        await pilot.pause(1.0)  # a few of the background's ticks
        await settle(pilot)
        assert app.header_state.outbox_count == 0
        assert [i.id for i in jan.items()] == [kept.id]
        assert app.outbox_for(app.backend) is not None
        assert app.outbox_for(app.backend).scope == "demo|100004"  # type: ignore[union-attr]
    readings = await console.backend("100001").readings(JAN_METER)
    assert all(r.index != 1019500 for r in readings)
