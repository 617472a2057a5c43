"""Umowy: Enter shows a contract's detail; Delete withdraws the highlighted contract's scan
after a confirmation, and only while the utility has not accepted it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from textual.widgets import DataTable, OptionList, Static

from ibok_tui.screens.customer.contracts import ContractsScreen
from ibok_tui.screens.forms.dialogs import ChoiceDialog, ConfirmDialog, TextDialog
from tests.support import scans
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.ui.console_support import SIZE, Console, settle

FIRMA = "200001"  # a business with contracts


def plain(dialog: TextDialog | ConfirmDialog) -> str:
    return "\n".join(str(s.render()) for s in dialog.query(Static))


async def open_umowy(pilot: object, app: object) -> ContractsScreen:
    await pilot.press("8")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ContractsScreen)
    return screen


def upload(console: Console, number: str, name: str) -> str:
    token = console.service.login(FIRMA, PASSWORDS[FIRMA]).token
    return console.service.upload_contract_scan(token, number, name, scans.png()).id


async def test_enter_on_a_contract_shows_its_detail(console: Console) -> None:
    app = console.app(console.backend(FIRMA))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_umowy(pilot, app)
        contract = screen.contracts[0]
        scan = upload(console, contract.number, "podpisana.png")
        # a name stored under the door (an import, an older server): shown, never obeyed
        hostile = ("podpisana\x1b[2J.png", scan)
        console.service.store.execute("UPDATE documents SET filename = ? WHERE id = ?", hostile)
        screen.load()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        shown = plain(app.screen)
        assert contract.title in shown and contract.property_id in shown
        assert (
            "Skan" in shown and "podpisana\u241b[2J.png" in shown and "czeka na przyjęcie" in shown
        )
        assert "\x1b" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)


async def test_delete_withdraws_the_highlighted_contracts_scan(console: Console) -> None:
    app = console.app(console.backend(FIRMA))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_umowy(pilot, app)
        number = screen.contracts[0].number
        await pilot.press("delete")  # no scan yet: nothing to withdraw, said so
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)
        assert "nie ma przesłanego skanu" in str(list(app._notifications)[-1].message)

        upload(console, number, "strona1.png")
        screen.load()
        await settle(pilot)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(number))
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "strona1.png" in plain(app.screen) and number in plain(app.screen)
        await pilot.press("escape")  # cancelled: the scan stays
        await settle(pilot)
        assert [s.filename for s in screen.contracts[0].scans] == ["strona1.png"]

        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)
        assert screen.contracts[0].scans == ()
        assert str(table.get_row(number)[7]) == "0"
        assert "Wycofano skan strona1.png." in str(list(app._notifications)[-1].message)


async def test_several_scans_ask_which_and_accepted_ones_stay(console: Console) -> None:
    app = console.app(console.backend(FIRMA))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_umowy(pilot, app)
        number = screen.contracts[0].number
        first = upload(console, number, "a.png")
        upload(console, number, "b.png")
        office = console.service.operator_login("bok.anna", OPERATORS["bok.anna"]).token
        screen.load()
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        choices = app.screen.query_one(OptionList)
        assert choices.option_count == 2
        choices.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and "b.png" in plain(app.screen)
        await pilot.click("#confirm")
        await settle(pilot)
        assert [s.filename for s in screen.contracts[0].scans] == ["a.png"]

        console.service.accept_contract_scan(office, first)
        screen.load()
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)  # no question: nothing can go
        assert "przyjęły już" in str(list(app._notifications)[-1].message)
        assert [s.filename for s in screen.contracts[0].scans] == ["a.png"]


PARSERS_STAY_UNLOADED = """
import asyncio, shutil, sys
from pathlib import Path
from ibok_tui.app import IbokApp
from ibok_tui.backends.local import LocalBackend
from ibok_tui.config import load
from ibok_tui.portal.service import open_portal

folder = Path(sys.argv[2])
shutil.copyfile(sys.argv[1], folder / "ibok.sqlite")
PARSERS = ("pypdf", "PIL")

async def main() -> None:
    service = open_portal(folder / "ibok.sqlite", outbox=folder / "outbox")
    session = service.login("200001", "Woda!ZlotyKlos4")
    app = IbokApp(LocalBackend(service, session=session), config=load(folder / "c.toml"),
                  config_file=folder / "c.toml", profile="t", credentials=None, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("8", "9", "8"):
            await pilot.press(key)
            await pilot.pause(0.3)
        print("shown:", [p for p in PARSERS if p in sys.modules])
        pdf = (folder / "scan.pdf").read_bytes()
        number = service.contracts(session.token)[0].number
        await app.backend.upload_contract_scan(number, "scan.pdf", pdf)
        print("uploaded:", [p for p in PARSERS if p in sys.modules])

asyncio.run(main())
"""


def test_the_console_loads_no_parser_until_a_scan_is_uploaded(
    template_db: Path, tmp_path: Path
) -> None:
    """Started on an existing demo store, signed in, Umowy and Dokumenty open: neither
    pypdf nor Pillow is imported; uploading a PDF imports pypdf (so the check can fail)."""
    (tmp_path / "scan.pdf").write_bytes(scans.pdf())
    ran = subprocess.run(
        [sys.executable, "-c", PARSERS_STAY_UNLOADED, str(template_db), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    lines = ran.stdout.splitlines()
    assert "shown: []" in lines
    assert any(line.startswith("uploaded: ['pypdf'") for line in lines)


async def test_the_detail_shows_each_scans_way_through_the_document_workflow(
    console: Console,
) -> None:
    """Who moved the scan on and when, with a rejection's reason, as Dokumenty shows it."""
    from ibok_tui.domain.models import ScanStatus
    from ibok_tui.screens.customer.document_detail import SCAN_STATUS

    app = console.app(console.backend(FIRMA))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_umowy(pilot, app)
        number = screen.contracts[0].number
        scan = upload(console, number, "strona1.png")
        office = console.service.operator_login("bok.anna", OPERATORS["bok.anna"]).token
        console.service.set_scan_status(office, scan, ScanStatus.IN_REVIEW)
        console.service.set_scan_status(office, scan, ScanStatus.REJECTED, "[b]Brak[/b] podpisu")
        screen.load()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        lines = [line.strip() for line in plain(app.screen).splitlines()]
        start = lines.index("Obieg dokumentu: strona1.png")
        steps = lines[start + 1 : start + 5]
        stamp = r"\d\d\.\d\d\.\d{4} \d\d:\d\d  "
        assert re.fullmatch(stamp + SCAN_STATUS[ScanStatus.SUBMITTED] + "  klient", steps[0])
        assert re.fullmatch(
            stamp + SCAN_STATUS[ScanStatus.IN_REVIEW] + "  Anna Kowalczyk", steps[1]
        )
        assert re.fullmatch(stamp + SCAN_STATUS[ScanStatus.REJECTED] + "  Anna Kowalczyk", steps[2])
        assert steps[3] == "powód: [b]Brak[/b] podpisu"  # markup shown literally
        assert lines[-1].startswith("d: pobierz umowę")  # the keys stay last
