"""The notices' ledger as a table: when, what kind, by which channel, how it went, about
what. Ustawienia shows the customer's own; the clerk's audit view one customer's."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ..domain.models import NoticeState, SentNotice
from ..i18n import _, label, moment
from .tables import ListTable

_STYLES = {NoticeState.FAILED: "yellow", NoticeState.DROPPED: "dim"}


ABOUT_WIDTH = 24


def _short(text: str) -> str:
    return text if len(text) <= ABOUT_WIDTH else text[: ABOUT_WIDTH - 1] + "…"


class NoticeLedgerTable(ListTable):
    """The ledger's rows, newest first (as the server sends them)."""

    def __init__(self, *, show_address: bool = False, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.show_address = show_address
        self.add_column(_("Kiedy"), key="at")
        self.add_column(_("Powiadomienie"), key="topic")
        self.add_column(_("Kanał"), key="channel")
        self.add_column(_("Stan"), key="state")
        self.add_column(_("Dotyczy"), key="about")
        if self.show_address:
            self.add_column(_("Adres"), key="address")

    def show(self, notices: list[SentNotice]) -> None:
        self.clear()
        for index, notice in enumerate(notices):
            cells: list[Any] = [
                moment(notice.sent_at or notice.created_at),
                label(notice.topic),
                label(notice.channel),
                Text(label(notice.state), style=_STYLES.get(notice.state, "")),
                Text(_short(notice.about)),  # a clerk's title, an imported number: plain
            ]
            if self.show_address:
                cells.append(Text(notice.address or "—"))
            self.add_row(*cells, key=str(index))
