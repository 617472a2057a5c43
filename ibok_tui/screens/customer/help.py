"""Pomoc: what each tab does and its keys, generated from the tabs' bindings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...config import first_key
from ...host import Host
from ...i18n import N_, _
from ..forms.base import TabScreen
from ..forms.keys_help import tab_help

# the keys every tab has (TabScreen's) and the console's own, by binding id, for the intro
COMMON_KEYS = (
    "tab.refresh",
    "tab.filter",
    "tab.export_csv",
    "tab.copy_tsv",
    "app.property",
    "app.keys_help",
    "app.palette",
    "app.logout",
    "app.quit",
)


def key_text(app: App[Any], keys: Mapping[str, str], binding: Binding) -> str:
    """The key of `binding` as the footer shows it: the user's `[keys]` one if rebound."""
    rebound = first_key(keys, binding.id)
    return app.get_key_display(
        replace(binding, key=rebound, key_display=None) if rebound else binding
    )


def tab_rows(app: App[Any], host: Host) -> list[tuple[str, str, str, str]]:
    """(key, title, what it does, its own keys) for every tab of the shell."""
    rows = []
    for key, title, screen_class in host.tab_classes():
        keys = [
            f"{key_text(app, host.keys, binding)}: {_(binding.description)}"
            for binding in getattr(screen_class, "BINDINGS", [])
            if isinstance(binding, Binding) and binding.description
        ]
        rows.append((key, _(title), tab_help(screen_class), ", ".join(keys)))
    return rows


def common_keys(app: App[Any], host: Host) -> str:
    """The keys of every tab, as bound now (a rebinding in `[keys]` shows here too)."""
    declared = {
        binding.id: binding
        for binding in (*TabScreen.BINDINGS, *type(app).BINDINGS)
        if isinstance(binding, Binding) and binding.id
    }
    found = [declared[binding_id] for binding_id in COMMON_KEYS if binding_id in declared]
    listed = ", ".join(f"{key_text(app, host.keys, b)} {_(b.description)}" for b in found)
    return _("Klawisze we wszystkich zakładkach: {keys}.", keys=listed)


class HelpScreen(TabScreen):
    """Pomoc: opis zakładek i ich klawiszy."""

    TAB_ID = "pomoc"
    TAB_TITLE = N_("Pomoc")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(id="help-text")

    def load(self) -> None:
        table = Table(expand=True, show_lines=False)
        table.add_column(_("Klawisz"), style="bold", width=8)
        table.add_column(_("Zakładka"), style="bold")
        table.add_column(_("Co robi"))
        table.add_column(_("Klawisze zakładki"), style="dim")
        for row in tab_rows(self.app, self.host):
            table.add_row(*(Text(cell) for cell in row))
        intro = Text(common_keys(self.app, self.host))
        from rich.console import Group

        self.query_one("#help-text", Static).update(Group(intro, Text(""), table))
