"""Serving a customer at the desk: the clerk opens a customer (`act_for`) and the shell
shows that customer's own tabs over the delegated backend, under a banner naming the
customer and the clerk. Every write through it is audited with the clerk's login.

A controller of the session, not a screen: the session (`SessionControl.desk`) keeps one
while an operator is signed in, and it changes who is served only through the session's
typed interface (its backend, the customer's data it holds, the tabs). Its keys
(`DESK_BINDINGS`, app-level, active only while serving a customer) return to the
operator's tabs, show the customer's audit log, and open the reading and request forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.widget import Widget

    from ..backends.base import Backend
    from ..domain.models import CustomerSummary, ServiceRequest
    from .shell import SessionView

DESK_BINDINGS = [
    Binding("f9", "desk('return')", "Wróć do BOK", id="desk.return"),
    Binding("f8", "desk('audit')", "Audyt klienta", id="desk.audit"),
    Binding("f6", "desk('reading')", "Odczyt za klienta", id="desk.reading"),
    Binding("f7", "desk('request')", "Zgłoszenie za klienta", id="desk.request"),
]


class Desk:
    """The operator's backend, and the customer served at the moment (if any)."""

    def __init__(self, session: SessionView, operator: Backend) -> None:
        self.session = session
        self.operator = operator
        self.acting: Backend | None = None
        self.customer: CustomerSummary | None = None

    @property
    def operator_name(self) -> str:
        session = self.operator.session
        return session.name if session else ""

    @property
    def serving(self) -> bool:
        return self.acting is not None

    def banner(self) -> Widget:
        """The header of the customer's tabs while they are served (widgets/banner.py)."""
        from ..widgets.banner import ActingBanner

        customer = self.customer
        assert customer is not None
        return ActingBanner(customer.name, customer.number, self.operator_name)

    async def open_customer(self, customer: CustomerSummary) -> None:
        """act_for, then the customer's tabs (fresh: nothing of an earlier customer)."""
        acting = await self.operator.act_for(customer.number)  # a failure: run_guarded shows it
        if self.acting is not None:
            await self._end_delegation()
        self.acting, self.customer = acting, customer
        session = self.session
        session.backend = acting
        session.forget_customer()
        await session.shell.reset_tabs(to_login=False)
        await session.enter_console()

    async def leave(self) -> None:
        """Back to the operator's tabs; the customer's tabs and their data are dropped."""
        if self.acting is None:
            return
        await self._end_delegation()
        session = self.session
        await session.show_operator_tabs()
        await session.shell.reset_tabs(to_login=False)
        from ..widgets.header import HeaderState

        session.shell.show_header(HeaderState())
        session.app.refresh_bindings()
        # the office's lists afresh: what others did meanwhile (what the clerk did for the
        # customer the screen heard from the backend already: backends/changes.py), and the
        # clerk's own session checked (an expired one asks for the password here)
        self._reload()

    async def close(self) -> None:
        """Signing out: end the delegation and give the session its operator backend back."""
        await self._end_delegation()

    async def _end_delegation(self) -> None:
        acting, self.acting, self.customer = self.acting, None, None
        session = self.session
        session.backend = self.operator
        session.forget_customer()
        if acting is not None:
            try:
                await acting.logout()
            except Exception as error:  # the session may have expired already: say so
                session.app.notify(str(error), severity="warning", markup=False)

    def _reload(self) -> None:
        from ..screens.forms.base import TabScreen

        screen = self.session.app.screen
        if isinstance(screen, TabScreen):
            screen.load()

    def handles_failure(self, error: BaseException) -> bool:
        """The served customer's session ended: back to the clerk's tabs, never a prompt
        for the customer's password (the clerk's own session is asked for there if needed)."""
        from ..backends.base import AuthenticationRequired

        if not self.serving or not isinstance(error, AuthenticationRequired):
            return False
        from ..i18n import _

        app = self.session.app
        app.notify(_("Sesja obsługi klienta wygasła."), severity="warning")
        from ..screens.forms.workers import run_guarded

        run_guarded(app, self.leave, group="desk")
        return True

    async def run(self, what: str) -> None:
        """A desk key: return, audit, reading, request."""
        if what == "return":
            await self.leave()
            return
        acting, customer = self.acting, self.customer
        if acting is None or customer is None:
            return
        app = self.session.app
        if what == "audit":
            from ..screens.clerk.audit import AuditDialog

            app.push_screen(AuditDialog(self.operator, customer.number, customer.name))
        elif what == "reading":
            from ..screens.forms.reading_form import ReadingForm

            app.push_screen(ReadingForm(backend=acting), self._reading_done)
        elif what == "request":
            from ..screens.forms.request_form import RequestForm

            app.push_screen(RequestForm(backend=acting), self._request_done)

    def _reading_done(self, reading: Any) -> None:
        if reading is not None:
            from ..i18n import _

            self.session.app.notify(_("Odczyt przyjęty za klienta (zapisano w dzienniku audytu)."))

    def _request_done(self, request: ServiceRequest | None) -> None:
        if request is not None:
            from ..i18n import _

            self.session.app.notify(
                _("Zgłoszenie {number} złożone za klienta.", number=request.number),
                markup=False,
            )  # the tabs heard it from the backend (backends/changes.py)
