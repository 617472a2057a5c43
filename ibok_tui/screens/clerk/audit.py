"""The audit log of one customer: everything the office did for them, with the clerk's id."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, LoadingIndicator, Static

from ...backends.base import Backend
from ...domain.models import AuditAction, AuditEntry
from ...i18n import _, label, moment
from ...widgets.tables import ListTable
from ..forms.dialogs import Dialog
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
    AuditDialog #audit-table { height: auto; max-height: 18; }
    """

    def __init__(self, backend: Backend, customer_number: str, customer_name: str = "") -> None:
        super().__init__()
        self.backend = backend
        self.customer_number = customer_number
        self.customer_name = customer_name
        self.entries: list[AuditEntry] = []

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
            yield Static(id="audit-note", classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(_("Zamknij"), id="close", variant="primary")

    def on_mount(self) -> None:
        run_guarded(self, self._load, group="audit", on_error=self._failed)

    async def _load(self) -> None:
        self.show(await self.backend.audit_log(self.customer_number))

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

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
