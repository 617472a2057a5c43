"""The Textual internals the console relies on, in one place; tests/ui/test_textual_internals.py
asserts that each still has the shape relied on, so a Textual upgrade fails there first.

The render guard: every frame Textual sends to the terminal is made of `Strip.render`'s
output (the compositor's updates join their strips' renders, `App._display` writes them
to the driver). A segment's text is what a widget shows; its control sequences come only
from the segment's style (colours, attributes, an OSC 8 link). So removing the characters
that steer a terminal from each segment's text, and from a link's target, there, is the
one net that no screen can forget: a customer's street, a server's `detail` or a file
name cannot clear the screen, set the window title or write the clipboard. Rich gives
those characters no cell, so a line keeps its width (a lone surrogate, which has one and
cannot be encoded, becomes U+FFFD). Widgets show them as visible
stand-ins first where that is cheap (`ibok_tui.domain.text.visible`); the guard catches
the rest.

The same rule for what Textual prints with Rich outside frames (the error console's
traceback after a crash): `CleanRenderHook` cleans every segment such a console renders.

The rest: small named functions over the other private names of Textual (and
textual-plotext) the console reads; nothing outside this module reads one
(tests/ui/test_textual_internals.py greps for that). The few private hooks the console
overrides (`Screen._on_screen_resume`/`_on_screen_suspend`, `DataTable._update_dimensions`,
`App._handle_exception`/`_fatal_error`) are listed in that test, which asserts that Textual
still defines and calls them as relied on.

Letting go of closed widgets (`release_closed_nodes`, Textual 8.2; tests/ui/test_kiosk.py's
test that nothing of one customer survives for the next fails if these change):

- `Signal._subscriptions`: a `WeakKeyDictionary` of subscriber to callbacks, but each
  callback is a closure over its subscriber, so an entry goes only when the signal next
  publishes. Until then a closed tab's widgets stay alive: the app's theme signal kept
  Analizy's chart (a meter's serial), a login screen's selection signal its fields.
- `App._compose_screen`: the app's first screen (here a login, with the first customer's
  number typed in), kept for the app's life, also as a local of Textual's message loop;
  its `_nodes` (a `NodeList`, with caches) still hold its widgets after it is removed.

If an internal is not there any more, nothing is done (a logout must not fail on it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from functools import wraps
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.console import Console, ConsoleOptions, RenderableType, RenderHook, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets.option_list import Option

from ..domain.text import unsafe_character, without_unsafe
from ..i18n import N_, _

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode
    from textual.widgets import DataTable
    from textual_plotext import PlotextPlot

ORIGINAL_STRIP_RENDER = Strip.render
_GUARD_MARK = "_ibok_render_guard"


def _clean_style(style: Style | None) -> Style | None:
    if style is None or not style._link or unsafe_character(style._link, multiline=True) is None:
        return style
    return style.update_link(without_unsafe(style._link) or None)


_TEXT, _STYLE = itemgetter(0), itemgetter(1)


def _needs_cleaning(segments: Sequence[Segment]) -> bool:
    # the fast path: one look at the line's text (printable text holds nothing unsafe)
    # and at the few styles with a link
    text = "".join(map(_TEXT, segments))
    if not text.isprintable() and unsafe_character(text, multiline=True) is not None:
        return True
    linked = [style for style in map(_STYLE, segments) if style is not None and style._link]
    return bool(linked) and any(_clean_style(style) is not style for style in linked)


def _clean_text(text: str) -> str:
    # A lone surrogate has a cell (and cannot be written at all): it becomes U+FFFD, one
    # cell too; the rest of the unsafe characters have none and are removed.
    if unsafe_character(text, multiline=True) is None:
        return text
    whole = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return without_unsafe(whole)


def clean_segments(segments: Iterable[Segment]) -> list[Segment]:
    """`segments` with the unsafe characters taken out of their text and link targets,
    each line keeping its width. Control segments (cursor moves Rich makes itself) are
    kept as they are."""
    return [
        segment
        if segment.control
        else Segment(_clean_text(segment.text), _clean_style(segment.style))
        for segment in segments
    ]


def _guarded_render(self: Strip, console: Console) -> str:
    if self._render_cache is None:
        segments = self._segments
        if _needs_cleaning(segments):
            # Textual's own render of the cleaned line becomes this strip's cached render
            cleaned = Strip(clean_segments(segments), self.cell_length)
            self._render_cache = ORIGINAL_STRIP_RENDER(cleaned, console)
    return ORIGINAL_STRIP_RENDER(self, console)


def install_render_guard() -> None:
    """Make every frame's text safe for the terminal (idempotent); see the module's doc."""
    if getattr(Strip.render, _GUARD_MARK, False):
        return
    guarded = wraps(ORIGINAL_STRIP_RENDER)(_guarded_render)
    setattr(guarded, _GUARD_MARK, True)
    Strip.render = guarded  # type: ignore[method-assign]


def render_guard_installed() -> bool:
    return bool(getattr(Strip.render, _GUARD_MARK, False))


class _Clean:
    """A renderable that renders another and cleans its segments."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from clean_segments(console.render(self.renderable, options))


