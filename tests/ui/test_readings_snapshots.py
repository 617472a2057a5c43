"""Snapshots of Odczyty and the reading dialog (120×40, pinned clock, no animations)."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.customer.readings import ReadingsScreen
from tests.ui.tab_harness import SIZE, TabHarness, local, service, settle  # noqa: F401


def test_odczyty_smart_meter(snap_compare: Any, local: LocalBackend) -> None:
    assert snap_compare(
        TabHarness(local, ReadingsScreen, "100003"), terminal_size=SIZE, run_before=settle
    )


def test_reading_form_lower_index(snap_compare: Any, local: LocalBackend) -> None:
    async def before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        field = pilot.app.screen.query_one("#index", Input)
        field.cursor_blink = False
        field.value = "12,5"
        await settle(pilot)

    assert snap_compare(TabHarness(local, ReadingsScreen), terminal_size=SIZE, run_before=before)
