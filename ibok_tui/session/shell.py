"""What the session's parts need of each other, as Protocols (no import circle between the
controller, the desk and the kiosk): `Shell`, what the session needs of the app (IbokApp
implements it; mypy checks), and `SessionView`, what the desk and the kiosk need of the
session (`SessionControl` implements it)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App
    from textual.screen import Screen
    from textual.worker import Worker

    from ..backends.base import Backend
    from ..domain.changes import Change
    from ..widgets.header import HeaderState


class Shell(Protocol):
    """What the session needs of the app beyond Textual's `App` (IbokApp implements it)."""

    @property
    def selected_property(self) -> str | None: ...

    def choose_property(self, property_id: str | None) -> None:
        """Set the chosen property (the app's reactive: the header and the tabs hear it)."""
        ...

    def show_header(self, state: HeaderState) -> None:
        """The header's state (the app's reactive that every header watches)."""
        ...

    async def reset_tabs(self, *, to_login: bool, rebuild_current: bool = False) -> None: ...

    def records_changed(self, kinds: frozenset[Change]) -> None:
        """A write changed these kinds of record (backends/changes.py): every open tab that
        shows one of them shows it afresh."""
        ...

    def forget_closed_nodes(self) -> None: ...

    def now(self) -> datetime:
        """The console's clock (pinned by tests and IBOK_CLOCK), aware."""
        ...

    def make_login_screen(self) -> Screen[Any]: ...

    def offline_changed(self) -> None:
        """The server went out of reach or came back: the headers show it (the banner)."""
        ...

    def start_collector(self) -> None:
        """The cyclic garbage collector back on (quiet_gc.py), with the live work."""
        ...

    def reload_tabs(self) -> None:
        """The server answers again: the loaded tabs load their data afresh."""
        ...


class SessionView(Protocol):
    """What the clerk's desk and the kiosk may do to the session."""

    app: App[Any]
    shell: Shell
    backend: Backend  # the desk swaps it for the served customer's, and back

    def forget_customer(self) -> None: ...

    async def enter_console(self) -> None: ...

    async def show_operator_tabs(self) -> None: ...

    def logout(self) -> Worker[None]: ...
