"""The Textual internals the console relies on (ibok_tui/widgets/textual_internals.py) still
have the shape relied on: a Textual or Rich upgrade that changes one fails here first."""

from __future__ import annotations

import inspect
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual import _compositor
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import DataTable, Static

from ibok_tui.domain.text import unsafe_character
from ibok_tui.widgets import textual_internals
from ibok_tui.widgets.textual_internals import (
    ORIGINAL_STRIP_RENDER,
    CleanRenderHook,
    guard_terminal,
    install_render_guard,
)

HOSTILE = "a\x1b]0;PWNED\x07b\x9b2J\u202ec\x00"


def test_the_characters_removed_have_no_cell_so_a_line_keeps_its_width() -> None:
    unsafe = [chr(code) for code in range(0x3000) if unsafe_character(chr(code), multiline=True)]
    assert len(unsafe) > 70
    assert [hex(ord(c)) for c in unsafe if cell_len(c) != 0] == []


def test_a_lone_surrogate_becomes_one_replacement_cell() -> None:
    install_render_guard()
    console = Console(file=io.StringIO(), color_system="truecolor")
    for code in (0xD800, 0xDBFF, 0xDC00, 0xDFFF):
        strip = Strip([Segment(f"a{chr(code)}b\x1b[2J")])
        assert cell_len(chr(code)) == 1
        assert strip.render(console) == "a\ufffdb[2J"
        strip.render(console).encode("utf-8")  # the driver can write it


def test_a_strip_caches_its_render_in_the_slot_the_guard_fills() -> None:
    console = Console(file=io.StringIO(), color_system="truecolor")
    strip = Strip([Segment("ab", Style(bold=True)), Segment("c")])
    assert "_render_cache" in Strip.__slots__ and "_segments" in Strip.__slots__
    assert strip._render_cache is None
    assert list(strip._segments) == [Segment("ab", Style(bold=True)), Segment("c")]
    rendered = ORIGINAL_STRIP_RENDER(strip, console)
    assert strip._render_cache == rendered
    strip._render_cache = "cached"
    assert ORIGINAL_STRIP_RENDER(strip, console) == "cached"  # a filled cache is returned as is


def test_every_frame_update_is_made_of_strip_renders() -> None:
    """The compositor's updates join `strip.render(console)`; the app writes them."""
    for update in (_compositor.LayoutUpdate, _compositor.ChopsUpdate, _compositor.InlineUpdate):
        source = inspect.getsource(update.render_segments)
        assert "strip.render(console)" in source, update.__name__
        assert "_render_buffer" not in source and "segment.text" not in source.replace(
            "move_to(x, y).segment.text", ""
        )
    display = inspect.getsource(App._display)
    assert "renderable.render_segments(console)" in display
    assert "self._driver.write(terminal_sequence)" in display
    # the one other path of _display (a renderable that is not a compositor update) is never
    # taken: screens only hand it compositor updates
    screen_source = inspect.getsource(sys.modules["textual.screen"].Screen._compositor_refresh)
    assert "render_update(" in screen_source and "render_inline(" in screen_source


def test_rich_styles_keep_their_link_where_the_guard_reads_it() -> None:
    style = Style(link="https://x\x1b]52;c;eA==\x07")
    assert style._link == "https://x\x1b]52;c;eA==\x07"
    assert style.update_link("https://x")._link == "https://x"


def test_the_guard_cleans_text_and_links_and_keeps_the_width() -> None:
    install_render_guard()
    install_render_guard()  # idempotent
    assert textual_internals.render_guard_installed()
    console = Console(file=io.StringIO(), color_system="truecolor")
    strip = Strip(
        [
            Segment(HOSTILE, Style(bold=True)),
            Segment(HOSTILE),
            Segment("L", Style(link="https://x\x1b]52;c;eA==\x07")),
        ]
    )
    width = strip.cell_length
    rendered = strip.render(console)
    for raw in ("\x1b]0", "\x1b]52", "\x07", "\x9b", "\u202e", "\x00"):
        assert raw not in rendered
    assert rendered.count("a]0;PWNEDb2Jc") == 2
    assert "https://x]52;c;eA==" in rendered
    assert strip.cell_length == width == 2 * cell_len(HOSTILE) + 1


