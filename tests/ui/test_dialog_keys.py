"""#14.1: every dialog's keys and focus. Tab through every dialog of the console in every
theme (the high-contrast kiosk's too) and see the focused widget drawn otherwise than when
it is not focused; Enter sends from a field and from a tick box (which it never toggles);
`ctrl+s` sends; Esc leaves; the key bar says so; keys typed while a dialog closes never
land in its fields."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual import events
from textual.geometry import Region
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Static

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.clerk.operator_kiosk import KIOSK_THEME
from ibok_tui.screens.forms.dialogs import Dialog, PasswordConfirmDialog
from ibok_tui.widgets.key_bar import KeyBar
from tests.support.bare_host import BareHost
from tests.ui.console_support import Console, settle
from tests.ui.dialog_catalogue import DIALOGS, Place, every_dialog, sign_in
from tests.ui.tab_harness import local, service  # noqa: F401

THEMES = ("textual-dark", "textual-light", KIOSK_THEME.name)


class DialogHost(BareHost):
    """Opens a dialog once it runs: the one given, or the catalogue's `name` (some dialogs
    are made of the screen they are opened over)."""

    CSS = "Screen { background: $background; }"

    def __init__(
        self,
        backend: LocalBackend,
        dialog: Screen[Any] | str,
        theme: str,
        folder: Path | None = None,
    ) -> None:
        super().__init__(backend)
        self.register_theme(KIOSK_THEME)
        self.theme = theme
        self._local = backend
        self._dialog = dialog
        self._folder = folder or Path()
        self.results: list[object] = []

    async def on_mount(self) -> None:
        dialog = self._dialog
        if isinstance(dialog, str):

            async def office() -> LocalBackend:
                return self._local  # signed in as the entry's role says

            dialog = await DIALOGS[dialog].open(Place(self, self._local, self._folder, office))
        await self.push_screen(dialog, self.results.append)


def test_every_dialog_is_in_the_catalogue() -> None:
    names = {cls.__name__ for cls in every_dialog()}
    assert len(names) >= 20
    assert names == {entry.dialog for entry in DIALOGS.values()}, (
        "add the new dialog to tests/ui/dialog_catalogue.py"
    )


def _drawn(widget: Widget) -> list[list[tuple[str, Any]]]:
    """The cells of a widget and of what it contains, as they are drawn."""
    rows: list[list[tuple[str, Any]]] = []
    for part in widget.walk_children(with_self=True):
        if not isinstance(part, Widget) or not part.display or part.region.area == 0:
            continue
        width, height = part.outer_size
        for strip in part.render_lines(Region(0, 0, width, height)):
            cells: list[tuple[str, Any]] = []
            for segment in strip:
                text, style, _ = segment
                cells.extend((char, style) for char in Segment(text).text)
            rows.append(cells)
    return rows


def _rgb(color: Any, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None:
        return default
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def _visibly_differ(a: Any, b: Any) -> bool:
    """Two cells' styles a person tells apart: another text style (reverse, bold,
    underline), or a colour at least 48 apart (a 5 % tint is not a mark of focus)."""
    if a is None or b is None:
        return a is not b
    if (a.reverse, a.bold, a.underline) != (b.reverse, b.bold, b.underline):
        return True
    for mine, theirs, default in (
        (a.bgcolor, b.bgcolor, (0, 0, 0)),
        (a.color, b.color, (255, 255, 255)),
    ):
        one, other = _rgb(mine, default), _rgb(theirs, default)
        if sum((x - y) ** 2 for x, y in zip(one, other, strict=True)) >= 48**2:
            return True
    return False


def _cells_changed(before: list[list[tuple[str, Any]]], after: list[list[tuple[str, Any]]]) -> int:
    changed = 0
    for row_a, row_b in zip(before, after, strict=False):
        changed += sum(1 for a, b in zip(row_a, row_b, strict=False) if _visibly_differ(a[1], b[1]))
    return changed


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", sorted(DIALOGS))
async def test_tab_through_every_dialog_shows_where_the_focus_is(
    name: str, theme: str, local: LocalBackend, tmp_path: Path
) -> None:
    await sign_in(local, DIALOGS[name].role)
    app = DialogHost(local, name, theme, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause(0.05)
        dialog = app.screen
        assert isinstance(dialog, Dialog) and type(dialog).__name__ == DIALOGS[name].dialog
        chain = [w for w in dialog.focus_chain]
        assert chain, f"{name}: nothing to focus"
        focused_look: dict[int, tuple[Widget, list[list[tuple[str, Any]]]]] = {}
        if dialog.focused is None:
            await pilot.press("tab")
        for _step in range(len(chain)):
            widget = dialog.focused
            assert widget is not None, f"{name}: Tab left no widget focused"
            await pilot.pause()
            focused_look.setdefault(id(widget), (widget, _drawn(widget)))
            await pilot.press("tab")
        assert {id(w) for w in chain} <= set(focused_look), f"{name}: Tab skips a widget"
        dialog.set_focus(None)
        await pilot.pause()
        for widget, look in focused_look.values():
            changed = _cells_changed(look, _drawn(widget))
            assert changed >= 2, f"{name} ({theme}): focus on {widget!r} is not visible"
        # the same keys in every dialog, in its own key bar
        bar = dialog.query_one(KeyBar)
        keys = {key for key, _display, _description, _enabled in bar.keys()}  # noqa: SIM118
        assert "escape" in keys
        if dialog.default_button(enabled=False) is not None:
            assert any(display.endswith("^s") for _k, display, _d, _e in _entries(bar))


def test_every_modal_screen_of_the_console_is_a_dialog() -> None:
    """The same frame, keys and focus everywhere: no modal screen outside the base (the
    new terms and the reading's question were plain modals). Textual's command palette
    keeps Textual's own look and keys, as in every Textual app."""
    import importlib
    import pkgutil

    from textual.command import CommandPalette

    import ibok_tui.widgets

    every_dialog()  # imports the screens
    for module in pkgutil.walk_packages(ibok_tui.widgets.__path__, "ibok_tui.widgets."):
        importlib.import_module(module.name)
    found, todo = [], [ModalScreen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ibok_tui.") and not issubclass(sub, CommandPalette):
                found.append(sub)
    assert found and [c.__qualname__ for c in found if not issubclass(c, Dialog)] == []


def _entries(bar: KeyBar) -> list[tuple[str, str, str, bool]]:
    return bar.keys()


async def _open(local: LocalBackend, dialog: Screen[Any]) -> tuple[DialogHost, Any]:
    app = DialogHost(local, dialog, "textual-dark")
    return app, app.run_test(size=(120, 40))


async def test_enter_on_a_tick_box_sends_the_form_and_space_ticks_it(
    local: LocalBackend, tmp_path: Path
) -> None:
    await sign_in(local, "customer")
    app = DialogHost(local, "consents", "textual-dark", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, Dialog)
        box = dialog.query(Checkbox).first()
        box.focus()
        before = box.value
        await pilot.press("space")
        assert box.value is not before
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert box.value is not before  # Enter sent it, and did not tick it back
        assert app.screen is not dialog
    assert (await local.profile()).customer.consents.e_invoice is not before


async def test_enter_in_the_last_field_sends_and_a_wrong_password_keeps_the_dialog(
    local: LocalBackend,
) -> None:
    await sign_in(local, "customer")
    dialog = PasswordConfirmDialog("Zastrzeż dostęp", "?", "Zastrzeż", danger=True)
    dialog.send_with(local.block_access)
    app, running = await _open(local, dialog)
    async with running as pilot:
        await pilot.pause()
        field = dialog.query_one("#confirm-password", Input)
        field.focus()
        await pilot.press(*"zle-haslo", "enter")
        await settle(pilot)
        assert app.screen is dialog  # refused: the dialog stays, the password typed too
        assert field.value == "zle-haslo"
        error = str(dialog.query_one("#confirm-error", Static).render())
        assert error.strip() and "zle-haslo" not in error
        assert app.failures == []
        field.value = ""
        await pilot.press(*"Woda!Kowalski1", "enter")
        await settle(pilot)
        assert app.screen is not dialog
    assert app.results == ["Woda!Kowalski1"]


@pytest.mark.parametrize("key", ["ctrl+s", "enter"])
async def test_ctrl_s_and_enter_send_a_dialog_and_escape_leaves_it(
    key: str, local: LocalBackend
) -> None:
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    await sign_in(local, "operator")
    dialog = ReasonDialog("Zablokować?", "Konto 100001", "Zablokuj")
    app, running = await _open(local, dialog)
    async with running as pilot:
        await pilot.pause()
        assert isinstance(dialog.focused, Input)
        await pilot.press(*"powod", key)
        await pilot.pause()
        assert app.results == ["powod"]
    other = ReasonDialog("Zablokować?", "Konto 100001", "Zablokuj")
    app, running = await _open(local, other)
    async with running as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_the_key_bar_shows_enter_and_ctrl_s_as_one_entry(local: LocalBackend) -> None:
    """Enter and ctrl+s both send: one entry, "⏎/^s Wyślij", as Textual's footer shows a
    binding group; where Enter does not send (on a button) only ctrl+s."""
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    await sign_in(local, "operator")
    dialog = ReasonDialog("Zablokować?", "Konto 100001", "Zablokuj")
    _app, running = await _open(local, dialog)
    async with running as pilot:
        await pilot.pause()
        assert isinstance(dialog.focused, Input)
        bar = dialog.query_one(KeyBar)
        sends = [entry for entry in _entries(bar) if entry[2] == "Wyślij"]
        assert [(key, display) for key, display, _d, _e in sends] == [("enter", "⏎/^s")]
        assert "⏎/^s Wyślij" in str(bar.render())
        dialog.query_one("#cancel", Button).focus()
        await pilot.pause()
        sends = [entry for entry in _entries(bar) if entry[2] == "Wyślij"]
        assert [(key, display) for key, display, _d, _e in sends] == [("ctrl+s", "^s")]


async def test_enter_in_a_text_area_is_a_new_line_and_ctrl_s_sends(local: LocalBackend) -> None:
    from ibok_tui.screens.clerk.operator_dialogs import ReplyDialog

    await sign_in(local, "operator")
    request = (await local.request_queue(include_closed=True))[0]
    dialog = ReplyDialog(request)
    app, running = await _open(local, dialog)
    async with running as pilot:
        await pilot.pause()
        await pilot.press(*"Dzień dobry", "enter", *"odpowiedź")
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(app.results) == 1
    text, _status = app.results[0]  # type: ignore[misc]
    assert text == "Dzień dobry\nodpowiedź"


async def test_keys_typed_while_a_dialog_closes_do_not_land_in_its_field(
    local: LocalBackend,
) -> None:
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    await sign_in(local, "operator")
    dialog = ReasonDialog("Zablokować?", "Konto 100001", "Zablokuj")
    app, running = await _open(local, dialog)
    async with running as pilot:
        await pilot.pause()
        await pilot.press(*"powod")
        field = dialog.query_one("#reason", Input)
        # Enter and three more keys arrive together, before the dialog handled any of them
        for key, char in (("enter", "\r"), ("x", "x"), ("y", "y"), ("z", "z")):
            app.post_message(events.Key(key, char))
        await pilot.pause(0.2)
        assert app.results == ["powod"]
        assert field.value == "powod"


async def test_a_dialog_button_is_pressed_by_enter_not_the_form_sent(local: LocalBackend) -> None:
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    await sign_in(local, "operator")
    dialog = ReasonDialog("Zablokować?", "Konto 100001", "Zablokuj")
    app, running = await _open(local, dialog)
    async with running as pilot:
        await pilot.pause()
        await pilot.press(*"powod")
        dialog.query_one("#cancel", Button).focus()
        await pilot.press("enter")  # the focused Anuluj: the question, the form not sent
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, Dialog) and app.screen is not dialog


async def test_enter_on_the_clerk_tick_box_of_the_login_signs_in(console: Console) -> None:
    """The issue's case: tick "pracownik BOK", press Enter: it signed nobody in and
    unticked the box."""
    from ibok_tui.widgets.quick_controls import QuickToggle

    app = console.app(remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#operator", QuickToggle)
        box.focus()
        await pilot.press("space")
        assert box.value is True
        app.screen.query_one("#number", Input).value = "bok.anna"
        app.screen.query_one("#password", Input).value = "Operator!2026a"
        box.focus()
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        assert app.backend.session is not None
        assert app.backend.session.subject == "bok.anna"