class CleanRenderHook(RenderHook):
    """A Rich console hook: everything the console prints is cleaned as frames are."""

    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Clean(renderable) for renderable in renderables]


def guard_terminal(app: App[Any]) -> None:
    """Install the render guard (once per process) and guard `app`'s error console: what
    Textual prints there after the terminal is back (a crash's traceback, `App.exit`'s
    message) goes through the same rule."""
    install_render_guard()
    if not any(isinstance(hook, CleanRenderHook) for hook in app.error_console._render_hooks):
        app.error_console.push_render_hook(CleanRenderHook())


# --- bindings -------------------------------------------------------------------------


def own_bindings(node: DOMNode) -> dict[str, list[Binding]]:
    """The node's own bindings by key (`DOMNode._bindings`), the map Textual reads: changing
    it changes the node's keys."""
    return node._bindings.key_to_bindings


def rebound_bindings(app: App[Any], node: DOMNode) -> dict[str, list[Binding]]:
    """A copy of the node's bindings by key with the user's `[keys]` applied (`App._keymap`),
    as the key bar shows them: for lists of keys made from the bindings themselves (F1,
    the palette)."""
    bindings = node._bindings.copy()
    if app._keymap:
        bindings.apply_keymap(app._keymap)
    return bindings.key_to_bindings


def action_state(app: App[Any], action: str, namespace: DOMNode) -> bool | None:
    """`check_action`'s answer for `action` on `namespace`, as the key bar sees it: True
    (enabled), None (shown disabled) or False (hidden) (`App._check_action_state`)."""
    return app._check_action_state(action, namespace)


# --- modes and screens ----------------------------------------------------------------


def has_mode(app: App[Any], mode: str) -> bool:
    """Whether `mode` is installed (`App._modes`; Textual has no public question for it)."""
    return mode in app._modes


def mode_made(app: App[Any], mode: str) -> bool:
    """Whether `mode`'s screen is made (its stack in `App._screen_stacks`)."""
    return bool(app._screen_stacks.get(mode))


def make_mode_screen(app: App[Any], mode: str) -> None:
    """Make `mode`'s screen without showing it: the first step of `switch_mode` for a mode
    not entered yet (`App._init_mode`: the screen made and mounted, its CSS loaded, a
    `ScreenResume` posted to it), which `switch_mode` then skips (the stack is there)."""
    if not mode_made(app, mode):
        app._init_mode(mode)


def lay_out_unseen(screen: Screen[Any]) -> None:
    """Lay out a screen that is not in front (`Screen._refresh_layout`): its widgets get
    their sizes and hear of them (`Resize`, a table fits its columns), so that a
    `draw_unseen` after those messages renders what will be shown."""
    screen._refresh_layout(screen.app.size)
    screen._layout_required = False


