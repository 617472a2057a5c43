"""The session header: who is signed in, the property, "dane na dzień …", the balance,
and the tabs with their keys.

Both lines fit the terminal's width (the console must be usable at 80×24): each is
built in the fullest form that fits, from a ladder of ever more compact forms. The tab
bar always shows every tab's key and the current tab's whole title; the other tabs get
their titles, short titles or abbreviations as the width allows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from ..domain.text import visible
from ..i18n import N_, _, day, moment, money

if TYPE_CHECKING:
    from ..domain.models import Dashboard

Part = tuple[str, str] | str
COMPACT_FORMS = 6  # of the first line, see `_session_parts`

KEYS_IN_FOOTER = ("ustawienia", "pomoc")  # tabs the header's row leaves out: see the footer
# Shorter names of the tabs for narrower terminals (by mode): a short title (≈100
# columns) and an abbreviation (80 columns). The Polish text is the message key.
SHORT_TITLES = {
    "pulpit": (N_("Pulpit"), N_("Pul")),
    "faktury": (N_("Fakt."), N_("Fak")),
    "rozrachunki": (N_("Rozr."), N_("Roz")),
    "odczyty": (N_("Odcz."), N_("Odc")),
    "wodomierze": (N_("Wodom."), N_("Wod")),
    "zgloszenia": (N_("Zgł."), N_("Zgł")),
    "analizy": (N_("Analizy"), N_("Ana")),
    "umowy": (N_("Umowy"), N_("Umo")),
    "dokumenty": (N_("Dokum."), N_("Dok")),
    "dane": (N_("Dane"), N_("Dane")),
}


class HeaderState(NamedTuple):  # not a frozen dataclass: ~1 ms less before the first frame
    customer_name: str = ""
    customer_number: str = ""
    property_label: str = ""
    property_count: int = 0
    data_as_of: date | None = None
    balance: int | None = None  # grosze: positive to pay, negative an overpayment
    source: str = ""
    tabs: tuple[tuple[str, str, str], ...] = ()  # (key, mode, title)
    offline: bool = False  # the server is out of reach (backends/offline.py)
    offline_from: datetime | None = None  # the oldest data shown from the offline copy
    outbox_count: int = 0  # items in the outbox (backends/outbox.py), waiting or refused


def balance_parts(balance: int) -> tuple[str, str]:
    """The balance in words and its style: to pay, an overpayment, or settled."""
    if balance > 0:
        return _("do zapłaty {amount}", amount=money(balance)), "bold $error"
    if balance < 0:
        return _("nadpłata {amount}", amount=money(-balance)), "bold $success"
    return _("rozliczone"), "$success"


def _width(parts: list[Part]) -> int:
    return sum(len(p if isinstance(p, str) else p[0]) for p in parts)


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: max(size - 1, 0)].rstrip() + "…"


def session_line(state: HeaderState, width: int) -> list[Part]:
    """The first line in the fullest form that fits `width` columns; at the narrowest the
    name and then the property are cut short (the property left out if need be), never
    the number, the date or the balance."""
    parts: list[Part] = []
    for compact in range(COMPACT_FORMS):
        parts = _session_parts(state, compact)
        if _width(parts) <= width:
            return parts
    excess = _width(parts) - width
    label, name = state.property_label, state.customer_name
    name_cut = min(excess, max(len(name) - 10, 0))
    label_cut = min(excess - name_cut, max(len(label) - 8, 0))
    shorter = state._replace(
        property_label=_cut(label, len(label) - label_cut),
        customer_name=_cut(name, len(name) - name_cut),
    )
    parts = _session_parts(shorter, COMPACT_FORMS - 1)
    if _width(parts) > width:
        parts = _session_parts(shorter._replace(property_label=""), COMPACT_FORMS - 1)
    return parts


def _session_parts(state: HeaderState, compact: int) -> list[Part]:
    """Ever more compact: 0 everything; 1 without "iBOK" and the source; 2 without
    "Saldo:"; 3 without the property's key hint (the footer has it); 4 without "Posesja:";
    5 with the shorter "na dzień …" and the number without brackets."""
    parts: list[Part] = []
    if compact < 1:
        parts.append(("iBOK", "bold $accent"))
        if state.source:
            parts.append((f" [{state.source}]", "dim"))
    if state.customer_name:
        number = f" {state.customer_number}" if compact >= 5 else f" ({state.customer_number})"
        parts += [" " if parts else "", (visible(state.customer_name), "bold"), number]
    if state.property_label:
        parts += [" │ ", _("Posesja: ") if compact < 4 else "", visible(state.property_label)]
        if state.property_count > 1 and compact < 3:
            parts.append((_(" (w: zmień)"), "dim"))
    if state.data_as_of is not None:
        when = day(state.data_as_of)
        text = _("na dzień {date}", date=when) if compact >= 5 else None
        parts += [" │ ", text or _("dane na dzień {date}", date=when)]
    if state.balance is not None:
        parts += [" │ ", _("Saldo: ") if compact < 2 else "", balance_parts(state.balance)]
    if state.outbox_count:  # never left out: what waits to be sent
        count = state.outbox_count
        text = _("do wysł. {count}", count=count) if compact >= 5 else None
        parts += [" │ ", (text or _("do wysłania: {count}", count=count), "bold $warning")]
    return [p for p in parts if p and p[0]]


def offline_line(state: HeaderState, width: int) -> list[Part]:
    """The offline banner: the date of the data shown, then as much of what it means as
    fits `width`."""
    if state.offline_from is not None:
        first = _("offline: dane z {date}", date=moment(state.offline_from))
    else:
        first = _("offline: brak połączenia z serwerem")
    for more in (
        _(" · serwer iBOK nieosiągalny: zmiany poczekają na połączenie"),
        _(" · zmiany poczekają na połączenie"),
        "",
    ):
        if len(first) + len(more) + 2 <= width or not more:
            return [(f" {first} ", "bold reverse $error"), more]
    return []


def tab_bar(tabs: tuple[tuple[str, str, str], ...], current: str, width: int) -> list[Part]:
    """The tabs in the fullest form that fits `width`: every numbered tab's key, and the
    current tab (Ustawienia and Pomoc too) with its whole title, highlighted. The form
    is the same whichever numbered tab is current, so the bar does not jump about."""
    numbered = [mode for _key, mode, _title in tabs if mode not in KEYS_IN_FOOTER]
    parts: list[Part] = []
    for level in range(4):  # titles, short titles, abbreviations, keys only
        parts = _tab_form(tabs, current, level)
        others = (_tab_form(tabs, mode, level) for mode in numbered if mode != current)
        if _width(parts) <= width and all(_width(other) <= width for other in others):
            return parts
    return parts


def _tab_form(tabs: tuple[tuple[str, str, str], ...], current: str, level: int) -> list[Part]:
    parts: list[Part] = []
    for key, mode, title in tabs:
        if mode == current:
            parts += [(f" {key} {title} ", "reverse bold"), " "]
        elif mode not in KEYS_IN_FOOTER:  # whatever their keys, rebound too
            name = _short_title(mode, title, level)
            parts += [(key, "bold $accent"), f" {name} " if name else " "]
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return [p for p in parts if p]


def _short_title(mode: str, title: str, level: int) -> str:
    if level == 3:
        return ""
    short = SHORT_TITLES.get(mode)
    if short is None:
        return title if level == 0 else ""
    if level == 0:
        return _(short[0]) if mode == "dane" else title
    return _(short[level - 1])


class SessionHeader(Static):
    _last_state = HeaderState()
    DEFAULT_CSS = """
    SessionHeader {
        height: 2; background: $panel; color: $foreground; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SessionHeader.-offline { height: 3; }
    """

    def on_mount(self) -> None:
        # the app's state, which the session sets (Pulpit's `DashboardShown` among others)
        self.watch(self.app, "header_state", self._show, init=True)

    def on_resize(self, event: events.Resize) -> None:
        self._show(self._last_state)

    def _show(self, state: HeaderState | None) -> None:
        self._last_state = state or HeaderState()
        self.set_class(self._last_state.offline, "-offline")
        self.update(self.render_state(self._last_state))

    def line_width(self) -> int:
        """The columns a line of the header has (the terminal's, before the first layout)."""
        width = self.content_region.width or self.app.size.width - 2
        return max(width, 20)

    def render_state(self, state: HeaderState) -> Content:
        width = self.line_width()
        current = self.app.current_mode
        offline: list[Part] = [*offline_line(state, width), "\n"] if state.offline else []
        return Content.assemble(
            *offline, *session_line(state, width), "\n", *tab_bar(state.tabs, current, width)
        )


class DashboardShown(Message):
    """Pulpit showed the account's dashboard: the header's name, date and balance.

    Pulpit posts it; it bubbles to the app, whose session keeps it as the header's state,
    which every header watches."""

    def __init__(self, dashboard: Dashboard) -> None:
        super().__init__()
        self.dashboard = dashboard