def test_a_clean_strip_renders_exactly_as_textual_renders_it() -> None:
    install_render_guard()
    console = Console(file=io.StringIO(), color_system="truecolor")
    segments = [Segment("Kowalski ", Style(color="red")), Segment("ul. Długa 5"), Segment("\t")]
    assert Strip(segments).render(console) == ORIGINAL_STRIP_RENDER(Strip(segments), console)


def test_the_error_console_is_cleaned_too() -> None:
    app: App[None] = App()
    guard_terminal(app)
    guard_terminal(app)  # one hook, however often
    hooks = app.error_console._render_hooks
    assert sum(isinstance(hook, CleanRenderHook) for hook in hooks) == 1
    app.error_console.file = io.StringIO()
    app.error_console.print(f"ValueError: {HOSTILE}")
    printed = app.error_console.file.getvalue()
    assert "\x1b]" not in printed and "\x9b" not in printed and "\u202e" not in printed
    assert "PWNED" in printed


@pytest.mark.parametrize("method", ["push_render_hook", "pop_render_hook"])
def test_rich_consoles_take_render_hooks(method: str) -> None:
    assert callable(getattr(Console, method))


def test_textual_writes_no_window_title_and_the_clipboard_as_base64() -> None:
    """Outside frames Textual writes only its own sequences: no window title (OSC 0/2) is
    ever set from `App.title`, and `copy_to_clipboard` sends base64 (OSC 52)."""
    import textual

    root = Path(textual.__file__).parent
    titles = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if any(osc in path.read_text(encoding="utf-8") for osc in (r"\x1b]0;", r"\x1b]2;"))
    ]
    assert titles == []
    clipboard = inspect.getsource(App.copy_to_clipboard)
    assert "base64" in clipboard and "\\x1b]52;c;{base64_text}" in clipboard


def test_a_crash_traceback_printed_after_the_app_carries_no_escape(tmp_path: Path) -> None:
    """Textual prints a crash's traceback on its error console once the terminal is back;
    the exception's message may hold a customer's text. Run in a child process: the
    traceback goes to its standard error."""
    import subprocess

    script = tmp_path / "crash.py"
    script.write_text(
        "from textual.app import App\n"
        "from ibok_tui.widgets.textual_internals import guard_terminal\n"
        "class Crashing(App):\n"
        "    def on_mount(self):\n"
        f"        raise ValueError({HOSTILE!r})\n"
        "app = Crashing()\n"
        "guard_terminal(app)\n"
        "app.run(headless=True)\n",
        encoding="utf-8",
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "COLUMNS": "100"},
        timeout=60,
    )
    printed = done.stderr.decode("utf-8")
    assert "ValueError" in printed and "PWNED" in printed
    for raw in ("\x1b]0", "\x9b", "\x07", "\u202e", "\x00"):
        assert raw not in printed


# --- the other internals: each named function still does what the console assumes ---------


async def test_own_bindings_is_the_map_textual_reads_for_keys() -> None:
    class Keys(App[None]):
        BINDINGS = [("x", "note('first')", "First")]
        notes: list[str] = []

        def action_note(self, what: str) -> None:
            self.notes.append(what)

    app = Keys()
    async with app.run_test() as pilot:
        bindings = textual_internals.own_bindings(app)
        assert [b.action for b in bindings["x"]] == ["note('first')"]
        bindings["x"] = [Binding("x", "note('second')", "Second")]
        await pilot.press("x")
        await pilot.pause()
    assert app.notes == ["second"]


async def test_rebound_bindings_are_the_keys_the_keymap_gives() -> None:
    class Keys(App[None]):
        BINDINGS = [Binding("x", "note", "Note", id="app.note")]

        def action_note(self) -> None:
            pass

    app = Keys()
    async with app.run_test():
        assert "x" in textual_internals.rebound_bindings(app, app)
        app.set_keymap({"app.note": "y"})
        rebound = textual_internals.rebound_bindings(app, app)
        assert "y" in rebound and "x" not in rebound
        assert "x" in textual_internals.own_bindings(app)  # a copy: the node's own map stays


