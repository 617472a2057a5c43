"""Klienci pages through a search that finds more customers than one page holds."""

from __future__ import annotations

from ibok_tui.portal import search as search_index
from ibok_tui.screens.clerk.customers import PAGE
from tests.ui.console_support import SIZE, Console, settle, text_of
from tests.ui.test_operator import office_app, row_keys, search, sign_in_operator

EXTRA = PAGE + 20


def _add_customers(console: Console) -> list[str]:
    store = console.service.store
    numbers = [f"{700000 + i}" for i in range(EXTRA)]
    with store.transaction():
        store.executemany(
            "INSERT INTO customers (number, name, kind, street, building, postal_code, city,"
            " status, bank_account) VALUES (?, ?, 'person', 'ul. Stronicowa', '1', '05-540',"
            " 'Zalesie Górne', 'active', '')",
            [(n, f"Ewa Stronicowska {n}") for n in numbers],
        )
        search_index.reindex(store, numbers)
    return numbers


async def test_n_adds_the_next_page_below_the_first(console: Console) -> None:
    numbers = _add_customers(console)
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        table = await search(pilot, "stronicowska")
        assert row_keys(table) == numbers[:PAGE]  # in name order: the numbers' order here
        assert "Pokazano: 50, są następne" in text_of(app, "#customers-note")
        table.focus()
        await pilot.press("n")
        await settle(pilot)
        assert row_keys(table) == numbers
        assert "Znaleziono: 70" in text_of(app, "#customers-note")
        await pilot.press("n")  # nothing more: the key does nothing
        await settle(pilot)
        assert row_keys(table) == numbers
