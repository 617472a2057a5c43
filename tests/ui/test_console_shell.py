"""The shell: tab keys, F1 help, the command palette, an expired session, an unreachable
server, validation errors, the property, the language."""

from __future__ import annotations

import tomllib
from datetime import timedelta

from textual.widgets import DataTable, Input, Select

from ibok_tui.app import TABS
from ibok_tui.screens.account.reauth import ReauthDialog
from ibok_tui.screens.customer.data import CustomerScreen
from ibok_tui.screens.customer.invoices import InvoicesScreen
from ibok_tui.screens.forms.base import TabScreen
from ibok_tui.screens.forms.dialogs import ChoiceDialog, ErrorDialog
from ibok_tui.screens.forms.keys_help import KeysHelpDialog, binding_commands
from ibok_tui.widgets.panel import Panel
from tests.support.unreachable import SwitchableBackend
from tests.ui.console_support import SIZE, Console, settle, text_of


async def test_number_keys_visit_every_tab(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, mode, title, _module, _name in TABS:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            assert isinstance(app.screen, TabScreen), mode
            assert title in text_of(app, "SessionHeader")


async def test_f1_lists_the_screens_keys_and_the_palette_has_them_all(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        titles = [command.title for command in binding_commands(app, app.screen)]
        assert "Faktury: Pobierz PDF" in titles
        assert "Nawigacja: Rozrachunki" in titles
        assert "Aplikacja: Wyloguj" in titles
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysHelpDialog)
        assert "Faktury: lista faktur" in text_of(app, "#keys-about")
        assert "Pobierz PDF" in text_of(app, "#keys-table")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)


async def test_slash_focuses_the_filter_and_enter_goes_back_to_the_list(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#invoice-number", Input)
        await pilot.press(*"036", "enter")
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", DataTable)
        assert app.focused is table
        assert table.row_count == 1


async def test_expired_session_asks_for_the_password_and_keeps_the_form(
    console: Console,
) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        app.screen.query_one("#contact-email", Input).value = "nowy.adres@example.pl"
        console.clock.advance(timedelta(hours=9))  # past the 8-hour session
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReauthDialog)
        app.screen.query_one("#reauth-password", Input).value = "Woda!Kowalski1"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.query_one("#contact-email", Input).value == "nowy.adres@example.pl"
    token = console.service.login("100001", "Woda!Kowalski1").token
    assert console.service.profile(token).customer.email == "nowy.adres@example.pl"


