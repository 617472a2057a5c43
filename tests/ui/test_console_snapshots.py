"""Snapshots of every tab of the console at 120×40 and the main ones at 80×24 (pinned
clock, data, size; TEXTUAL_ANIMATIONS=none)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.console_support import SIZE, SMALL, Console, settle

TAB_KEYS = {
    "pulpit": "1",
    "faktury": "2",
    "rozrachunki": "3",
    "umowy": "8",
    "dokumenty": "9",
    "dane": "0",
    "ustawienia": "u",
    "pomoc": "question_mark",
}


def _visit(key: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("tab", list(TAB_KEYS))
def test_tab_120x40(snap_compare: Any, console: Console, tab: str) -> None:
    app = console.app(console.backend("200001"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_visit(TAB_KEYS[tab]))


@pytest.mark.parametrize("tab", ["pulpit", "faktury", "rozrachunki"])
def test_main_tabs_80x24(snap_compare: Any, console: Console, tab: str) -> None:
    app = console.app(console.backend("100001"))
    assert snap_compare(app, terminal_size=SMALL, run_before=_visit(TAB_KEYS[tab]))


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_login(snap_compare: Any, console: Console, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    assert snap_compare(console.app(remember=False), terminal_size=size, run_before=run_before)


def test_payment_dialog_with_qr(snap_compare: Any, console: Console) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)

    app = console.app(console.backend("100001"))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_english_pulpit(snap_compare: Any, console: Console) -> None:
    from ibok_tui.config import Config, Settings

    app = console.app(console.backend("100001"), config=Config(settings=Settings(language="en")))
    assert snap_compare(app, terminal_size=SIZE, run_before=_visit("1"))
