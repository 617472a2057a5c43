"""The audit log of one customer: everything the office did for them, with the clerk's id;
and the notices' ledger: what the iBOK sent them, by which channel and address, and how it
went (one button shows the one or the other)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, LoadingIndicator, Static

from ...backends.base import Backend
from ...domain.models import AuditAction, AuditEntry, SentNotice
from ...i18n import _, label, moment
from ...widgets.notice_ledger import NoticeLedgerTable
from ...widgets.tables import ListTable
from ..forms.dialogs import Dialog, TextDialog
from ..forms.workers import run_guarded


def action_label(action: str) -> str:
    """An audit entry's action in words (an action this console does not know, as sent)."""
    try:
        return label(AuditAction(action))
    except ValueError:
        return action


class AuditDialog(Dialog):
    """The customer's audit log, newest first (through the operator's own backend)."""

    DEFAULT_CSS = """
    AuditDialog #audit-dialog { width: 110; }
    AuditDialog #audit-table, AuditDialog #audit-notices { height: auto; max-height: 18; }
    AuditDialog #audit-notices { display: none; }
    """

    def __init__(self, backend: Backend, customer_number: str, customer_name: str = "") -> None:
        super().__init__()
        self.backend = backend
        self.customer_number = customer_number
        self.customer_name = customer_name
        self.entries: list[AuditEntry] = []
        self.notices: list[SentNotice] = []

    def compose(self) -> ComposeResult:
        title = _(
            "Dziennik audytu: {name} ({number})",
            name=self.customer_name,
            number=self.customer_number,
        )
        with Vertical(classes="dialog", id="audit-dialog"):
            yield Label(Text(title), classes="title")
            yield LoadingIndicator(id="audit-loading")
            table: DataTable[Any] = ListTable(id="audit-table", cursor_type="row")
            table.add_column(_("Kiedy"), key="at")
            table.add_column(_("Pracownik"), key="operator")
            table.add_column(_("Czynność"), key="action")
            table.add_column(_("Szczegóły"), key="detail")
            yield table
            yield NoticeLedgerTable(id="audit-notices", show_address=True)
            yield Static(id="audit-note", classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(_("Powiadomienia"), id="toggle")
                yield Button(_("Zamknij"), id="close", variant="primary")

    def on_mount(self) -> None:
        run_guarded(self, self._load, group="audit", on_error=self._failed)

    async def _load(self) -> None:
        entries = await self.backend.audit_log(self.customer_number)
        self.notices = await self.backend.customer_notices(self.customer_number)
        self.show(entries)
        self.query_one("#audit-notices", NoticeLedgerTable).show(self.notices)

    def _failed(self, _error: BaseException) -> bool:
        """The log did not come: close the dialog, and let the app say why."""
        self.query_one("#audit-loading").display = False
        self.dismiss(None)
        return False

    def show(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        self.query_one("#audit-loading").display = False
        table = self.query_one("#audit-table", DataTable)
        for entry in entries:
            table.add_row(
                moment(entry.at),
                # an empty operator: the customer's own act (accepting the terms)
                Text(entry.operator) if entry.operator else _("klient"),
                action_label(entry.action),
                Text(entry.detail),
                key=str(entry.id),
            )
        note = _("Wpisów: {count}.", count=len(entries)) if entries else _("Brak wpisów.")
        self.query_one("#audit-note", Static).update(note)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an entry: the whole of it (its details may be cut in the list)."""
        if event.data_table.id != "audit-table":
            return
        event.stop()
        entry = next((e for e in self.entries if str(e.id) == event.row_key.value), None)
        if entry is None:
            return
        who = Text(entry.operator) if entry.operator else Text(_("klient"))
        body = Text(f"{_('Kiedy')}: {moment(entry.at)}\n{_('Pracownik')}: ")
        body.append_text(who)
        body.append(f"\n{_('Czynność')}: {action_label(entry.action)}\n\n")
        body.append(entry.detail)
        self.app.push_screen(TextDialog(action_label(entry.action), body))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "toggle":
            self.toggle()
        else:
            self.dismiss(None)

    def toggle(self) -> None:
        """The audit log or the notices' ledger, the other one hidden."""
        audit = self.query_one("#audit-table", DataTable)
        ledger = self.query_one("#audit-notices", NoticeLedgerTable)
        showing_ledger = not ledger.display
        ledger.display, audit.display = showing_ledger, not showing_ledger
        button = self.query_one("#toggle", Button)
        button.label = _("Dziennik audytu") if showing_ledger else _("Powiadomienia")
        if showing_ledger:
            count = len(self.notices)
            note = _("Powiadomień: {count}.", count=count) if count else _("Brak powiadomień.")
        else:
            count = len(self.entries)
            note = _("Wpisów: {count}.", count=count) if count else _("Brak wpisów.")
        self.query_one("#audit-note", Static).update(note)
        (ledger if showing_ledger else audit).focus()
