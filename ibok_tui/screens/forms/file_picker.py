"""Choose a file: a directory tree and a path field; dismisses with the chosen Path."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from ...i18n import _
from .dialogs import Dialog

MAX_UPLOAD = 10 * 1024 * 1024


class FilePickerDialog(Dialog):
    DEFAULT_CSS = """
    FilePickerDialog #file-picker { width: 90; height: 30; }
    FilePickerDialog DirectoryTree { height: 1fr; border: round $secondary; }
    """

    def __init__(self, title: str, start: Path | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.start = start or Path.home()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="file-picker"):
            yield Label(Text(self.title_text), classes="title")
            yield DirectoryTree(self.start, id="file-tree")
            yield Input(
                placeholder=_("ścieżka do pliku (PDF, JPG, PNG)"), id="file-path", compact=True
            )
            yield Static(id="file-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Wybierz"), id="choose", variant="primary")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#file-path", Input).value = str(event.path)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "choose":
            self.choose()
        else:
            self.leave()

    def choose(self) -> None:
        text = self.query_one("#file-path", Input).value.strip()
        path = Path(text).expanduser()
        message = self.query_one("#file-message", Static)
        if not text or not path.is_file():
            message.update(Text(_("Wybierz istniejący plik."), style="red"))
            return
        if path.stat().st_size > MAX_UPLOAD:
            message.update(Text(_("Plik jest za duży (najwyżej 10 MB)."), style="red"))
            return
        self.dismiss(path)
