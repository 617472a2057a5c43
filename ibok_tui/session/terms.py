"""The terms' gate of a customer's session: after signing in (or resuming) the console asks
whether new terms wait for acceptance and, if so, shows them before any tab (Będzin §1.5);
a call the server held back for that reason (the terms came into force mid-session) brings
the same screen. Accepted, the console goes on; declined, the session ends (signed out, or
the agreement terminated right there, Będzin §8.3). Kept apart from the controller, which
calls `enter` where it would enter the console and `ask` on the server's refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _
from ..screens.forms.workers import run_guarded

if TYPE_CHECKING:
    from ..domain.models import TermsStatus
    from .shell import SessionView


class TermsGate:
    def __init__(self, session: SessionView) -> None:
        self.session = session
        self.showing = False

    async def enter(self) -> None:
        """Into the console, through the new terms if they are due. A backend that cannot
        say (an older server) lets the console in: the server's own refusal would bring
        the terms anyway."""
        try:
            status = await self.session.backend.terms_status()
        except Exception:
            status = None
        if status is not None and status.must_accept:
            self._show(status, mid_session=False)
            return
        await self.session.enter_console()

    def ask(self, *, mid_session: bool = True) -> None:
        """The server refused a call until the terms are accepted: show them (once)."""
        if self.showing:
            return
        self.showing = True

        async def fetch() -> None:
            try:
                status = await self.session.backend.terms_status()
            finally:
                self.showing = False
            if status.must_accept:
                self._show(status, mid_session=mid_session)
            elif not mid_session:
                await self.session.enter_console()

        run_guarded(self.session.app, fetch, group="terms-gate")

    def _show(self, status: TermsStatus, *, mid_session: bool) -> None:
        from ..screens.account.new_terms import ACCEPTED, STALE, TERMINATED, NewTermsScreen

        session = self.session
        app = session.app
        self.showing = True

        async def done(result: str | None) -> None:
            self.showing = False
            if result == ACCEPTED:
                app.notify(
                    _("Zaakceptowano regulamin {version}.", version=status.in_force.version),
                    markup=False,
                )
                if mid_session:  # the tabs that were refused load again
                    await session.shell.reset_tabs(to_login=False, rebuild_current=True)
                await session.enter_console()
            elif result == STALE:
                self.ask(mid_session=mid_session)  # the version now in force, read afresh
            elif result == TERMINATED:
                app.notify(_("Konto zamknięte. Wylogowano."), markup=False)
                session.logout()
            else:
                session.logout()

        app.push_screen(NewTermsScreen(status), done)
