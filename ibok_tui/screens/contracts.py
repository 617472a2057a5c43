"""Umowy: the contracts with a filter, the detail, the document and a signed scan upload."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from ..domain.models import Contract, Document
from ..i18n import _, day, label
from ..widgets.tables import ListTable, highlighted_key
from .base import TabScreen
from .dialogs import TextDialog


class ContractsScreen(TabScreen):
    """Umowy: lista umów, szczegóły, dokument umowy i przesłanie podpisanego skanu."""

    TAB_ID = "umowy"
    TAB_TITLE = "Umowy"
    AUTO_FOCUS = "DataTable"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Szczegóły", id="umowy.open", show=False),
        Binding("d", "document", "Pobierz umowę", id="umowy.document"),
        Binding("s", "upload", "Prześlij skan", id="umowy.upload"),
    ]
    DEFAULT_CSS = """
    ContractsScreen #contracts-table { height: 1fr; }
    ContractsScreen #contract-filter { margin: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.contracts: list[Contract] = []

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Input(
                placeholder=_("/ numer lub nazwa umowy"),
                classes="filter",
                id="contract-filter",
                compact=True,
            )
            yield ListTable(id="contracts-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            _("Numer"),
            _("Umowa"),
            _("Posesja"),
            _("Podpisana"),
            _("Od"),
            _("Do"),
            _("Status"),
            _("Skany"),
        )

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.loading = True

        def done(contracts: list[Contract]) -> None:
            table.loading = False
            self.contracts = contracts
            self.refill()

        def failed(error: BaseException) -> bool:
            table.loading = False
            return False

        self.call(self.backend.contracts, done, on_error=failed)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def property_changed(self) -> None:
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        text = self.query_one("#contract-filter", Input).value.strip().lower()
        mine = self.of_property(self.contracts, lambda c: c.property_id)
        self.show_property_note(len(mine), len(self.contracts))
        for contract in mine:
            if text and text not in f"{contract.number} {contract.title}".lower():
                continue
            table.add_row(
                Text(contract.number),
                Text(contract.title),
                Text(contract.property_id),
                day(contract.signed_on),
                day(contract.valid_from),
                day(contract.valid_to) if contract.valid_to else _("bezterminowo"),
                label(contract.status),
                str(len(contract.scans)),
                key=contract.number,
            )

    def selected(self) -> str | None:
        return highlighted_key(self.query_one(DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        number = self.selected()
        if number is None:
            return

        def done(contract: Contract) -> None:
            facts = Table.grid(padding=(0, 2))
            facts.add_column(style="dim")
            facts.add_column()
            facts.add_row(_("Umowa"), Text(contract.title))
            facts.add_row(_("Posesja"), Text(contract.property_id))
            facts.add_row(_("Podpisana"), day(contract.signed_on))
            facts.add_row(
                _("Obowiązuje"),
                f"{day(contract.valid_from)}–{day(contract.valid_to) if contract.valid_to else ''}",
            )
            facts.add_row(_("Status"), label(contract.status))
            for scan in contract.scans:
                facts.add_row(_("Skan"), Text(f"{scan.filename} ({day(scan.created_on)})"))
            facts.add_row("", Text(_("d: pobierz umowę, s: prześlij podpisany skan"), style="dim"))
            self.app.push_screen(TextDialog(_("Umowa {number}", number=contract.number), facts))

        self.call(lambda: self.backend.contract(number), done, group="detail")

    def action_document(self) -> None:
        number = self.selected()
        if number is None:
            return

        def done(content: bytes) -> None:
            from ..widgets.tables import save_bytes

            folder = getattr(self.app, "downloads_dir", None)
            path = save_bytes(folder, "umowa-" + number.replace("/", "-") + ".pdf", content)
            self.notify(str(path), title=_("Zapisano umowę"), markup=False)
            opener = getattr(self.app, "open_file", None)
            if opener is not None:
                opener(path)

        self.call(lambda: self.backend.contract_document(number), done, group="document")

    def action_upload(self) -> None:
        number = self.selected()
        if number is None:
            return
        from .file_picker import FilePickerDialog

        start = getattr(self.app, "files_root", None)

        def chosen(path: Any) -> None:
            if isinstance(path, Path):
                self.upload(number, path)

        self.app.push_screen(
            FilePickerDialog(_("Podpisany skan umowy {number}", number=number), start), chosen
        )

    def upload(self, number: str, path: Path) -> None:
        content = path.read_bytes()
        key = str(uuid.uuid4())  # the same key on every retry: never stored twice

        def done(document: Document) -> None:
            self.notify(_("Przesłano skan {name}.", name=document.filename), markup=False)
            self.load()

        self.call(
            lambda: self.backend.upload_contract_scan(
                number, path.name, content, idempotency_key=key
            ),
            done,
            group="upload",
        )
