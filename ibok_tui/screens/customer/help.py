"""Pomoc: what each tab does and its keys, generated from the tabs' bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...config import first_key
from ...host import Host
from ...i18n import N_, _
from ..forms.base import TabScreen
from ..forms.keys_help import tab_help


def tab_rows(host: Host) -> list[tuple[str, str, str, str]]:
    """(key, title, what it does, its own keys) for every tab of the shell."""
    rows = []
    for key, title, screen_class in host.tab_classes():
        keys = []
        for binding in getattr(screen_class, "BINDINGS", []):
            if hasattr(binding, "description") and binding.description:
                display = first_key(host.keys, binding.id) or binding.key_display
                display = display or binding.key
                keys.append(f"{display}: {_(binding.description)}")
        rows.append((key, _(title), tab_help(screen_class), ", ".join(keys)))
    return rows


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
        for row in tab_rows(self.host):
            table.add_row(*(Text(cell) for cell in row))
        intro = Text(
            _(
                "Klawisze we wszystkich zakładkach: r odśwież, / filtruj, e eksport CSV, "
                "c kopiuj listę (TSV), w zmień posesję, F1 pomoc do ekranu, ctrl+p paleta "
                "poleceń, ctrl+x wyloguj, ctrl+q wyjście."
            )
        )
        from rich.console import Group

        self.query_one("#help-text", Static).update(Group(intro, Text(""), table))
