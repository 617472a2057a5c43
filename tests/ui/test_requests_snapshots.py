"""A snapshot of Zgłoszenia with a complaint open (120×40, pinned clock, no animations)."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.customer.requests import RequestsScreen
from tests.ui.tab_harness import SIZE, TabHarness, local, service, settle  # noqa: F401


def test_zgloszenia_with_a_complaint(snap_compare: Any, local: LocalBackend) -> None:
    async def before(pilot: Any) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#request-table", DataTable)
        table.move_cursor(row=table.get_row_index(_complaint_id(pilot)))
        await settle(pilot)

    assert snap_compare(
        TabHarness(local, RequestsScreen, "200001"), terminal_size=SIZE, run_before=before
    )


def _complaint_id(pilot: Any) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, RequestsScreen)
    return next(i.id for i in screen.items if i.category == "complaint")
