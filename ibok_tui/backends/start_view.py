"""The Pulpit a remembered customer last saw, for the next start's first data.

A remembered session resumes behind Pulpit: the keyring, the backend's imports and store (or
the server) take more than the first frame, so Pulpit shows what the same customer last saw
while they work, marked as such, and the live answer replaces it as soon as it comes.

Kept only for a customer the user asked the console to remember (`[remembered]` in the
configuration), in the user's private folder (private_files.py: 0700, files 0600, written
whole), in a scope named by the profile, the backend (the demo or the server's address) and
the customer: an offline-copy file (offline_copy.py) that is used only when all of them match.
Never on a kiosk (no folder, nothing read), never for an operator or a clerk's desk; removed
when the session is forgotten (logout, a resume that failed, another customer remembered).
It holds the dashboard only: no token, no password.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .offline_copy import Copy, OfflineCopy

if TYPE_CHECKING:
    from ..domain.dashboard import Dashboard

_CALL = '["dashboard",[]]'  # offline_copy.call_key("dashboard", ()), without msgspec


class StartView:
    """One profile's, backend's and customer's last dashboard."""

    def __init__(
        self, profile: str, backend: str, customer: str, *, kiosk: bool, root: Path | None = None
    ) -> None:
        self.customer = customer
        scope = f"start view\n{profile}\n{backend}"
        self._copy = OfflineCopy(scope, customer, kiosk=kiosk, root=root)

    def save(self, dashboard: Dashboard, taken_at: datetime) -> None:
        """Keep `dashboard` (a dashboard of another customer is not kept here)."""
        if dashboard.customer.number == self.customer:
            self._copy.save(_CALL, dashboard, taken_at)

    def load(self, now: datetime) -> Copy | None:
        """The last dashboard of this customer, or None (none kept, or not fit to show)."""
        from ..domain.dashboard import Dashboard

        found = self._copy.load(_CALL, Dashboard, now)
        if found is None or found.answer.customer.number != self.customer:
            return None
        return found

    def forget(self) -> None:
        self._copy.clear()
