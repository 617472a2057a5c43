"""The end of the supply contract in the console (issue #17.2): the banner on Pulpit with
the date the account closes, the invoice archive saved with every invoice's PDF, the
sign-in refused in its own words once the account is deactivated (the terms' §8.7), and
the clerk's dialog that records the end."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ibok_tui.config import Config, Settings
from ibok_tui.screens.clerk.contract_end import ContractEndDialog
from tests.ui.console_support import SIZE, SMALL, Console, settle, sign_in, text_of
from tests.ui.test_operator import office_app, search, sign_in_operator


async def _wait_for_download(pilot: Pilot[Any], console: Console, seconds: float = 120) -> list:  # type: ignore[type-arg]
    for _ in range(int(seconds * 10)):
        found = list(console.downloads.glob("faktury-*.zip"))
        if found:
            return found
        await pilot.pause(0.1)
    return []


async def test_pulpit_banner_and_the_archive_of_every_invoice(console: Console) -> None:
    """Będzin §8.6: the customer sees when the account closes and downloads every
    e-invoice before then."""
    console.service.record_contract_end("100002", date(2026, 11, 20))  # the billing import
    app = console.app(console.backend("100002"))
    app.clock = console.clock  # type: ignore[attr-defined]  # the file's date
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = text_of(app, "#contract-end-banner")
        assert "Umowa na dostawę wody zakończyła się 20.11.2026." in banner
        # recorded Saturday 21.11 at 10:00 in Poland, deactivated 24 hours later
        assert "Konto iBOK zostanie wyłączone 22.11.2026 10:00." in banner
        assert "a: archiwum wszystkich faktur PDF" in banner
        await pilot.press("a")
        saved = await _wait_for_download(pilot, console)
        await settle(pilot)
    assert len(saved) == 1 and saved[0].name == "faktury-100002-20261121.zip"
    numbers = {i.number for i in await console.backend("100002").invoices()}
    with zipfile.ZipFile(io.BytesIO(saved[0].read_bytes())) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted(n.replace("/", "-") + ".pdf" for n in numbers)
        assert all(archive.read(name).startswith(b"%PDF-") for name in names)


async def test_no_banner_and_no_archive_key_without_a_contract_end(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#contract-end-banner").display
        assert app.screen.check_action("invoice_archive", ()) is False
        await pilot.press("a")
        await settle(pilot)
    assert not list(console.downloads.glob("*.zip"))


async def test_sign_in_after_deactivation_says_why(console: Console) -> None:
    """§8.7: after the grace period the account is closed and its password is gone; the
    sign-in says so instead of "wrong password"."""
    console.service.record_contract_end("100001", date(2026, 11, 20))
    console.clock.advance(timedelta(hours=24))
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        message = text_of(app, "#login-message")
    assert message.startswith("Konto iBOK zostało wyłączone 22.11.2026 po zakończeniu umowy")
    assert app.backend.session is None


async def test_english_sign_in_after_deactivation(console: Console) -> None:
    console.service.record_contract_end("100001", date(2026, 11, 20))
    console.clock.advance(timedelta(days=2))
    app = console.app(remember=False, config=Config(settings=Settings(language="en")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        message = text_of(app, "#login-message")
    assert message.startswith("This iBOK account was deactivated on 22/11/2026")


async def test_clerk_records_the_end_and_the_customer_sees_it(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in_operator(pilot)
        table = await search(pilot, "100001")
        table.focus()
        await pilot.press("k")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ContractEndDialog)
        assert "wyłączone 24 godziny po zakończeniu umowy" in text_of(app, "#contract-end-note")
        field = dialog.query_one("#ended-on", Input)
        assert field.value == "21.11.2026"  # today, by the office's clock
        # a date too far ahead is refused in the dialog, and what was typed stays
        field.value = "31.12.2199"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "najpóźniej 22.11.2027" in text_of(app, "#contract-end-error")
        assert field.value == "31.12.2199"
        field.value = "20.11.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
    end = (await console.backend("100001").dashboard()).customer.contract_end
    assert end is not None and end.ended_on == date(2026, 11, 20)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_pulpit_banner_snapshot(snap_compare: Any, console: Console, size: tuple[int, int]) -> None:
    console.service.record_contract_end("100001", date(2026, 11, 20))

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    app = console.app(console.backend("100001"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
