"""Waiting for tables to lay out: a DataTable measures its columns on an idle event, which
a busy machine may deliver later than a fixed pause lasts."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from ibok_tui.widgets.textual_internals import measuring_pending


def tables_pending(pilot: Pilot[Any]) -> bool:
    """Whether a table on the current screen still has rows or cells to measure."""
    return any(measuring_pending(table) for table in pilot.app.screen.query(DataTable))


async def until_tables_laid_out(pilot: Pilot[Any], seconds: float = 10) -> None:
    """Pause until every table on the screen has measured what it was given, then once
    more so that the measured layout is painted."""
    for _ in range(int(seconds / 0.02)):
        if not tables_pending(pilot):
            break
        await pilot.pause(0.02)
    await pilot.pause()