def draw_unseen(screen: Screen[Any]) -> None:
    """Lay out and render a screen that is not in front, for nothing but the caches: its
    widgets keep their rendered lines (a table its rows), so its first frame when shown
    is drawn from them, as a return is. What Textual's update timer does for the screen in
    front (`Screen._on_timer_update`: the layout, then the compositor's render), without
    handing the frame to the driver."""
    screen._refresh_layout(screen.app.size)
    screen._layout_required = False
    screen._compositor.update_widgets(screen._dirty_widgets)
    screen._dirty_widgets.clear()
    screen._compositor.render_update(full=True)


def paint_now(screen: Screen[Any]) -> None:
    """Lay out and paint the screen in front's pending changes now, as its update timer
    does at its next tick (`Screen._on_timer_update`), which comes on a 1/60 s grid: the
    changes of one batch waited up to 17 ms on a screen that had nothing else to do. Its
    tables measure their new rows first, as each would on its next idle
    (`DataTable._on_idle`), or the frame would show them empty."""
    if not screen.is_current or screen.app._batch_count:
        return
    from textual.widgets import DataTable  # (not for the login screen's first frame)

    for table in screen.query(DataTable):
        if table._updated_cells:
            cells = table._updated_cells.copy()
            table._updated_cells.clear()
            table._update_column_widths(cells)
        if table._require_update_dimensions:
            table._require_update_dimensions = False
            rows = table._new_rows.copy()
            table._new_rows.clear()
            table._update_dimensions(rows)
    screen._on_timer_update()


def installed_screens(app: App[Any]) -> list[Screen[Any]]:
    """Every screen on every mode's stack (`App._screen_stacks`)."""
    return [screen for stack in app._screen_stacks.values() for screen in stack]


# --- CSS ------------------------------------------------------------------------------


def css_update_count(app: App[Any]) -> int:
    """How many times the app's stylesheet was re-applied (`App._css_update_count`)."""
    return app._css_update_count


def mark_styles_current(screen: Screen[Any], app: App[Any]) -> None:
    """Spare `screen` the CSS refresh Textual runs when it sees a screen's count behind the
    app's (`Screen._css_update_count`, compared in `App._init_mode`/`switch_mode`)."""
    screen._css_update_count = app._css_update_count


# --- the crash path -------------------------------------------------------------------


def print_after_exit(app: App[Any], renderable: Any) -> None:
    """Have Textual print `renderable` once the terminal is back (`App._exit_renderables`)."""
    app._exit_renderables.append(renderable)


def close_now(app: App[Any]) -> None:
    """End the app's message loop at once, as Textual's own fatal error does
    (`App._close_messages_no_wait`)."""
    app._close_messages_no_wait()


# --- tables and charts ----------------------------------------------------------------


def clear_render_caches(table: DataTable[Any]) -> None:
    """Drop a table's rendered rows and lines (`DataTable._clear_caches`)."""
    table._clear_caches()


def measuring_pending(table: DataTable[Any]) -> bool:
    """Whether a table has rows or cells it has not measured yet (it does on its next idle:
    `DataTable._require_update_dimensions`, `_updated_cells`, `_new_rows`)."""
    return bool(table._require_update_dimensions or table._updated_cells or table._new_rows)


def row_label_width(table: DataTable[Any]) -> int:
    """The cells a table's row labels take (`DataTable._row_label_column_width`)."""
    return int(table._row_label_column_width)


def fresh_plot(widget: PlotextPlot) -> None:
    """A new plotext figure for `widget` (`PlotextPlot._plot`, which `plt` returns):
    plotext keeps layout state between builds of one figure."""
    from textual_plotext.plot import Plot

    widget._plot = Plot()


# --- letting go of closed widgets (see the module's doc) ------------------------------


