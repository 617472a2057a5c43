"""Dokumenty: the customer's documents (contracts, scans, letters) with a scan's place in the
utility's document workflow; filter, sort, the detail with the workflow's history (Enter),
download. A clerk serving the customer moves a scan on (accepts, rejects with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from ...domain.changes import Change
from ...domain.models import SCAN_MOVES, SCAN_REASON_MAX, Document, ScanStatus
from ...i18n import N_, Messages, _, day, label
from ...widgets.sorting import SortOrder
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen
from .document_detail import SCAN_STATUS, DocumentDetail, status_cell

TEXT: Messages[str] = Messages(
    {
        "date": N_("Data"),
        "title": N_("Tytuł"),
        "kind": N_("Rodzaj"),
        "status": N_("Status"),
        "file": N_("Plik"),
        "size": N_("Rozmiar"),
        "none": N_("Brak dokumentów."),
        "not_a_scan": N_("Status w obiegu dokumentów ma tylko skan przesłany przez klienta."),
        "no_move": N_("Ten skan jest w archiwum: jego status już się nie zmienia."),
        "move_title": N_("Status skanu: {title}"),
        "reject_title": N_("Odrzucić skan?"),
        "reject_yes": N_("Odrzuć"),
        "moved": N_("Skan: {status}."),
    }
)
COLUMNS = ("date", "title", "kind", "status", "file", "size")
PRIORITIES = {"date": 8, "title": 9, "kind": 4, "status": 10, "file": 3, "size": 2}
SORT_KEYS: dict[str, Callable[[Document], Any]] = {
    "date": lambda d: (d.created_on, d.id),
    "title": lambda d: d.title.casefold(),
    "kind": lambda d: label(d.kind),
    "status": lambda d: SCAN_STATUS[d.scan_status] if d.scan_status else "",
    "file": lambda d: d.filename.casefold(),
    "size": lambda d: d.size,
}


def _haystack(document: Document) -> str:
    """What the filter looks in: title, file, kind and a scan's status."""
    status = SCAN_STATUS[document.scan_status] if document.scan_status else ""
    return f"{document.title} {document.filename} {label(document.kind)} {status}".casefold()


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} kB"


class DocumentsScreen(TabScreen):
    """Dokumenty: umowy, skany i pisma, status skanu w obiegu dokumentów; pobranie."""

    TAB_ID = "dokumenty"
    TAB_TITLE = N_("Dokumenty")
    SHOWS = frozenset({Change.DOCUMENTS, Change.CONTRACTS})
    AUTO_FOCUS = "DataTable"
    NEEDS_SERVER = frozenset({"download", "scan_status"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "download", "Pobierz", id="dokumenty.download"),
        Binding("s", "sort", "Sortuj", id="dokumenty.sort", show=False),
        Binding("z", "scan_status", "Status skanu", id="dokumenty.scan_status"),
    ]
    DEFAULT_CSS = """
    DocumentsScreen #documents-table { height: 1fr; }
    DocumentsScreen #document-filter { margin: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[Document] = []
        self.order: SortOrder[Document] = SortOrder(SORT_KEYS, "date", reverse=True)

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Input(
                placeholder=_("/ tytuł, plik lub status"),
                classes="filter",
                id="document-filter",
                compact=True,
            )
            yield ListTable(id="documents-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._columns()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scan_status" and self.host.clerk_backend is None:
            return False  # the office's key: only while a clerk serves the customer
        return super().check_action(action, parameters)

    def _columns(self) -> None:
        table = self.query_one(ListTable)
        table.clear(columns=True)
        table.column_priorities = tuple(PRIORITIES[key] for key in COLUMNS)
        for key in COLUMNS:
            table.add_column(Text(TEXT[key] + self.order.arrow(key)), key=key)

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.loading = True

        def done(documents: list[Document]) -> None:
            table.loading = False
            self.documents = documents
            self.refill()

        def failed(error: BaseException) -> bool:
            table.loading = False
            return False

        self.call(self.backend.documents, done, on_error=failed)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def _visible(self) -> list[Document]:
        needle = self.query_one("#document-filter", Input).value.strip().casefold()
        return self.order.apply(d for d in self.documents if needle in _haystack(d))

    def refill(self) -> None:
        table = self.query_one(DataTable)
        chosen = highlighted_key(table)
        self._columns()
        visible = self._visible()
        for document in visible:
            table.add_row(
                day(document.created_on),
                Text(document.title),
                label(document.kind),
                status_cell(document),
                Text(document.filename),
                Text(size_text(document.size), justify="right"),
                key=document.id,
            )
        if not visible:
            table.add_row(TEXT["none"])
        elif chosen in {d.id for d in visible}:
            table.move_cursor(row=table.get_row_index(chosen))

    @on(DataTable.HeaderSelected, "#documents-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        if self.order.header_selected(str(event.column_key.value)):
            self.refill()

    def action_sort(self) -> None:
        """Next column, ascending; the same column again reverses."""
        self.order.advance()
        self.refill()

    def selected(self) -> Document | None:
        key = highlighted_key(self.query_one(DataTable))
        return next((d for d in self.documents if d.id == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: the document's detail, with a scan's workflow."""
        event.stop()
        document = self.selected()
        if document is not None:
            self.app.push_screen(DocumentDetail(document))

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

    # --- the office: a scan's status ---------------------------------------------------------

    def action_scan_status(self) -> None:
        """The clerk moves the highlighted scan on: a choice of the moves the workflow
        allows from where it is; a rejection asks for the reason the customer reads."""
        clerk = self.host.clerk_backend
        document = self.selected()
        if clerk is None or document is None:
            return
        if document.scan_status is None:
            self.notify(TEXT["not_a_scan"], severity="warning")
            return
        moves = sorted(SCAN_MOVES[document.scan_status], key=list(ScanStatus).index)
        if not moves:
            self.notify(TEXT["no_move"], severity="warning")
            return
        from ..forms.dialogs import ChoiceDialog

        options = [(status.value, SCAN_STATUS[status]) for status in moves]
        dialog = ChoiceDialog(TEXT["move_title"].format(title=document.title), options)

        def chosen(value: str | None) -> None:
            if value is None:
                return
            status = ScanStatus(value)
            if status is ScanStatus.REJECTED:
                self._ask_reason(document)
            else:
                self._move(document, status)

        self.app.push_screen(dialog, chosen)

    def _ask_reason(self, document: Document) -> None:
        """A rejection's reason, sent from the dialog: a refusal (the scan moved on
        meanwhile, a reason the server will not take) keeps the dialog and the reason."""
        from ..forms.reason_dialog import ReasonDialog

        clerk = self.host.clerk_backend
        if clerk is None:
            return
        dialog = ReasonDialog(
            TEXT["reject_title"], document.title, TEXT["reject_yes"], limit=SCAN_REASON_MAX
        ).send_with(lambda reason: clerk.set_scan_status(document.id, ScanStatus.REJECTED, reason))

        def rejected(moved: Document | None) -> None:
            if isinstance(moved, Document):
                self._moved(moved)

        self.app.push_screen(dialog, rejected)

    def _move(self, document: Document, status: ScanStatus) -> None:
        clerk = self.host.clerk_backend
        if clerk is None:
            return
        self.call(
            lambda: clerk.set_scan_status(document.id, status),
            self._moved,
            group="scan-status",
        )

    def _moved(self, moved: Document) -> None:
        self.documents = [moved if d.id == moved.id else d for d in self.documents]
        self.refill()
        if moved.scan_status is not None:
            self.notify(TEXT["moved"].format(status=SCAN_STATUS[moved.scan_status]))
