"""The console's tabs: their keys, modes, titles and screens, in the order of their keys.

Each tab's module is imported when the tab is first shown (start-up time)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual.binding import Binding

from .config import first_key
from .i18n import _

if TYPE_CHECKING:
    from .screens.forms.base import TabScreen

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