async def test_action_state_is_check_action_as_the_key_bar_sees_it() -> None:
    class Checked(App[None]):
        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            return {"on": True, "dim": None, "off": False}.get(action, True)

    app = Checked()
    async with app.run_test():
        assert textual_internals.action_state(app, "on", app) is True
        assert textual_internals.action_state(app, "dim", app) is None
        assert textual_internals.action_state(app, "off", app) is False


async def test_modes_and_installed_screens() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        assert not textual_internals.has_mode(app, "one")
        app.add_mode("one", Screen)
        app.add_mode("two", Screen)
        assert textual_internals.has_mode(app, "one")
        await app.switch_mode("one")
        pushed: Screen[None] = Screen()
        await app.push_screen(pushed)
        await pilot.pause()
        screens = textual_internals.installed_screens(app)
        assert pushed in screens and app.screen is pushed
        assert any(s is not pushed for s in screens)  # the default mode's screen too
        await app.switch_mode("two")
        await app.remove_mode("one")
        await pilot.pause()
        assert not textual_internals.has_mode(app, "one")
        assert pushed not in textual_internals.installed_screens(app)


async def test_a_screen_marked_current_is_spared_the_css_refresh_on_entry() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        before = textual_internals.css_update_count(app)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert textual_internals.css_update_count(app) > before  # a theme change counts
        fresh: Screen[None] = Screen()
        textual_internals.mark_styles_current(fresh, app)
        assert fresh._css_update_count == textual_internals.css_update_count(app)
    # Textual refreshes a screen's CSS on entry only when its count is behind the app's
    for method in (App._init_mode, App.switch_mode):
        assert "screen._css_update_count != self._css_update_count" in inspect.getsource(method)


async def test_a_mode_made_unseen_is_mounted_drawn_and_then_shown_as_it_is() -> None:
    """`make_mode_screen` makes a mode's screen without showing it, `switch_mode` then
    shows that very screen; `lay_out_unseen` sizes it and `draw_unseen` renders it behind
    the one in front, and its table keeps the rendered lines (tabs.py's tabs made ahead of
    the user)."""

    class Tab(Screen[None]):
        def compose(self) -> Any:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("a", "b")
            table.add_rows([[str(n), str(n * n)] for n in range(30)])

    app: App[None] = App()
    async with app.run_test() as pilot:
        app.add_mode("one", Screen)
        app.add_mode("two", Tab)
        await app.switch_mode("one")
        front = app.screen
        assert not textual_internals.mode_made(app, "two")
        textual_internals.make_mode_screen(app, "two")
        await pilot.pause()
        assert textual_internals.mode_made(app, "two") and app.screen is front
        (made,) = [s for s in textual_internals.installed_screens(app) if isinstance(s, Tab)]
        assert made.is_attached and not made.is_current and made.query_one(DataTable).row_count
        table = made.query_one(DataTable)
        assert not table._line_cache
        textual_internals.lay_out_unseen(made)  # sized, nothing rendered yet
        assert made.size == app.size and table.size.width == app.size.width
        assert not table._line_cache
        textual_internals.draw_unseen(made)
        assert len(table._line_cache) and app.screen is front and made.size == app.size
        await app.switch_mode("two")
        await pilot.pause()
        assert app.screen is made
    assert "self._init_mode(mode)" in inspect.getsource(App.switch_mode)


def test_the_crash_path_prints_what_is_queued_and_closes_without_waiting() -> None:
    app: App[None] = App()
    textual_internals.print_after_exit(app, "printed")
    assert app._exit_renderables == ["printed"]
    fatal = inspect.getsource(App._fatal_error)
    assert "self._exit_renderables.append(" in fatal and "self._close_messages_no_wait()" in fatal
    assert callable(App._close_messages_no_wait)


