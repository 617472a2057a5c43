"""A shared terminal shows nothing of one customer to the next: the language switched
while Faktury or Rozrachunki is open, a logout, another customer signed in (issue #11)."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from ibok_tui.app import IbokApp
from ibok_tui.screens.forms.base import TabScreen
from tests.ui.console_support import SMALL, Console, settle, sign_in, text_of

# (tab key, screen id, the filter, a number of A's documents, of B's)
TABS = [
    ("2", "tab-faktury", "#invoice-number", "/200001/", "/100001/"),
    ("3", "tab-rozrachunki", "#settlement-number", "/200001/", "/100001/"),
]


async def switch_language(pilot: Pilot[Any], language: str) -> None:
    """Through the palette, as a customer would."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*("English" if language == "en" else "polski"))
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.config.settings.language == language  # type: ignore[attr-defined]


def rows(app: IbokApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def type_and_erase(pilot: Pilot[Any], selector: str) -> None:
    """Type into the tab's filter and take it back with Backspace."""
    await pilot.press("slash")
    await pilot.press("F", "V")
    await settle(pilot)
    assert pilot.app.screen.query_one(selector, Input).value == "FV"
    await pilot.press("backspace", "backspace")
    await settle(pilot)
    await pilot.press("escape")


@pytest.mark.parametrize(("key", "tab_id", "selector", "of_a", "of_b"), TABS)
async def test_a_language_switch_then_another_customer_shows_only_theirs(
    console: Console, key: str, tab_id: str, selector: str, of_a: str, of_b: str
) -> None:
    app = console.app(remember=False, demo=False)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "200001")
        await pilot.press(key)
        await settle(pilot)
        first = app.screen
        assert first.id == tab_id and rows(app) and all(of_a in r for r in rows(app))
        await switch_language(pilot, "en")
        await switch_language(pilot, "pl")
        assert app.screen.id == tab_id
        assert rows(app) and all(of_a in r for r in rows(app))  # not an empty tab
        await type_and_erase(pilot, selector)  # Backspace crashed the console here
        assert app.return_code is None and rows(app)
        await pilot.press("ctrl+x")
        await settle(pilot)
        await sign_in(pilot, "100001")
        await pilot.press(key)
        await settle(pilot)
        assert app.screen.id == tab_id and app.screen is not first
        shown = rows(app)
        assert shown and all(of_b in r for r in shown), shown
        await type_and_erase(pilot, selector)
        assert app.return_code is None
        assert rows(app) == shown
        if key == "2":
            summary = text_of(app, "#invoices-summary")
            assert f"Faktur: {len(shown)} z {len(shown)}" in summary, summary
        every_text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert of_a not in every_text and "Złoty Kłos" not in every_text
        # no tab of A's session is still told of B's chosen property or still alive
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, TabScreen)]
        installed = {id(s) for stack in app._screen_stacks.values() for s in stack}
        assert all(id(s) in installed for s in app.tabs.screens)
        assert all(id(s) in installed for s in alive), alive
