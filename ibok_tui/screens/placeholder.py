"""A tab whose screen is not written yet: it keeps its place and its key in the shell."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ..i18n import _
from .base import TabScreen


class PlaceholderScreen(TabScreen):
    """Ta zakładka pojawi się wkrótce."""

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(_("Zakładka {title} pojawi się wkrótce.", title=_(self.TAB_TITLE))),
            id="placeholder",
        )


def placeholder_for(mode: str, title: str) -> type[PlaceholderScreen]:
    return type(f"Placeholder_{mode}", (PlaceholderScreen,), {"TAB_ID": mode, "TAB_TITLE": title})