async def test_clear_render_caches_drops_a_tables_rendered_rows() -> None:
    class Table(App[None]):
        def compose(self) -> Any:
            yield DataTable()

    app = Table()
    async with app.run_test() as pilot:
        table = app.query_one(DataTable)
        table.add_column("a")
        table.add_row("1")
        await pilot.pause()
        assert len(table._row_render_cache) or len(table._line_cache)
        textual_internals.clear_render_caches(table)
        assert len(table._row_render_cache) == len(table._line_cache) == 0


def test_fresh_plot_gives_the_widget_a_new_figure() -> None:
    from textual_plotext import PlotextPlot
    from textual_plotext.plot import Plot

    widget = PlotextPlot()
    old = widget.plt
    textual_internals.fresh_plot(widget)
    assert widget.plt is not old and isinstance(widget.plt, Plot)


def test_release_relies_on_signal_subscriptions_the_first_screen_and_node_lists() -> None:
    from weakref import WeakKeyDictionary

    from textual._node_list import NodeList
    from textual.signal import Signal

    app: App[None] = App()
    signal: Signal[None] = Signal(app, "x")
    assert isinstance(signal._subscriptions, WeakKeyDictionary)
    assert app._compose_screen is None
    screen: Screen[None] = Screen()
    assert isinstance(screen._nodes, NodeList) and screen._pruning is False
    assert "self._compose_screen = self.screen" in inspect.getsource(App._on_compose)


# The private hooks the console overrides (a subclass's method of the same name): Textual
# must still define them with these parameters and call them as relied on.
OVERRIDES = {
    ("screens/forms/base.py", "_on_screen_resume"): (Screen, ["self", "event"]),
    ("screens/forms/base.py", "_on_screen_suspend"): (Screen, ["self"]),
    ("widgets/tables.py", "_update_dimensions"): (DataTable, ["self", "new_rows"]),
    ("app.py", "_handle_exception"): (App, ["self", "error"]),
    ("app.py", "_fatal_error"): (App, ["self"]),
}


@pytest.mark.parametrize("where", sorted(OVERRIDES))
def test_the_overridden_hooks_are_still_there(where: tuple[str, str]) -> None:
    owner, parameters = OVERRIDES[where]
    assert list(inspect.signature(getattr(owner, where[1])).parameters) == parameters


def test_the_overridden_hooks_are_still_called_as_relied_on() -> None:
    assert "event.refresh_styles" in inspect.getsource(Screen._on_screen_resume)
    assert "self._update_dimensions(new_rows)" in inspect.getsource(DataTable)
    assert "self._fatal_error()" in inspect.getsource(App._handle_exception)


async def test_ready_comes_after_the_first_frame_went_to_the_driver() -> None:
    """The console starts its threads on Ready (app.py, `on_ready`): the first frame must
    have been handed to the driver by then."""
    frames: list[object] = []
    at_ready: list[int] = []

    class Started(App[None]):
        def compose(self) -> Any:
            yield Static("iBOK")

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None:
                frames.append(renderable)

        def on_ready(self) -> None:
            at_ready.append(len(frames))

    async with Started().run_test() as pilot:
        await pilot.pause()
    assert at_ready and at_ready[0] >= 1, at_ready


def test_paint_now_does_what_the_timer_and_a_tables_idle_do() -> None:
    """`paint_now` runs the screen's timer step and a table's idle measuring itself."""
    timer = inspect.getsource(Screen._on_timer_update)
    assert "self._compositor_refresh()" in timer and "self._refresh_layout(" in timer
    idle = inspect.getsource(DataTable._on_idle)
    for step in (
        "self._update_column_widths(updated_cells)",
        "self._require_update_dimensions = False",
        "self._new_rows.clear()",
        "self._update_dimensions(new_rows)",
    ):
        assert step in idle, step


async def test_textual_calls_a_screens_private_resume_handler() -> None:
    calls: list[str] = []

    class Tab(Screen[None]):
        def _on_screen_suspend(self) -> None:
            calls.append("suspend")

        def _on_screen_resume(self, event: Any) -> None:
            calls.append("resume")

    app: App[None] = App()
    async with app.run_test() as pilot:
        await app.push_screen(Tab())
        await pilot.pause()
        await app.push_screen(Screen())
        await pilot.pause()
    assert calls[:2] == ["resume", "suspend"]


