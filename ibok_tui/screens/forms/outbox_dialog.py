"""Do wysłania: what waits in the outbox (backends/outbox.py), opened with Ctrl+O (the header
says "do wysłania: N").

Each item with what it is, when it was kept and its state: waiting, or refused with the
server's reason worded as its form words it. Enter opens a reading or a request in its form
with its values (a refused one with the refusal shown); Delete withdraws one (asked first);
`s` sends now. The list follows the file, which another process (`ibok outbox send`) may change.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from ...host import host_of
from ...i18n import N_, Messages, day
from ...i18n.problems import error_text, fields_text
from ...widgets.key_bar import KeyBar
from ...widgets.literal import literal
from ...widgets.tables import ListTable
from .dialogs import ConfirmDialog, Dialog
from .workers import run_guarded

if TYPE_CHECKING:
    from ...backends.outbox import Outbox, OutboxItem

TEXT: Messages[str] = Messages(
    {
        "title": N_("Do wysłania"),
        "hint": N_(
            "Pozycje zapisane, gdy iBOK był nieosiągalny. Wysyłają się same, gdy iBOK "
            "odpowie; każda dotrze tylko raz."
        ),
        "empty": N_("Nic nie czeka na wysłanie."),
        "what": N_("Co"),
        "kept": N_("Zapisano"),
        "content": N_("Treść"),
        "state": N_("Stan"),
        "waiting": N_("czeka"),
        "refused": N_("nie przyjęto"),
        "reading": N_("odczyt"),
        "request": N_("zgłoszenie"),
        "contact": N_("dane kontaktowe"),
        "withdraw_title": N_("Wycofać z kolejki?"),
        "withdraw_message": N_("Ta pozycja nie zostanie wysłana: {what}. Tego nie można cofnąć."),
        "withdraw": N_("Wycofaj"),
        "withdrawn": N_("Wycofano z kolejki do wysłania."),
        "busy": N_("Trwa wysyłanie; spróbuj za chwilę."),
        "no_edit": N_(
            "Zmianę danych kontaktowych popraw w zakładce Dane klienta i zapisz ponownie; "
            "tę pozycję wycofaj."
        ),
        "send": N_("Wyślij teraz"),
        "edit": N_("Popraw"),
        "close": N_("Zamknij"),
    }
)


def refusal_text(item: OutboxItem) -> str:
    """The server's reason for refusing the item, as its form says it."""
    if item.refusal is None:
        return ""
    error = item.refusal.error()
    found = getattr(error, "errors", None)
    return fields_text(found) if found else error_text(error)