async def test_unreachable_server_shows_an_error_with_retry(console: Console) -> None:
    backend = SwitchableBackend(console.backend("100001"))
    app = console.app(backend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.down = True
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert text_of(app, "#error-message") == "Nie można połączyć się z serwerem iBOK."
        backend.down = False
        await pilot.click("#retry")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        assert app.screen.query_one("#invoices-table", DataTable).row_count == 36


async def test_validation_errors_keep_what_was_typed(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#contact-email", Input).value = "to nie e-mail"
        screen.query_one("#contact-address-postal_code", Input).value = "05540"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#err-contact-email") == "Podaj poprawny adres e-mail."
        assert text_of(app, "#err-contact-address-postal_code") == (
            "Kod pocztowy ma postać 00-000."
        )
        assert screen.query_one("#contact-email", Input).value == "to nie e-mail"
        assert screen.query_one("#contact-address-postal_code", Input).value == "05540"
    token = console.service.login("100001", "Woda!Kowalski1").token
    assert console.service.profile(token).customer.email == "jan.kowalski@example.pl"


async def test_property_switch_filters_invoices(console: Console) -> None:
    app = console.app(console.backend("200001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Posesja: wszystkie (3)" in text_of(app, "SessionHeader")
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", DataTable)
        everything = table.row_count
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # the first property
        await settle(pilot)
        first = app.profile_data.properties[0]  # type: ignore[union-attr]
        assert f"Posesja: {first.label}" in text_of(app, "SessionHeader")
        assert 0 < table.row_count < everything


async def test_english_switches_the_whole_console_and_is_saved(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await settle(pilot)
        app.screen.query_one("#language", Select).value = "en"
        await settle(pilot)
        header = text_of(app, "SessionHeader")
        assert "data as of 20/11/2026" in header
        assert "PLN\xa0106.93 to pay" in header
        assert "Settings" in header
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.query_one("#balance", Panel).title == "Balance and payments"
    saved = tomllib.loads(console.config_file.read_text(encoding="utf-8"))
    assert saved["settings"]["language"] == "en"


async def test_pulpit_submits_a_reading_for_the_highlighted_meter(console: Console) -> None:
    from ibok_tui.screens.customer.pulpit import PulpitScreen
    from ibok_tui.screens.forms.reading_form import ReadingForm

    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReadingForm)
        form.query_one("#index", Input).value = "1 018,5"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen)
        table = app.screen.query_one("#meters-table", DataTable)
        last_index = str(table.get_row_at(0)[4]).replace("\u00a0", " ")
        assert last_index == "1 018,500 m³"
    stored = console.service.store.all(
        "SELECT idx, status FROM readings WHERE meter_id = 'M-WK-2209-11873' AND status = 'pending'"
    )
    assert [(r["idx"], r["status"]) for r in stored] == [(1018500, "pending")]


def test_no_tab_takes_a_key_of_the_shell() -> None:
    """The shell's keys (tabs, Ustawienia, Pomoc, the property, help, logout, quit) work on
    every tab: a tab's own binding of the same key would win and hide them."""
    from textual.binding import Binding

    from ibok_tui.app import TABS, IbokApp, tab_screen_class

    shell = {b.key for b in IbokApp.BINDINGS if isinstance(b, Binding) and b.key != "f1"}
    for _key, mode, *_rest in TABS:
        screen = tab_screen_class(mode)
        keys = {
            key.strip()
            for cls in screen.__mro__
            for b in getattr(cls, "BINDINGS", [])
            if isinstance(b, Binding)
            for key in b.key.split(",")
        }
        assert not keys & shell, (mode, keys & shell)


async def test_escape_leaves_a_text_field_so_the_tab_keys_work_again(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await settle(pilot)
        email = app.screen.query_one("#contact-email", Input)
        await pilot.press("tab")  # from the properties' table straight to the first field
        assert app.focused is email
        await pilot.press("end", "x")
        assert email.value.endswith("x")
        await pilot.press("escape")
        await pilot.press("2")  # a tab key again, not a character in the field
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("0")
        await settle(pilot)
        assert app.screen.query_one("#contact-email", Input).value.endswith("x")  # kept


async def test_ctrl_p_opens_the_command_palette_in_both_languages(console: Console) -> None:
    from textual.command import CommandPalette

    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        await app.change_language("en")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_the_palette_switches_the_language(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"język")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.config.settings.language == "en"
        assert "Invoices" in app.header_state.tabs[1]


async def test_a_tab_left_and_entered_again_keeps_its_look_and_takes_a_new_theme(
    console: Console,
) -> None:
    """A tab that comes back is not restyled from scratch (screens/forms/base.py), yet a theme
    chosen on Ustawienia while it was away reaches it, and the focused row stays marked."""
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", DataTable)
        await pilot.press("down")
        await settle(pilot)

        def row_colours(y: int) -> set[str]:
            strip = table.render_line(y)
            return {str(s.style.bgcolor) for s in strip if s.style and s.style.bgcolor}

        cursor_row = table.cursor_row + 1  # line 0 is the header
        before = row_colours(cursor_row)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert table.has_focus
        assert row_colours(cursor_row) == before  # the highlighted row, as it was

        dark_surface = table.styles.background
        await pilot.press("u")
        await settle(pilot)
        app.change_theme("textual-light")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert table.styles.background != dark_surface
        assert table.styles.background.hex == app.current_theme.surface
        assert row_colours(cursor_row) != before


async def test_textual_s_own_words_are_in_the_console_s_language(console: Console) -> None:
    """The palette's prompt, its "no matches", Textual's commands and keys: Polish in the
    Polish console, Textual's English in the English one."""
    from textual.command import CommandInput, CommandList

    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Motyw", "Wyjście", "Klawisze", "Zrzut ekranu"} <= set(titles)
        assert not {"Theme", "Quit", "Keys", "Screenshot"} & set(titles)
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Następne pole" in descriptions and "Focus Next" not in descriptions
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == "Szukaj poleceń…"
        await pilot.press(*"qqqzzz")
        await pilot.pause(0.8)  # Textual waits half a second before saying nothing matched
        await settle(pilot)
        shown = app.screen.query_one(CommandList)
        texts = [str(shown.get_option_at_index(i).prompt) for i in range(shown.option_count)]
        assert any("Nic nie pasuje" in text for text in texts), texts
        await pilot.press("escape")
        await settle(pilot)
        await app.change_language("en")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Theme", "Quit", "Keys", "Screenshot"} <= set(titles)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).placeholder == "Search for commands…"
