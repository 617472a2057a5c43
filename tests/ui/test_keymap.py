"""`[keys]` in the config file rebinds a key by its binding id (Textual's keymap)."""

from __future__ import annotations

from ibok_tui.screens.customer.help import common_keys, tab_rows
from ibok_tui.screens.customer.invoices import InvoicesScreen
from ibok_tui.screens.forms.keys_help import KeysHelpDialog, binding_commands
from ibok_tui.widgets.key_bar import KeyBar
from tests.ui.console_support import SIZE, Console, settle, text_of


async def test_a_key_rebound_in_the_config_file_works_and_the_old_one_does_not(
    console: Console,
) -> None:
    console.config_file.parent.mkdir(parents=True, exist_ok=True)
    console.config_file.write_text(
        '[keys]\n"app.keys_help" = "f12"\n"app.palette" = "ctrl+k"\n', encoding="utf-8"
    )
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        entries = bar.keys()  # (key, shown, description, enabled)
        shown = {entry[2]: entry[0] for entry in entries}
        assert shown["Pomoc do ekranu"] == "f12"
        assert "f1" not in shown.values()
        assert "^k Paleta" in str(bar.render())  # the palette's key at the bar's end
        palette = {c.title: c.help for c in binding_commands(app, app.screen)}
        assert palette["Aplikacja: Pomoc do ekranu"] == "klawisz: f12"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)  # the old key does nothing now
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, KeysHelpDialog)
        listed = text_of(app, "#keys-table")  # F1's list of keys says so too
        assert "f12" in listed and "f1 " not in listed
        intro = common_keys(app, app)  # and Pomoc's keys of every tab
        assert "f12 Pomoc do ekranu" in intro and "^k Paleta" in intro, intro
        assert "f1 " not in intro and "^p" not in intro


async def test_a_tab_rebound_shows_its_new_key_in_the_header(console: Console) -> None:
    console.config_file.parent.mkdir(parents=True, exist_ok=True)
    console.config_file.write_text(
        '[keys]\n"nav.faktury" = "f5,ctrl+f"\n"faktury.pdf" = "ctrl+d"\n', encoding="utf-8"
    )
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "f5 Faktury" in text_of(app, "SessionHeader")
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "pulpit"  # the old key does nothing now
        await pilot.press("f5")
        await settle(pilot)
        assert app.current_mode == "faktury"
        assert ("f5", "Faktury") in [(key, title) for key, title, _c in app.tab_classes()]
        faktury = [row for row in tab_rows(app, app) if row[1] == "Faktury"]
        assert faktury[0][0] == "f5" and "^d: Pobierz PDF" in faktury[0][3]  # Pomoc
