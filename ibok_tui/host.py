"""The host: everything a screen may ask of the console, as one typed Protocol.

Screens, dialogs and panes reach the console only through `host_of(node)` (a `TabScreen` as
`self.host`), never by reading attributes of `self.app`: mypy checks each use against
`Host`, and checks that the console (`app.IbokApp`) and the tests' harness
(`tests/ui/tab_harness.py`) implement it. A screen that needs something new of the
console adds it here first.

It sits below the screens and above the widgets (import contracts): it names the backend's
protocol and the domain's types, and imports nothing at run time but `typing`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.widget import Widget

    from .backends.base import Backend
    from .backends.outbox import Outbox
    from .domain.models import CustomerSummary, Profile, Session


class ScreenPolicy(Protocol):
    """What a shared terminal (the kiosk, session/kiosk.py) allows a screen to do."""

    def allows_screen_action(self, action: str) -> bool:
        """Whether the action's key is offered at all."""
        ...

    def takes_screen_action(self, screen: Screen[Any], action: str) -> bool:
        """Called as a screen's file or clipboard action starts: True when the policy
        refused it or did it its own way, and the screen must not go on."""
        ...


class Drafts(Protocol):
    """What was typed in forms closed unsent (session/drafts.py): in memory only, per
    signed-in subject and form, wiped at logout and by a kiosk's idle wipe."""

    def get(self, owner: str, key: str) -> Mapping[str, object] | None: ...

    def keep(self, owner: str, key: str, values: Mapping[str, object]) -> None: ...

    def drop(self, owner: str, key: str) -> None: ...


class Host(Protocol):
    """What a screen may ask of the console."""

    # --- the backend and failures ---------------------------------------------------------
    @property
    def backend(self) -> Backend:
        """The backend of who is served now (the clerk's desk swaps it)."""
        ...

    def show_failure(self, error: BaseException, *, retry: Callable[[], Any] | None = None) -> None:
        """The error dialog (an expired session asks for the password first)."""
        ...

    # --- the outbox (backends/outbox.py, session/outbox.py) --------------------------------
    def outbox_for(self, backend: Backend) -> Outbox | None:
        """Where `backend`'s submissions wait when the server cannot be reached: the
        signed-in customer's own outbox (None on a kiosk, for a clerk, for another backend).
        Its calls read and write a file: make them on a thread."""
        ...

    def outbox_changed(self) -> object:
        """Something was added to or taken out of the outbox: the header counts again."""
        ...

    def send_outbox(self, only: str | None = None) -> None:
        """Send what waits now (or the one item `only`), in the background."""
        ...

    @property
    def outbox_sending(self) -> bool:
        """A pass of the outbox runs now."""
        ...

    @property
    def offline(self) -> bool:
        """The server cannot be reached: the tabs show their offline copy (the header's
        banner), and what needs the server (a download, a change the outbox does not keep)
        is dimmed in the key bar and does nothing."""
        ...

    # --- the clock ------------------------------------------------------------------------
    def now(self) -> datetime:
        """The console's clock (pinned by tests and IBOK_CLOCK), aware."""
        ...

    # --- files ----------------------------------------------------------------------------
    @property
    def downloads_dir(self) -> Path | None:
        """Where downloads and exports go (None: the user's downloads folder)."""
        ...

    @property
    def files_root(self) -> Path | None:
        """Where the file picker starts (None: the user's home)."""
        ...

    def open_file(self, path: Path) -> None:
        """Open a downloaded file with the system's viewer."""
        ...

    # --- the chosen property and the customer's profile -----------------------------------
    @property
    def selected_property(self) -> str | None: ...

    @property
    def profile_data(self) -> Profile | None: ...

    # --- the session ----------------------------------------------------------------------
    @property
    def demo(self) -> bool: ...

    @property
    def resuming(self) -> bool:
        """A remembered session is being resumed behind Pulpit."""
        ...

    @property
    def start_view_coming(self) -> bool:
        """A remembered session resumes and its customer's last Pulpit, if one is kept
        (backends/start_view.py), is about to be shown: Pulpit waits for it without a
        loading indicator."""
        ...

    @property
    def prefill_customer(self) -> str:
        """The customer number the login screen starts with."""
        ...

    @property
    def first_frame_shown(self) -> bool: ...

    def remember_allowed(self) -> bool: ...

    def keyring_available(self) -> bool:
        """Blocking (the OS keyring): call it on a thread."""
        ...

    def keep_session(self, password: str | None = None) -> object:
        """After a password change: the keyring keeps the new token (and password)."""
        ...

    def signed_in(self, session: Session, password: str, *, remember: bool) -> Awaitable[None]:
        """The login screen signed someone in."""
        ...

    def logout(self) -> object: ...

    def serve_customer(self, customer: CustomerSummary) -> Awaitable[None]:
        """The clerk's desk: act for this customer and show their tabs."""
        ...

    @property
    def clerk_backend(self) -> Backend | None:
        """The clerk's own backend while the desk serves a customer (the office's acts on
        what the customer's tabs show: a scan's status); None otherwise."""
        ...

    @property
    def drafts(self) -> Drafts:
        """The drafts of forms closed unsent, for this session."""
        ...

    @property
    def screen_policy(self) -> ScreenPolicy | None:
        """The kiosk's rules for the screens' file actions (None: everything allowed)."""
        ...

    # --- the shell: header, tabs, keys, language and theme ----------------------------------
    @property
    def keys(self) -> Mapping[str, str]:
        """The user's `[keys]`: binding id -> keys (config.py), for lists of keys."""
        ...

    def make_header(self) -> Widget | None:
        """The header a tab shows (None: none, as in the tests' harness)."""
        ...

    def tab_classes(self) -> list[tuple[str, str, type[Screen[Any]]]]:
        """(key, title, screen class) of every tab, for Pomoc."""
        ...

    def change_language(self, language: str) -> Awaitable[None]: ...

    def change_theme(self, theme: str) -> None: ...


def host_of(node: DOMNode) -> Host:
    """The console a screen, dialog or widget runs in."""
    return cast("Host", node.app)
