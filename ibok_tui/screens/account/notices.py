"""Ustawienia, Powiadomienia: which notices the customer gets by which channel (from their
consents, by the rule the server sends by) and the last ones sent (the server's ledger)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, LoadingIndicator, Static

from ...backends.base import Backend
from ...domain.models import Customer, NoticeChannel, NoticeTopic, SentNotice
from ...domain.notices import consented_channels
from ...i18n import _, label
from ...widgets.notice_ledger import NoticeLedgerTable
from ...widgets.tables import ListTable
from ..forms.dialogs import Dialog
from ..forms.workers import run_guarded


class NoticesDialog(Dialog):
    DEFAULT_CSS = """
    NoticesDialog #notices-dialog { width: 100; max-width: 100%; max-height: 100%; }
    NoticesDialog #notices-dialog .title { margin-bottom: 0; }
    NoticesDialog #notices-channels { height: auto; }
    NoticesDialog #notices-sent { height: auto; max-height: 9; }
    """
    CHROME = 19  # the dialog's lines but the sent table's: it gets what is left

    def __init__(self, backend: Backend, customer: Customer) -> None:
        super().__init__()
        self.backend = backend
        self.customer = customer
        self.sent: list[SentNotice] = []

    def compose(self) -> ComposeResult:
        consents = self.customer.consents
        with Vertical(classes="dialog", id="notices-dialog"):
            yield Label(_("Powiadomienia"), classes="title")
            table: DataTable[Any] = ListTable(id="notices-channels", cursor_type="none")
            table.add_column(_("Powiadomienie"), key="topic")
            table.add_column(label(NoticeChannel.EMAIL), key="email")
            table.add_column(label(NoticeChannel.SMS), key="sms")
            for topic in NoticeTopic:
                channels = consented_channels(topic, consents)
                table.add_row(
                    label(topic),
                    *(_("tak") if c in channels else "—" for c in NoticeChannel),
                    key=topic.value,
                )
            yield table
            yield Static(
                Text(_("Kanały wynikają ze zgód; zmienisz je w Zgody i e-faktura."), style="dim")
            )
            yield LoadingIndicator(id="notices-loading")
            yield NoticeLedgerTable(id="notices-sent")
            yield Static(id="notices-note", classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(_("Zamknij"), id="close", variant="primary")

    def on_resize(self) -> None:
        """The sent table takes the lines the screen has left (at 80×24: five)."""
        room = max(3, min(9, self.size.height - self.CHROME))
        self.query_one("#notices-sent", NoticeLedgerTable).styles.max_height = room

    def on_mount(self) -> None:
        self.on_resize()
        run_guarded(self, self._load, group="notices", on_error=self._failed)

    async def _load(self) -> None:
        self.show(await self.backend.sent_notices())

    def _failed(self, _error: BaseException) -> bool:
        self.query_one("#notices-loading").display = False
        self.query_one("#notices-note", Static).update(
            _("Nie udało się pobrać wysłanych powiadomień.")
        )
        return False  # the app says why

    def show(self, sent: list[SentNotice]) -> None:
        self.sent = sent
        self.query_one("#notices-loading").display = False
        self.query_one("#notices-sent", NoticeLedgerTable).show(sent)
        note = (
            _("Ostatnio wysłane: {count}.", count=len(sent))
            if sent
            else _("Nie wysłaliśmy jeszcze żadnego powiadomienia.")
        )
        self.query_one("#notices-note", Static).update(note)
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
