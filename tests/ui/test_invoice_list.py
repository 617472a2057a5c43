"""Faktury's list (#14.5): sorted by any column as Odczyty is (a header's click, `s`), and a
date in its filter that is no date says what is wrong with it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import DataTable, Input, Static

from ibok_tui.screens.customer.invoices import InvoicesScreen
from tests.ui.console_support import SIZE, Console, settle, text_of


def column(table: DataTable[Any], key: str) -> list[str]:
    index = table.get_column_index(key)
    return [str(table.get_cell_at((row, index))) for row in range(table.row_count)]


def amounts(cells: list[str]) -> list[Decimal]:
    return [
        Decimal(c.replace("\u00a0", "").replace(" ", "").replace("zł", "").replace(",", "."))
        for c in cells
    ]


async def test_faktury_sort_by_any_column_by_header_and_by_key(console: Console) -> None:
    app = console.app(console.backend("100004"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        table = screen.query_one("#invoices-table", DataTable)
        assert str(table.columns[table.ordered_columns[2].key].label).endswith("▼")
        # a click on "Brutto": ascending, again: descending
        screen.post_message(
            DataTable.HeaderSelected(
                table, table.ordered_columns[5].key, 5, table.ordered_columns[5].label
            )
        )
        await settle(pilot)
        gross = amounts(column(table, "gross"))
        assert gross == sorted(gross) and len(set(gross)) > 1
        assert str(table.columns[table.ordered_columns[5].key].label).endswith("▲")
        screen.post_message(
            DataTable.HeaderSelected(
                table, table.ordered_columns[5].key, 5, table.ordered_columns[5].label
            )
        )
        await settle(pilot)
        assert amounts(column(table, "gross")) == sorted(gross, reverse=True)
        # s: the next column ("Zapłacono"), ascending
        table.focus()
        await pilot.press("s")
        await settle(pilot)
        paid = amounts(column(table, "paid"))
        assert paid == sorted(paid)
        numbers = column(table, "number")
        await pilot.press("s")  # descending
        await settle(pilot)
        assert amounts(column(table, "paid")) == sorted(paid, reverse=True)
        assert sorted(column(table, "number")) == sorted(numbers)


async def test_a_date_in_faktury_filter_that_is_none_says_why(console: Console) -> None:
    app = console.app(console.backend("100004"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#invoices-table", DataTable)
        everything = table.row_count
        problem = screen.query_one("#invoice-filter-problem", Static)
        assert not problem.display
        screen.query_one("#invoice-from", Input).value = "31.02.2026"
        await settle(pilot)
        assert problem.display
        assert text_of(app, "#invoice-filter-problem") == (
            "Data „od” 31.02.2026: nie ma takiego dnia w kalendarzu."
        )
        assert table.row_count == everything  # not applied, nothing typed lost
        assert screen.query_one("#invoice-from", Input).value == "31.02.2026"
        screen.query_one("#invoice-to", Input).value = "jutro"
        await settle(pilot)
        shown = text_of(app, "#invoice-filter-problem")
        assert "Data „do” jutro: wpisz ją jako dd.mm.rrrr, np. 21.11.2026." in shown
        screen.query_one("#invoice-from", Input).value = "01.06.2026"
        screen.query_one("#invoice-to", Input).value = "01.01.2026"
        await settle(pilot)
        assert "późniejsza" in text_of(app, "#invoice-filter-problem")
        screen.query_one("#invoice-from", Input).value = ""
        screen.query_one("#invoice-to", Input).value = ""
        await settle(pilot)
        assert not problem.display and table.row_count == everything
