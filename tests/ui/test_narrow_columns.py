"""Lists on a narrow terminal keep the columns that matter: at 80×24 Faktury,
Rozrachunki, Zgłoszenia, Odczyty and Wodomierze leave out their columns of the lowest
priority, so that "Do zapłaty", "Status" and "Legalizacja do" are on screen, and say which
are hidden; a wider window shows them all again, and the export keeps every column."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from ibok_tui.widgets.tables import ListTable, table_content
from tests.support.layout import until_tables_laid_out
from tests.ui.console_support import SMALL, Console, settle

WIDE = (132, 40)  # at 120 the sort mark of Faktury's sorted column leaves Okres no room


def unmarked(header: str) -> str:
    """A header without the sort mark of its column (widgets/sorting.py)."""
    return header.removesuffix(" ▼").removesuffix(" ▲")


def shown_headers(table: ListTable[Any]) -> list[str]:
    """The header labels drawn whole inside the table's width, left to right."""
    room = table.scrollable_content_region.width
    x, shown = 0, []
    for column in table.ordered_columns:
        width = column.get_render_width(table)
        if width and x + width <= room:
            shown.append(unmarked(column.label.plain))
        x += width
    return shown


def note(app: Any) -> str:
    widget = app.screen.query_one("#columns-note", Static)
    return str(widget.render()) if widget.display else ""


@pytest.mark.parametrize(
    ("key", "selector", "kept"),
    [
        ("2", "#invoices-table", ["Numer", "Do zapłaty", "Status"]),
        ("3", "#settlements-table", ["Numer", "Termin", "Do zapłaty"]),
        ("6", "#request-table", ["Numer", "Temat", "Status"]),
        # the readings beside the meters' list, and the meters beside their detail
        ("4", "#reading-table", ["Data", "Stan [m³]"]),
        ("5", "#meters-table", ["Numer", "Legalizacja do"]),
    ],
)
async def test_at_80_columns_the_columns_that_matter_stay(
    console: Console, key: str, selector: str, kept: list[str]
) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        table = app.screen.query_one(selector, ListTable)
        headers = shown_headers(table)
        assert all(any(h.startswith(name) for h in headers) for name in kept), headers
        everything = [unmarked(c.label.plain) for c in table.ordered_columns]
        hidden = [name for name in everything if name not in headers]
        assert hidden  # 80 columns are too few for all of them
        assert note(app).startswith("Ukryte kolumny: " + ", ".join(hidden))
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert [unmarked(h) for h in table_content(table)[0]] == everything  # all exported
        await pilot.resize_terminal(*WIDE)
        await settle(pilot)
        assert shown_headers(table) == everything
        assert note(app) == ""
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert shown_headers(table) == headers


async def test_a_wide_terminal_hides_nothing(console: Console) -> None:
    app = console.app(console.backend("100001"))
    # WIDE: at 120 columns the sort mark of Faktury's sorted column (widgets/sorting.py)
    # leaves no room for the last of Jan's nine, and Okres gives way
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", ListTable)
        assert len(shown_headers(table)) == 9
        assert note(app) == ""


class _Rows(App[None]):
    """A table of fixed width whose columns fit only while it has no scrollbar."""

    CSS = "ListTable { width: 34; height: 8; scrollbar-size-vertical: 2; }"

    def compose(self) -> ComposeResult:
        table: ListTable[str] = ListTable(id="rows")
        table.column_priorities = (2, 1, 0)  # Rodzaj goes first
        for label, width in (("Data", 10), ("Stan", 8), ("Rodzaj", 10)):
            table.add_column(label, width=width)
        yield table


async def test_the_columns_are_fitted_again_when_the_scrollbar_comes_and_goes() -> None:
    """The scrollbar takes two cells of the room: a column that fitted without it is left
    out once the rows need it, and is back once they no longer do (whatever the order in
    which the table measured its rows and laid out its scrollbar)."""
    async with _Rows().run_test(size=(60, 12)) as pilot:
        table = pilot.app.query_one("#rows", ListTable)
        for n in range(3):
            table.add_row(f"{n}", "1", "zdalny")
        await until_tables_laid_out(pilot)
        await pilot.pause()
        assert not table.show_vertical_scrollbar and table.hidden_labels == ()
        for n in range(3, 30):
            table.add_row(f"{n}", "1", "zdalny")
        await until_tables_laid_out(pilot)
        await pilot.pause()
        assert table.show_vertical_scrollbar and table.hidden_labels == ("Rodzaj",)
        table.clear()
        table.add_row("0", "1", "zdalny")
        await until_tables_laid_out(pilot)
        await pilot.pause()
        assert not table.show_vertical_scrollbar and table.hidden_labels == ()
