"""Umowy: the contracts with a filter, the detail, the document, a signed scan's upload and
its withdrawal."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from ...domain.changes import Change
from ...domain.models import Contract, Document, ScanStatus
from ...i18n import N_, _, day, label
from ...widgets.tables import ListTable, highlighted_key
from ..forms.base import TabScreen
from ..forms.dialogs import ChoiceDialog, ConfirmDialog, TextDialog
from .document_detail import TEXT as DOCUMENT_TEXT
from .document_detail import step_line
from .reading_detail import with_history


class ContractsScreen(TabScreen):
    """Umowy: lista umów, szczegóły, dokument umowy, przesłanie i wycofanie podpisanego skanu."""

    TAB_ID = "umowy"
    TAB_TITLE = N_("Umowy")
    SHOWS = frozenset({Change.CONTRACTS, Change.DOCUMENTS})
    AUTO_FOCUS = "DataTable"
    NEEDS_SERVER = frozenset({"document", "upload", "withdraw"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Szczegóły", id="umowy.open", show=False),
        Binding("d", "document", "Pobierz umowę", id="umowy.document"),
        Binding("s", "upload", "Prześlij skan", id="umowy.upload"),
        Binding("delete", "withdraw", "Wycofaj skan", id="umowy.withdraw"),
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
            title = _("Umowa {number}", number=contract.number)
            self.app.push_screen(TextDialog(title, contract_facts(contract)))

        self.call(lambda: self.backend.contract(number), done, group="detail")

    def action_document(self) -> None:
        if self.policy_takes("document"):
            return
        number = self.selected()
        if number is None:
            return

        def done(content: bytes) -> None:
            from ...widgets.tables import save_bytes

            folder = self.host.downloads_dir
            path = save_bytes(folder, "umowa-" + number.replace("/", "-") + ".pdf", content)
            self.notify(str(path), title=_("Zapisano umowę"), markup=False)
            self.host.open_file(path)

        self.call(lambda: self.backend.contract_document(number), done, group="document")

    def action_upload(self) -> None:
        if self.policy_takes("upload"):
            return
        number = self.selected()
        if number is None:
            return
        from ..forms.file_picker import FilePickerDialog

        start = self.host.files_root

        def chosen(path: Any) -> None:
            if isinstance(path, Path):
                self.upload(number, path)

        self.app.push_screen(
            FilePickerDialog(_("Podpisany skan umowy {number}", number=number), start), chosen
        )

    def upload(self, number: str, path: Path) -> None:
        try:
            content = path.read_bytes()
        except OSError as error:
            self.notify(
                _(
                    "Nie można odczytać pliku {name}: {reason}. Wybierz inny plik.",
                    name=path.name,
                    reason=error.strerror or type(error).__name__,
                ),
                severity="error",
                markup=False,
            )
            return
        key = str(uuid.uuid4())  # the same key on every retry: never stored twice

        def done(document: Document) -> None:
            self.notify(_("Przesłano skan {name}.", name=document.filename), markup=False)

        self.call(
            lambda: self.backend.upload_contract_scan(
                number, path.name, content, idempotency_key=key
            ),
            done,
            group="upload",
        )

    def action_withdraw(self) -> None:
        """Withdraw a scan of the highlighted contract that the utility has not accepted yet:
        pick one when there are several, then confirm."""
        number = self.selected()
        contract = next((c for c in self.contracts if c.number == number), None)
        if contract is None:
            return
        waiting = [s for s in contract.scans if s.scan_status is ScanStatus.SUBMITTED]
        if not waiting:
            message = (
                _("Wodociągi przyjęły już skany tej umowy: nie można ich wycofać.")
                if contract.scans
                else _("Ta umowa nie ma przesłanego skanu.")
            )
            self.notify(message, markup=False)
            return
        if len(waiting) == 1:
            self.confirm_withdraw(number or "", waiting[0])
            return
        by_id = {scan.id: scan for scan in waiting}

        def chosen(doc_id: Any) -> None:
            if doc_id in by_id:
                self.confirm_withdraw(number or "", by_id[doc_id])

        options = [(s.id, f"{s.filename} ({day(s.created_on)})") for s in waiting]
        self.app.push_screen(ChoiceDialog(_("Który skan wycofać?"), options), chosen)

    def confirm_withdraw(self, number: str, scan: Document) -> None:
        def answered(yes: Any) -> None:
            if yes is True:
                self.withdraw(scan)

        question = _(
            "Wycofać skan {name} z umowy {number}? Plik zostanie usunięty z iBOK.",
            name=scan.filename,
            number=number,
        )
        dialog = ConfirmDialog(_("Wycofanie skanu"), question, _("Wycofaj skan"), danger=True)
        self.app.push_screen(dialog, answered)

    def withdraw(self, scan: Document) -> None:
        def done(_result: None) -> None:
            self.notify(_("Wycofano skan {name}.", name=scan.filename), markup=False)

        self.call(lambda: self.backend.withdraw_contract_scan(scan.id), done, group="withdraw")


def contract_facts(contract: Contract) -> Text:
    """A contract's detail as aligned lines of text: label, value; then each signed scan's
    history in the document workflow (who moved it on, when, a rejection's reason), as
    Dokumenty's detail shows it."""
    rows: list[tuple[str, str]] = [
        (_("Umowa"), contract.title),
        (_("Posesja"), contract.property_id),
        (_("Podpisana"), day(contract.signed_on)),
        (
            _("Obowiązuje"),
            f"{day(contract.valid_from)}–{day(contract.valid_to) if contract.valid_to else ''}",
        ),
        (_("Status"), label(contract.status)),
    ]
    for scan in contract.scans:
        state = f", {label(scan.scan_status)}" if scan.scan_status else ""
        rows.append((_("Skan"), f"{scan.filename} ({day(scan.created_on)}{state})"))
    width = max(cell_len(name) for name, _value in rows) + 2
    facts = Text()
    for name, value in rows:
        facts.append(name + " " * (width - cell_len(name)), style="dim")
        facts.append(value + "\n")
    for scan in contract.scans:  # each scan's way through the utility's document workflow
        heading = f"{DOCUMENT_TEXT['history']}: {scan.filename}"
        facts.append_text(with_history(Text(), [step_line(e) for e in scan.history], heading))
        facts.append("\n")
    if contract.scans:
        facts.append("\n")
    facts.append(_("d: pobierz umowę, s: prześlij podpisany skan, Delete: wycofaj skan"), "dim")
    return facts
