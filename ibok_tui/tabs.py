"""The console's tabs: their keys, modes, titles and screens, in the order of their keys,
and `TabModes`, the app's modes for them (composed by the app).

Each tab's module is imported when the tab is first shown (start-up time)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from textual.binding import Binding

from .config import first_key
from .i18n import _
from .widgets.textual_internals import (
    css_update_count,
    draw_unseen,
    has_mode,
    installed_screens,
    lay_out_unseen,
    make_mode_screen,
    mark_styles_current,
    mode_made,
    release_closed_nodes,
)

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from .domain.changes import Change
    from .screens.forms.base import TabScreen

BLANK_MODE = "blank"  # an empty screen in front while the one it stands for is made again
AHEAD = 2  # the tabs made (their data loaded) ahead of the user, after the one in front
AHEAD_QUIET = 0.4  # seconds without a key before a tab is made ahead (the user reads)
AHEAD_TICK = 0.1  # seconds between two looks whether the console is quiet

# (key, mode, title, module, class)
TABS: tuple[tuple[str, str, str, str, str], ...] = (
    ("1", "pulpit", "Pulpit", "customer.pulpit", "PulpitScreen"),
    ("2", "faktury", "Faktury", "customer.invoices", "InvoicesScreen"),
    ("3", "rozrachunki", "Rozrachunki", "customer.settlements", "SettlementsScreen"),
    ("4", "odczyty", "Odczyty", "customer.readings", "ReadingsScreen"),
    ("5", "wodomierze", "Wodomierze", "customer.meters", "MetersScreen"),
    ("6", "zgloszenia", "Zgłoszenia", "customer.requests", "RequestsScreen"),
    ("7", "analizy", "Analizy", "customer.analyses", "AnalysesScreen"),
    ("8", "umowy", "Umowy", "customer.contracts", "ContractsScreen"),
    ("9", "dokumenty", "Dokumenty", "customer.documents", "DocumentsScreen"),
    ("0", "dane", "Dane klienta", "customer.data", "CustomerScreen"),
    ("u", "ustawienia", "Ustawienia", "customer.settings", "SettingsScreen"),
    ("question_mark", "pomoc", "Pomoc", "customer.help", "HelpScreen"),
)
KEY_LABELS = {"question_mark": "?"}


def tab_screen_class(mode: str) -> type[TabScreen]:
    """The tab's screen class, its module imported on first use."""
    for _key, tab_mode, _title, module, name in TABS:
        if tab_mode == mode:
            loaded = importlib.import_module(f"ibok_tui.screens.{module}")
            screen_class: type[TabScreen] = getattr(loaded, name)
            return screen_class
    raise KeyError(mode)


def nav_binding(key: str, mode: str, title: str) -> Binding:
    """The shell's key for a tab (shown in the key bar only for Pomoc)."""
    return Binding(
        key,
        f"app.switch_tab('{mode}')",
        title,
        id=f"nav.{mode}",
        key_display=KEY_LABELS.get(key),
        show=mode in ("pomoc",),
    )


def tab_key(key: str, mode: str, keys: Mapping[str, str]) -> str:
    """How the tab's key is shown: its first key in the user's `[keys]` if rebound there."""
    shown = first_key(keys, f"nav.{mode}") or key
    return KEY_LABELS.get(shown, shown)