class OutboxDialog(Dialog):
    DEFAULT_CSS = """
    OutboxDialog > #outbox-dialog { width: 110; padding: 0 1; }
    OutboxDialog #outbox-title { margin-bottom: 0; }
    OutboxDialog #outbox-hint { color: $text-muted; }
    OutboxDialog ListTable { height: auto; max-height: 12; margin: 1 0 0 0; }
    OutboxDialog #outbox-reason { height: auto; color: $warning; margin-top: 1; }
    OutboxDialog #outbox-buttons { margin-top: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Zamknij", id="outbox.close"),
        Binding("enter", "edit", "Popraw", id="outbox.edit"),
        Binding("delete", "withdraw", "Wycofaj", id="outbox.withdraw"),
        Binding("s", "send", "Wyślij teraz", id="outbox.send"),
    ]

    def __init__(self) -> None:
        super().__init__(id="outbox")
        self._items: list[OutboxItem] = []

    @property
    def outbox(self) -> Outbox | None:
        host = host_of(self)
        return host.outbox_for(host.backend)

    def compose(self) -> ComposeResult:
        with Vertical(id="outbox-dialog", classes="dialog"):
            yield Label(TEXT["title"], id="outbox-title", classes="title")
            yield Static(TEXT["hint"], id="outbox-hint")
            table: ListTable[Any] = ListTable(id="outbox-items", cursor_type="row")
            table.add_columns(TEXT["what"], TEXT["kept"], TEXT["content"], TEXT["state"])
            yield table
            yield Static(id="outbox-reason")
            with Horizontal(id="outbox-buttons", classes="buttons"):
                yield Button(TEXT["edit"], id="outbox-edit")
                yield Button(TEXT["withdraw"], id="outbox-withdraw", variant="error")
                yield Button(TEXT["send"], id="outbox-send", variant="primary")
                yield Button(TEXT["close"], id="outbox-close")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ListTable).focus()
        self.reload()

    # --- the list ------------------------------------------------------------------------
    def reload(self) -> None:
        run_guarded(self, self._reload, group="outbox-list")

    async def _reload(self) -> None:
        outbox = self.outbox
        self._items = await asyncio.to_thread(outbox.items) if outbox is not None else []
        self._show()

    def _show(self) -> None:
        table = self.query_one(ListTable)
        table.clear()
        now = host_of(self).now()
        for item in self._items:
            state = (
                Text(TEXT["waiting"])
                if item.waiting
                else Text(TEXT["refused"], style="bold yellow")
            )
            table.add_row(
                TEXT[item.kind], _kept_at(item.created, now), item.summary(), state, key=item.id
            )
        self.query_one("#outbox-title", Label).update(
            f"{TEXT['title']} ({len(self._items)})" if self._items else TEXT["title"]
        )
        self.query_one("#outbox-hint", Static).update(
            TEXT["hint"] if self._items else TEXT["empty"]
        )
        self._show_reason()

    def _current(self) -> OutboxItem | None:
        table = self.query_one(ListTable)
        if not self._items or table.cursor_row >= len(self._items):
            return None
        return self._items[table.cursor_row]

    def on_data_table_row_highlighted(self) -> None:
        self._show_reason()

    def on_data_table_row_selected(self) -> None:  # Enter on the list
        self.action_edit()

    def _show_reason(self) -> None:
        item = self._current()
        reason = refusal_text(item) if item is not None else ""
        self.query_one("#outbox-reason", Static).update(literal(reason))

    # --- actions -------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "outbox-send": self.action_send,
            "outbox-edit": self.action_edit,
            "outbox-withdraw": self.action_withdraw,
        }
        actions.get(event.button.id or "", self.action_close)()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_send(self) -> None:
        host_of(self).send_outbox()
        self.set_timer(0.5, self.reload)

    def action_withdraw(self) -> None:
        item = self._current()
        if item is None:
            return
        if host_of(self).outbox_sending:
            self.notify(TEXT["busy"], severity="warning")
            return
        what = f"{TEXT[item.kind]} {item.summary()}"

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                run_guarded(self, lambda: self._withdraw(item.id), group="outbox-withdraw")

        self.app.push_screen(
            ConfirmDialog(
                TEXT["withdraw_title"],
                TEXT["withdraw_message"].format(what=what),
                TEXT["withdraw"],
                danger=True,
            ),
            answered,
        )

    async def _withdraw(self, item_id: str) -> None:
        outbox = self.outbox
        if outbox is None:
            return
        await asyncio.to_thread(outbox.withdraw, item_id)
        host_of(self).outbox_changed()
        self.notify(TEXT["withdrawn"])
        await self._reload()

    def action_edit(self) -> None:
        """The item in its form, with its values (and the server's refusal, if any)."""
        item = self._current()
        if item is None:
            return
        problem = item.refusal.error() if item.refusal is not None else None
        if item.reading is not None:
            from .reading_form import ReadingForm

            self.app.push_screen(
                ReadingForm(draft=item.reading, problem=problem, replaces=item.id),
                lambda _done: self.reload(),
            )
        elif item.request is not None:
            from .request_form import RequestForm

            self.app.push_screen(
                RequestForm(draft=item.request, problem=problem, replaces=item.id),
                lambda _done: self.reload(),
            )
        else:
            self.notify(TEXT["no_edit"], markup=False, timeout=10)


def _kept_at(created: str, now: datetime) -> str:
    """When an item was kept, in the console's time zone: the time today, else the day."""
    try:
        moment = datetime.fromisoformat(created).astimezone()
    except ValueError:
        return created
    if moment.date() == now.astimezone().date():
        return moment.strftime("%H:%M")
    return f"{day(moment.date())} {moment:%H:%M}"
