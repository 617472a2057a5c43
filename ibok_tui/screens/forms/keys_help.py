"""Keys, generated from the bindings: F1 help for the screen in front of the user and the
command palette's "category: action" commands."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from ...i18n import _
from ...widgets.textual_internals import action_state, rebound_bindings
from .dialogs import Dialog


def screen_title(screen: Screen[Any]) -> str:
    title = getattr(screen, "TAB_TITLE", "")
    return _(title) if title else _("Ekran")


def tab_help(screen_class: type) -> str:
    """What the tab does: its `TAB_HELP`, else the first paragraph of its docstring (the
    catalogue's extractor collects those paragraphs, see `i18n.catalogue`)."""
    text = getattr(screen_class, "TAB_HELP", "") or help_paragraph(screen_class.__doc__)
    return _(text) if text else ""


def help_paragraph(docstring: str | None) -> str:
    """The first paragraph of a docstring on one line."""
    return " ".join((docstring or "").strip().split("\n\n")[0].split())


def screen_help(screen: Screen[Any]) -> str:
    return tab_help(type(screen))


def keyed_bindings(app: App[Any], screen: Screen[Any]) -> Iterator[tuple[str, Binding, Any]]:
    """(category, binding, namespace) of every described binding: the screen's, then the app's."""
    seen: set[str] = set()
    for key, bindings in rebound_bindings(app, screen).items():
        for binding in bindings:
            if binding.description and binding.id not in seen:
                seen.add(binding.id or key)
                yield screen_title(screen), binding, screen
    for _key, bindings in rebound_bindings(app, app).items():
        for binding in bindings:
            if not binding.description or binding.system:
                continue
            category = _("Nawigacja") if (binding.id or "").startswith("nav.") else _("Aplikacja")
            yield category, binding, app


def binding_commands(app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    for category, binding, namespace in keyed_bindings(app, screen):
        if action_state(app, binding.action, namespace) is False:
            continue

        async def run(action: str = binding.action, node: Any = namespace) -> None:
            await app.run_action(action, node)

        key = app.get_key_display(binding)
        yield SystemCommand(f"{category}: {binding.description}", _("klawisz: {key}", key=key), run)


class KeysHelpDialog(Dialog):
    """F1: what this screen does and every key on it."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        table.add_column(style="dim")
        for category, binding, _namespace in keyed_bindings(self.app, self.for_screen):
            table.add_row(self.app.get_key_display(binding), binding.description, category)
        with Vertical(classes="dialog", id="keys-help"):
            yield Label(
                Text(_("Pomoc: {title}", title=screen_title(self.for_screen))), classes="title"
            )
            yield Static(Text(screen_help(self.for_screen)), id="keys-about")
            with VerticalScroll():
                yield Static(table, id="keys-table")
            with Horizontal(classes="buttons"):
                yield Button(_("Zamknij"), id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
