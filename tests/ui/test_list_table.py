"""ListTable (widgets/tables.py): rows drawn before the table measured them are drawn again
at the new column widths (Textual's DataTable keeps them cut, issues #3533 and #4470)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from ibok_tui.widgets.tables import ListTable


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        table: ListTable[str] = ListTable()
        table.add_columns("Meter", "Index")
        table.add_row("A", "1")
        yield table


def row_text(table: ListTable[Any], y: int) -> str:
    return "".join(segment.text for segment in table.render_line(y)).rstrip()


async def test_a_refilled_table_shows_whole_cells_once_measured() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(ListTable)
        table.clear()
        table.add_row("WK-2209-11873", "1,012.814 m³")
        assert row_text(table, 1).split() == ["WK-22", "1,012"]  # drawn before measuring
        await pilot.pause()
        assert row_text(table, 1).split() == ["WK-2209-11873", "1,012.814", "m³"]
