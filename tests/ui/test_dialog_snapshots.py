"""Snapshots of every dialog at 80×24 (tests/ui/dialog_catalogue.py) and at 120×40 of
those whose layout the small-screen frame changed (pinned clock and data, Polish, no
animations). The dialog opens over Pulpit of customer 100001."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.console_support import SIZE, SMALL, Console, settle
from tests.ui.dialog_catalogue import DIALOGS
from tests.ui.test_dialogs_small import place

CHANGED_AT_120X40 = ["payment", "request_form", "reading_form", "reply", "register", "outbox"]


def _opened(console: Console, name: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app: Any = pilot.app
        await app.push_screen(await DIALOGS[name].open(place(console, app)))
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("name", list(DIALOGS))
def test_dialog_80x24(snap_compare: Any, console: Console, name: str) -> None:
    app = console.app(console.backend("100001"))
    assert snap_compare(app, terminal_size=SMALL, run_before=_opened(console, name))


@pytest.mark.parametrize("name", CHANGED_AT_120X40)
def test_dialog_120x40(snap_compare: Any, console: Console, name: str) -> None:
    app = console.app(console.backend("100001"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_opened(console, name))
