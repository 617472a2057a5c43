"""The console's side of the outbox (backends/outbox.py): opened for the customer who signs
in, sent at once (the next start) and then in the background while anything waits, and
closed at logout; the header's "do wysłania: N" follows it.

A kiosk has none (nothing is kept there), nor has an operator, nor a clerk acting for a
customer: that customer's outbox is their own console's. One pass runs at a time (a worker of
one group); the forms' own retries use the same keys, so they and a pass never both arrive.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..screens.forms.workers import run_guarded

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from ..backends.base import Backend
    from ..backends.outbox import Outbox, OutboxItem, OutboxReport

INTERVAL = 30.0  # seconds between the background's tries while anything waits


def describe(item: OutboxItem) -> str:
    """What an item is, in a few words (the dialog, the notices)."""
    if item.reading is not None:
        return _(
            "odczyt {value} m³, wodomierz {meter}",
            value=item.reading.value,
            meter=item.reading.meter_id,
        )
    if item.request is not None:
        return _("zgłoszenie „{subject}”", subject=item.request.subject)
    return _("zmiana danych kontaktowych")


class OutboxSender:
    """The signed-in customer's outbox in the console, and its background sender."""

    def __init__(
        self,
        app: App[Any],
        *,
        kiosk: bool,
        changed: Callable[[], None],
        interval: float = INTERVAL,
    ) -> None:
        self.app = app
        self.kiosk = kiosk
        self.interval = interval
        self.outbox: Outbox | None = None
        self.count = 0  # waiting and refused, as the header shows it
        self.waiting = 0  # of them, those a pass sends
        self.passing = False  # a pass of `send_outbox` runs
        self._backend: Backend | None = None
        self._changed = changed  # the header's count
        self._timer: Timer | None = None

    # --- opening and closing --------------------------------------------------------------
    async def open(self, backend: Backend) -> None:
        """The customer's outbox, opened as they sign in; what waits is sent now."""
        from ..backends.outbox import Outbox, backend_scope

        self.close()
        if self.kiosk or backend_scope(backend) is None:
            return
        self.outbox = await asyncio.to_thread(Outbox.for_backend, backend, kiosk=False)
        self._backend = backend
        await self.refresh()
        if self.outbox.damaged is not None:
            self.app.notify(
                _("Plik skrzynki do wysłania był uszkodzony; odłożono go jako {path}.").format(
                    path=self.outbox.damaged
                ),
                severity="warning",
                markup=False,
                timeout=15,
            )
        self._timer = self.app.set_interval(self.interval, self.tick, name="outbox")
        self.send()

    def close(self) -> None:
        """Logout, or another customer: this outbox is no longer the console's (its file
        stays for the customer's next sign-in)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.outbox = None
        self._backend = None
        self.waiting = 0
        if self.count:
            self.count = 0
            self._changed()

    def outbox_for(self, backend: Backend) -> Outbox | None:
        """The outbox `backend`'s submissions go to: only the signed-in customer's own."""
        return self.outbox if backend is self._backend else None

    async def refresh(self) -> None:
        """Count again (after a change here or in another process)."""
        if self.outbox is None:
            return
        items = await asyncio.to_thread(self.outbox.items)
        self.waiting = sum(1 for item in items if item.waiting)
        if len(items) != self.count:
            self.count = len(items)
            self._changed()

    # --- sending --------------------------------------------------------------------------
    def tick(self) -> None:
        if self.outbox is not None and self.waiting:
            self.send(quiet=True)

    def send(self, *, only: str | None = None, quiet: bool = False) -> None:
        """A pass now (the dialog's "Wyślij teraz", the start, the timer)."""
        if self.outbox is None or self.passing:
            return  # one pass at a time: the one running sends what waits
        self.passing = True
        run_guarded(self.app, lambda: self._send(only, quiet), group="outbox")

    async def _send(self, only: str | None, quiet: bool) -> None:
        from ..backends.outbox import send_outbox

        outbox, backend = self.outbox, self._backend
        try:
            if outbox is None or backend is None:
                return
            report = await send_outbox(backend, outbox, only=only)
        finally:
            self.passing = False
        if self.outbox is not outbox:  # logged out meanwhile: nothing more to say
            return
        await self.refresh()
        self._tell(report, quiet)

    def _tell(self, report: OutboxReport, quiet: bool) -> None:
        from ..i18n import n_
        from ..i18n.problems import error_text

        if report.sent:
            self.app.notify(
                n_(
                    "Wysłano {count} pozycję z kolejki do wysłania.",
                    "Wysłano {count} pozycji z kolejki do wysłania.",
                    len(report.sent),
                ),
                markup=False,
            )  # the tabs heard what arrived from the backend (backends/changes.py)
        for item, error in report.refused:
            self.app.notify(
                _(
                    "Nie przyjęto: {what}. {reason} Popraw albo wycofaj w oknie „Do wysłania”.",
                    what=describe(item),
                    reason=error_text(error),
                ),
                severity="warning",
                markup=False,
                timeout=20,
            )
        if report.stopped is not None and not quiet:
            self.app.notify(
                _(
                    "Nie wysłano ({reason}). Pozycje czekają i zostaną wysłane, gdy iBOK odpowie.",
                    reason=error_text(report.stopped),
                ),
                severity="warning",
                markup=False,
            )
