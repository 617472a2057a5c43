"""The session header: who is signed in, the property, "dane na dzień …", the balance,
and the tabs with their keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.content import Content
from textual.widgets import Static

from ..i18n import _, day, money


@dataclass(frozen=True)
class HeaderState:
    customer_name: str = ""
    customer_number: str = ""
    property_label: str = ""
    property_count: int = 0
    data_as_of: date | None = None
    balance: int | None = None  # grosze: positive to pay, negative an overpayment
    source: str = ""
    tabs: tuple[tuple[str, str, str], ...] = ()  # (key, mode, title)


def balance_parts(balance: int) -> tuple[str, str]:
    """The balance in words and its style: to pay, an overpayment, or settled."""
    if balance > 0:
        return _("do zapłaty {amount}", amount=money(balance)), "bold $error"
    if balance < 0:
        return _("nadpłata {amount}", amount=money(-balance)), "bold $success"
    return _("rozliczone"), "$success"


class SessionHeader(Static):
    DEFAULT_CSS = """
    SessionHeader {
        height: 2; background: $panel; color: $foreground; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "header_state", self._show, init=True)

    def _show(self, state: HeaderState | None) -> None:
        self.update(self.render_state(state or HeaderState()))

    def render_state(self, state: HeaderState) -> Content:
        parts: list[tuple[str, str] | str] = [("iBOK", "bold $accent")]
        if state.source:
            parts.append((f" [{state.source}]", "dim"))
        if state.customer_name:
            parts += [" ", (state.customer_name, "bold"), f" ({state.customer_number})"]
        if state.property_label:
            parts += [" │ ", _("Posesja: "), state.property_label]
            if state.property_count > 1:
                parts.append((_(" (w: zmień)"), "dim"))
        if state.data_as_of is not None:
            parts += [" │ ", _("dane na dzień {date}", date=day(state.data_as_of))]
        if state.balance is not None:
            parts += [" │ ", _("Saldo: "), balance_parts(state.balance)]
        parts.append("\n")
        current = getattr(self.app, "current_mode", "")
        for key, mode, title in state.tabs:
            if not key.isdigit() and mode != current:
                continue  # Ustawienia and Pomoc: their keys are in the footer
            if mode == "dane" and mode != current:
                title = _("Dane")  # the short name keeps the bar within 120 columns
            if mode == current:
                parts += [(f"{key} {title}", "reverse bold"), " "]
            else:
                parts += [(f"{key}", "bold $accent"), f" {title} "]
        return Content.assemble(*parts)