def release_closed_nodes(app: App[Any], installed: Sequence[Screen[Any]]) -> None:
    """Drop every signal subscription of a node no longer attached, on the app and on the
    `installed` screens; empty the app's first screen when it is no longer installed."""
    from textual.signal import Signal

    owners: list[object] = [app, *installed]
    with contextlib.suppress(AttributeError, ImportError):
        first = app._compose_screen  # see RELEASE below
        if first is not None and all(first is not owner for owner in owners):
            from textual._node_list import NodeList

            owners.append(first)
            first._nodes = NodeList(first)  # its widgets (the typed number), caches and all
            app._compose_screen = None  # then `default_screen` is the current screen
    for owner in owners:
        for value in vars(owner).values():
            if not isinstance(value, Signal):
                continue
            with contextlib.suppress(AttributeError):
                for node in list(value._subscriptions):
                    if not node.is_attached or node._pruning:
                        value.unsubscribe(node)


# --- Textual's own words in the console's language ----------------------------------------
# Textual writes its palette's commands, its key descriptions and the palette's prompts in
# English. The console shows them in its language: each of Textual's words (8.2.8) maps to a
# Polish message of the catalogue. The test asserts each still occurs in Textual's source,
# so words an upgrade changes or adds fail there.
TEXTUAL_COMMANDS: dict[tuple[str, str], tuple[str, str]] = {
    ("Theme", "Change the current theme"): (N_("Motyw"), N_("Zmień motyw konsoli")),
    ("Quit", "Quit the application as soon as possible"): (
        N_("Wyjście"),
        N_("Zamknij konsolę od razu"),
    ),
    ("Keys", "Hide the keys and widget help panel"): (
        N_("Klawisze"),
        N_("Ukryj panel klawiszy i pomocy pola"),
    ),
    ("Keys", "Show help for the focused widget and a summary of available keys"): (
        N_("Klawisze"),
        N_("Pokaż pomoc do wybranego pola i listę dostępnych klawiszy"),
    ),
    ("Minimize", "Minimize the widget and restore to normal size"): (
        N_("Zmniejsz"),
        N_("Przywróć zwykły rozmiar pola"),
    ),
    ("Maximize", "Maximize the focused widget"): (
        N_("Powiększ"),
        N_("Powiększ wybrane pole na cały ekran"),
    ),
    ("Screenshot", "Save an SVG 'screenshot' of the current screen"): (
        N_("Zrzut ekranu"),
        N_("Zapisz obraz SVG bieżącego ekranu"),
    ),
}
TEXTUAL_KEYS: dict[str, str] = {
    "Quit": N_("Wyjście"),  # App: ctrl+q
    "Focus Next": N_("Następne pole"),  # Screen: tab
    "Focus Previous": N_("Poprzednie pole"),  # Screen: shift+tab
    "Copy selected text": N_("Kopiuj zaznaczony tekst"),  # Screen: ctrl+c
    "Go to bottom": N_("Na koniec listy"),  # CommandPalette
    "Go to top": N_("Na początek listy"),
    "Next command": N_("Następne polecenie"),
    "Exit the command palette": N_("Zamknij paletę poleceń"),
    "Next page": N_("Następna strona"),
    "Previous page": N_("Poprzednia strona"),
    "Previous command": N_("Poprzednie polecenie"),
}
PALETTE_PLACEHOLDER = N_("Szukaj poleceń…")  # Textual: "Search for commands…"
NO_MATCHES = N_("Nic nie pasuje")  # Textual: "No matches found"


def key_description(description: str) -> str:
    """A binding's description in the console's language, Textual's own ones too."""
    return _(TEXTUAL_KEYS.get(description, description))


def translated_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's palette commands with their titles and help in the console's language."""
    for command in commands:
        words = TEXTUAL_COMMANDS.get((command.title, command.help))
        yield command if words is None else command._replace(title=_(words[0]), help=_(words[1]))


class ConsolePalette(CommandPalette):
    """Textual's command palette with its prompt and its "no matches" in the console's
    language. The prompt is public (`placeholder`); "No matches found" is written inside
    the private `_start_no_matches_countdown`, so that one method is Textual's with the
    console's words (it uses `_stop_no_matches_countdown`, `_NO_MATCHES_COUNTDOWN`,
    `_NO_MATCHES`, `_no_matches_timer` and `_list_visible`)."""

    def __init__(self) -> None:
        super().__init__(placeholder=_(PALETTE_PLACEHOLDER), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_(NO_MATCHES), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