# --- nothing outside textual_internals.py reads a private name of Textual -----------------

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"
# The console's own private names that happen to be private names of Textual too (another
# class's there): ours, not Textual's.
OWN_NAMES = {
    "_replace",  # NamedTuple's (config.py, widgets/header.py)
    "_asdict",  # NamedTuple's
    "_bindings_changed",  # widgets/key_bar.py: our signal callback
    "_content",  # widgets/quick_controls.py
    "_reset",  # widgets/chart.py
    "_timer",  # screens/clerk/customers.py
    "_title",  # screens/clerk/queue.py
    "_used",  # quiet_gc.py
    "_width",  # widgets/key_bar.py, widgets/header.py
    "_console",  # cli.py
    "_exit",  # cli.py: os._exit, the end of a command's process
    "_sender",  # screens/forms/dialogs.py: the call a dialog sends with
    "_generate",  # cli.py
    "_reload",  # session/desk.py
    "_text",  # config.py: a checked text value
    "_document",  # config.py: the TOML document written
}


def _textual_private_names() -> set[str]:
    import re

    import textual
    import textual_plotext

    names: set[str] = set()
    for package in (textual, textual_plotext):
        for path in Path(package.__file__).parent.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            names.update(re.findall(r"(?:self|cls)\.(_[a-z]\w*)", text))
            names.update(re.findall(r"def (_[a-z]\w*)", text))
    return names


def test_no_module_but_textual_internals_reads_a_private_name_of_textual() -> None:
    import ast

    private = _textual_private_names()
    assert {"_modes", "_bindings", "_css_update_count", "_plot"} <= private  # the scan works
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE))
        if where == "widgets/textual_internals.py" or where.split("/")[0] in (
            "portal",
            "server",
            "domain",
            "backends",
            "commands",  # no Textual there (the import contracts)
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                name, line = node.attr, node.lineno
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name, line = node.name, node.lineno
            else:
                continue
            if name in private and name not in OWN_NAMES and (where, name) not in OVERRIDES:
                found.append(f"{where}:{line} {name}")
    assert found == []


def test_textual_still_writes_the_words_the_console_translates() -> None:
    """Each of Textual's commands and key descriptions the console has words for is still
    Textual's, and Textual has no other: an upgrade that changes one fails here."""
    from textual.command import CommandPalette
    from textual.screen import Screen

    from ibok_tui.widgets.textual_internals import TEXTUAL_COMMANDS, TEXTUAL_KEYS

    source = inspect.getsource(App.get_system_commands)
    for title, help_text in TEXTUAL_COMMANDS:
        assert f'"{title}"' in source and f'"{help_text}"' in source, title
    code = source.split('"""')[-1]  # past the docstring and its example
    assert code.count("SystemCommand(") == len(TEXTUAL_COMMANDS)
    described = {
        binding.description  # type: ignore[union-attr]
        for owner in (App, Screen, CommandPalette)
        for binding in owner.BINDINGS
        if getattr(binding, "description", "")
    }
    assert described == set(TEXTUAL_KEYS)


def test_the_palette_s_no_matches_is_textual_s_method_with_the_console_s_words() -> None:
    from textual.command import CommandPalette

    from ibok_tui.widgets.textual_internals import ConsolePalette

    source = inspect.getsource(CommandPalette._start_no_matches_countdown)
    assert '"No matches found"' in source
    for name in ("_stop_no_matches_countdown", "_NO_MATCHES_COUNTDOWN", "_NO_MATCHES"):
        assert hasattr(CommandPalette, name), name
    for name in ("_no_matches_timer", "_list_visible"):
        assert name in source or name in inspect.getsource(CommandPalette.__init__), name
    assert "placeholder" in inspect.signature(CommandPalette.__init__).parameters
    assert ConsolePalette._start_no_matches_countdown is not (
        CommandPalette._start_no_matches_countdown
    )
