"""Snapshots of Analizy: one chart of each kind (120×40, pinned clock, no animations), and
the pie at 80×24."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from typing import Any

import pytest

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.customer.analyses import AnalysesScreen
from tests.ui.tab_harness import SIZE, TabHarness, local, service, settle  # noqa: F401


@pytest.mark.parametrize("kind", ["day", "period", "charges", "yoy", "payments"])
def test_analizy_chart(snap_compare: Any, local: LocalBackend, kind: str) -> None:
    async def before(pilot: Any) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AnalysesScreen)
        screen.show_kind(kind)
        await settle(pilot)

    assert snap_compare(
        TabHarness(local, AnalysesScreen, "100003"), terminal_size=SIZE, run_before=before
    )


def test_analizy_pie_at_80x24(snap_compare: Any, local: LocalBackend) -> None:
    """The pie is a circle at the smallest supported size too, its legend below it."""

    async def before(pilot: Any) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AnalysesScreen)
        screen.show_kind("charges")
        await settle(pilot)

    assert snap_compare(
        TabHarness(local, AnalysesScreen, "100003"), terminal_size=(80, 24), run_before=before
    )
