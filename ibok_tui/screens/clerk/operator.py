"""The clerk's console (pracownik BOK): two tabs of its own, Klienci and Kolejka."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import ContentSwitcher, Static

from ...domain.changes import Change
from ...domain.text import visible
from ...i18n import N_, _
from ..forms.base import TabScreen
from .customers import CustomersPane
from .queue import QueuePane

OPERATOR_TABS = (("1", "customers-pane", N_("Klienci")), ("2", "queue-pane", N_("Kolejka")))


class OperatorScreen(TabScreen):
    """Konsola pracownika BOK: Klienci (wyszukiwanie i obsługa klienta) oraz Kolejka
    (rejestracje, zgłoszenia, odczyty do importu, komunikaty)."""

    TAB_ID = "operator"
    TAB_TITLE = N_("Pracownik BOK")
    SHOWS = frozenset(
        {
            Change.REQUESTS,
            Change.READINGS,
            Change.REGISTRATIONS,
            Change.NOTICES,
            Change.CUSTOMERS,
            Change.DOCUMENTS,
        }
    )
    DEFAULT_CSS = """
    OperatorScreen #operator-info {
        height: 2; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    OperatorScreen ContentSwitcher { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "show('customers-pane')", "Klienci", id="operator.customers", show=False),
        Binding("2", "show('queue-pane')", "Kolejka", id="operator.queue", show=False),
        Binding("ctrl+r", "terms", "Regulamin", id="operator.terms"),
        Binding("ctrl+x", "app.logout", "Wyloguj", id="operator.logout"),
    ]

    def compose_header(self) -> ComposeResult:
        yield Static(id="operator-info")

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="customers-pane"):
            yield CustomersPane()
            yield QueuePane()

    def on_mount(self) -> None:
        self._show_header()

    def _show_header(self) -> None:
        session = self.backend.session
        name = session.name if session else ""
        login = session.subject if session else ""
        current = self.query_one(ContentSwitcher).current
        parts: list[tuple[str, str] | str] = [("iBOK", "bold $accent")]
        if self.backend.label:
            parts.append((f" [{self.backend.label}]", "dim"))
        parts += [" ", _("Pracownik BOK: "), (visible(name), "bold"), f" ({visible(login)})", "\n"]
        for key, pane, title in OPERATOR_TABS:
            if pane == current:
                parts += [(f"{key} {_(title)}", "reverse bold"), " "]
            else:
                parts += [(key, "bold $accent"), f" {_(title)} "]
        self.query_one("#operator-info", Static).update(Content.assemble(*parts))

    def load(self) -> None:
        self.query_one(QueuePane).load()
        self.query_one(CustomersPane).refresh_results()

    def action_show(self, pane: str) -> None:
        self.query_one(ContentSwitcher).current = pane
        self._show_header()
        self.show_columns_note()  # the pane's own lists, not the last one's
        if pane == "customers-pane":
            self.query_one("#customer-query").focus()
        else:
            self.query_one(QueuePane).show_section(self.query_one(QueuePane).section)

    def action_terms(self) -> None:
        from .terms import TermsDialog

        self.app.push_screen(TermsDialog(self.backend))

    def action_filter(self) -> None:
        self.action_show("customers-pane")

    def on_screen_resume(self) -> None:  # TabScreen's _on_screen_resume loads the data
        if self.focused is None:
            self.query_one("#customer-query").focus()