def header_tabs(keys: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
    """(key as shown, mode, title in the current language) for the session header."""
    return tuple((tab_key(k, mode, keys), mode, _(title)) for k, mode, title, _m, _c in TABS)


def tab_modes() -> tuple[str, ...]:
    return tuple(mode for _key, mode, _title, _module, _name in TABS)


class TabModes:
    """The app's modes of the tabs and the login screen: each screen made on its first
    visit (its styles marked current), all forgotten at logout; the tabs made are told when
    the chosen property changes."""

    def __init__(self, app: App[Any], *, ahead: int = AHEAD) -> None:
        self.app = app
        self.ahead = ahead  # how many tabs are made ahead of the user (see `make_ahead`)
        self.screens: WeakSet[TabScreen] = WeakSet()  # told when the property changes
        self.css_fresh_at = -1  # the CSS update count the stylesheet was last refreshed at
        self.generation = 0  # one more at every reset: a tab made ahead before it is not
        self.making_ahead = False

    def install(self) -> None:
        self.app.add_mode("login", self.make_login_screen)
        for _key, mode, _title, _module, _name in TABS:
            self.app.add_mode(mode, partial(self.make_tab, mode))

    async def reset(
        self, *, to_login: bool, rebuild_current: bool = False, at_login: Callable[[], None]
    ) -> None:
        """Forget every tab's screen (and the data on it); go to the login screen (and call
        `at_login` there) or stay.

        Staying, the tab in front is kept as it is, or (`rebuild_current`) made again: a
        blank screen stands in front while its old screen goes."""
        app = self.app
        self.generation += 1
        current = app.current_mode
        rebuild = rebuild_current and not to_login and current in tab_modes()
        if rebuild:
            from .screens.forms.base import BlankScreen

            app.add_mode(BLANK_MODE, BlankScreen)
            await app.switch_mode(BLANK_MODE)
        keep = None if to_login or rebuild else current
        if to_login:
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await app.switch_mode("login")
            at_login()
        for _key, mode, _title, _module, _name in TABS:
            if mode != keep:
                await app.remove_mode(mode)
                app.add_mode(mode, partial(self.make_tab, mode))
        if has_mode(app, "operator") and app.current_mode != "operator":
            await app.remove_mode("operator")
        # only the tabs still installed hear of the chosen property: a closed tab must not
        # fill its table again with the last session's data
        kept = {id(s) for s in installed_screens(app)}
        self.screens = WeakSet(s for s in self.screens if id(s) in kept)
        if rebuild:
            await app.switch_mode(current)
            await app.remove_mode(BLANK_MODE)
        self.forget_closed_nodes()

    def records_changed(self, kinds: frozenset[Change]) -> None:
        """A write changed these kinds of record: every tab installed (and the clerk's
        screen) that shows one of them loads it now if in front, else when next shown."""
        from .screens.forms.base import TabScreen  # imported already: a tab is open

        for screen in installed_screens(self.app):
            if isinstance(screen, TabScreen):
                screen.records_changed(kinds)

    def forget_closed_nodes(self) -> None:
        """Let go of the widgets of screens that are gone (widgets/textual_internals.py)."""
        release_closed_nodes(self.app, installed_screens(self.app))

    def make_login_screen(self) -> Screen[Any]:
        from .screens.account.login import LoginScreen  # a resumed start never shows it

        return self._fresh(LoginScreen())

    def make_tab(self, mode: str) -> Screen[Any]:
        tab = tab_screen_class(mode)()
        tab.made_ahead = self.making_ahead
        tab.laid_out_ahead = tab.drawn_ahead = False
        self.screens.add(tab)
        return self._fresh(tab)

    # --- the next tabs, made while the user reads -----------------------------------------
    def make_ahead(self, after: str, quiet_for: Callable[[], float | None]) -> None:
        """Make the `ahead` tabs after `after` (in the order of their keys) in the
        background while the user reads, one step at a time: a tab made (its widgets
        mounted, its data loaded), then laid out, then drawn once for nothing but the
        caches, then the next; so its first visit costs what a return does. A step is taken only
        when no key came for `AHEAD_QUIET` seconds (`quiet_for()`: the seconds since the
        last one, None when nothing may be loaded: no session) and no worker runs, so it
        never delays what the user asked for; a tab not made yet is made when its key is
        pressed, as always. Nothing is made after a reset (a logout, another language)."""
        modes = tab_modes()
        if after not in modes or not self.ahead:
            return
        start = modes.index(after) + 1
        ahead = list((modes[start:] + modes[:start])[: self.ahead])
        self._make_next(ahead, self.generation, quiet_for)

    def _make_next(
        self, modes: list[str], generation: int, quiet_for: Callable[[], float | None]
    ) -> None:
        app = self.app

        def step() -> None:
            if generation != self.generation or not app.is_running:
                return
            quiet = quiet_for()
            if quiet is None or app.current_mode not in tab_modes():
                return
            busy = any(worker.is_running for worker in app.workers)
            if quiet < AHEAD_QUIET or busy or len(app.screen_stack) > 1:  # a dialog is up
                self._make_next(modes, generation, quiet_for)  # not now: later
                return
            for tab in list(self.screens):  # made, its data loaded: laid out, then drawn
                if tab.made_ahead and not tab.drawn_ahead and tab.is_attached:
                    # laid out first: its tables fit their columns to the width they get
                    # (and drop what they rendered) when they hear of it, before the draw
                    if not tab.is_current:
                        (draw_unseen if tab.laid_out_ahead else lay_out_unseen)(tab)
                    tab.drawn_ahead, tab.laid_out_ahead = tab.laid_out_ahead, True
                    self._make_next(modes, generation, quiet_for)
                    return
            left = [m for m in modes if has_mode(app, m) and not mode_made(app, m)]
            if not left:
                return
            self.making_ahead = True
            try:
                make_mode_screen(app, left[0])
            finally:
                self.making_ahead = False
            self._make_next(left[1:], generation, quiet_for)  # drawn next, then the next

        app.set_timer(AHEAD_TICK, step)

    def _fresh(self, screen: Screen[Any]) -> Screen[Any]:
        """Spare a new screen Textual's full CSS refresh on its first entry.

        A new screen has no styles yet: the refresh when a mode is first entered (twice:
        in _init_mode and switch_mode) would re-parse and re-apply every rule for nothing.
        Only while no theme change is pending; the very first screen always (a theme set
        at start has its own refresh queued by Textual)."""
        if self.css_fresh_at in (css_update_count(self.app), -1):
            mark_styles_current(screen, self.app)
        return screen

    def styles_refreshed(self) -> None:
        """The app refreshed its stylesheet (`App.refresh_css`)."""
        self.css_fresh_at = css_update_count(self.app)
