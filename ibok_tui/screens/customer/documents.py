"""Dokumenty: the customer's documents (contracts, scans, letters); download one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from ...domain.changes import Change
from ...domain.models import Document
from ...i18n import N_, _, day, label
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} kB"


class DocumentsScreen(TabScreen):
    """Dokumenty: umowy, skany i pisma; pobranie dokumentu."""

    TAB_ID = "dokumenty"
    TAB_TITLE = N_("Dokumenty")
    SHOWS = frozenset({Change.DOCUMENTS, Change.CONTRACTS})
    AUTO_FOCUS = "DataTable"
    NEEDS_SERVER = frozenset({"download"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "download", "Pobierz", id="dokumenty.download"),
    ]
    DEFAULT_CSS = """
    DocumentsScreen #documents-table { height: 1fr; }
    DocumentsScreen #document-filter { margin: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[Document] = []

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Input(
                placeholder=_("/ tytuł lub plik"),
                classes="filter",
                id="document-filter",
                compact=True,
            )
            yield ListTable(id="documents-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            _("Data"), _("Tytuł"), _("Rodzaj"), _("Plik"), _("Rozmiar")
        )

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.loading = True

        def done(documents: list[Document]) -> None:
            table.loading = False
            self.documents = sorted(documents, key=lambda d: d.created_on, reverse=True)
            self.refill()

        def failed(error: BaseException) -> bool:
            table.loading = False
            return False

        self.call(self.backend.documents, done, on_error=failed)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        text = self.query_one("#document-filter", Input).value.strip().lower()
        for document in self.documents:
            if text and text not in f"{document.title} {document.filename}".lower():
                continue
            kind = label(document.kind)
            if document.scan_status is not None:
                kind += f" ({label(document.scan_status)})"
            table.add_row(
                day(document.created_on),
                Text(document.title),
                kind,
                Text(document.filename),
                Text(size_text(document.size), justify="right"),
                key=document.id,
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_download()

    def action_download(self) -> None:
        if self.policy_takes("download"):
            return
        doc_id = highlighted_key(self.query_one(DataTable))
        if doc_id is None:
            return

        def done(result: tuple[Document, bytes]) -> None:
            from ...widgets.tables import save_bytes

            document, content = result
            folder = self.host.downloads_dir
            path = save_bytes(folder, document.filename, content)
            self.notify(str(path), title=_("Zapisano dokument"), markup=False)
            self.host.open_file(path)

        self.call(lambda: self.backend.document_content(doc_id), done, group="download")
