"""A snapshot of Wodomierze (120×40, pinned clock, no animations)."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from typing import Any

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.customer.meters import MetersScreen
from tests.ui.tab_harness import SIZE, TabHarness, local, service, settle  # noqa: F401


def test_wodomierze_business(snap_compare: Any, local: LocalBackend) -> None:
    async def before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("down")  # the expired meter
        await settle(pilot)

    assert snap_compare(
        TabHarness(local, MetersScreen, "200001"), terminal_size=SIZE, run_before=before
    )
