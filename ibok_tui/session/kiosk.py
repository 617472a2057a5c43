"""Kiosk mode: the console on a shared terminal at the customer office.

`KioskPolicy` is the whole policy, small and testable without a terminal:

- nothing is remembered: no keyring, no "remember me", no settings file written;
- the quit keys do nothing; leaving needs a signal, or the operator PIN when the
  configuration has one (`[kiosk] pin_hash`, made by `ibok kiosk-pin`);
- after `idle_seconds` without a key or a click the session is logged out and every
  screen is cleared back to an empty login screen (`idle_expired`, `touch`);
- no file is written to the kiosk's disk: the screen actions that save or export
  (`BLOCKED_SCREEN_ACTIONS`) are refused, and an invoice's PDF is shown as text;
- a high-contrast theme.

The session (session/controller.py) and the app call the hooks at the bottom (`attach`,
`wipe`, `ask_to_leave`); the screens meet the policy through the host (`Host.screen_policy`,
`TabScreen.policy_takes`), never by having their methods replaced. The Textual parts live in
`screens/clerk/operator_kiosk.py` and are imported on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App, SystemCommand
    from textual.screen import Screen

    from .shell import SessionView, Shell

DEFAULT_IDLE_SECONDS = 120
KIOSK_THEME = "ibok-kontrast"
# app actions refused in the kiosk: leaving, Textual's "press ctrl+q" hint, suspending
BLOCKED_APP_ACTIONS = frozenset({"help_quit", "suspend_process", "command_palette_screenshot"})
# tab actions that write a file, read the disk or put data on the clipboard
BLOCKED_SCREEN_ACTIONS = frozenset(
    {"export_csv", "copy_tsv", "document", "upload", "download", "export", "invoice_archive"}
)
# Textual's own palette commands that a kiosk may keep (by their title)
ALLOWED_SYSTEM_COMMANDS = frozenset({"Keys"})
_PIN_ITERATIONS = 200_000


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A salted PBKDF2 hash of the PIN, for the configuration file (never the PIN itself)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, _PIN_ITERATIONS)
    return f"pbkdf2_sha256${_PIN_ITERATIONS}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        computed = hashlib.pbkdf2_hmac(
            "sha256", pin.encode("utf-8"), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


def private_base() -> str | None:
    """Where a kiosk's private folder goes: memory when the system offers it (the user's
    runtime directory, else /dev/shm), else the temporary directory."""
    for candidate in (os.environ.get("XDG_RUNTIME_DIR", ""), "/dev/shm"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


@contextmanager
def private_folder() -> Iterator[Path]:
    """A folder only this user can read (0700), removed when the block ends, however it
    ends: the kiosk's demo store (SQLite and its WAL) and its mail outbox live there, so
    nothing of them stays in the kiosk user's home or anywhere after the console closes.
    (A `kill -9` leaves it behind, in memory where the system has a tmpfs.)"""
    folder = Path(tempfile.mkdtemp(prefix="ibok-kiosk-", dir=private_base()))
    try:
        os.chmod(folder, 0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class KioskPolicy:
    """What a kiosk allows, and its idle timer (seconds of `clock`, monotonic by default)."""

    idle_seconds: float = DEFAULT_IDLE_SECONDS
    pin_hash: str = ""
    clock: Callable[[], float] = time.monotonic
    check_every: float = 1.0
    last_activity: float = field(init=False)

    def __post_init__(self) -> None:
        if self.idle_seconds <= 0:
            raise ValueError("idle_seconds must be positive")
        self.last_activity = self.clock()

    # --- the idle timer ------------------------------------------------------------------
    def touch(self) -> None:
        """A key or a click: the user is still there."""
        self.last_activity = self.clock()

    def idle_for(self) -> float:
        return self.clock() - self.last_activity

    def idle_expired(self) -> bool:
        return self.idle_for() >= self.idle_seconds

    # --- what is allowed -------------------------------------------------------------------
    @property
    def can_leave(self) -> bool:
        """Leaving from the keyboard needs a configured operator PIN."""
        return bool(self.pin_hash)

    def check_pin(self, pin: str) -> bool:
        return self.can_leave and pin_matches(pin, self.pin_hash)

    def allows_app_action(self, action: str) -> bool:
        if action == "quit":
            return self.can_leave  # then the PIN is asked for
        return action not in BLOCKED_APP_ACTIONS

    def allows_screen_action(self, action: str) -> bool:
        return action not in BLOCKED_SCREEN_ACTIONS

    def system_commands(self, commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
        """Textual's palette commands without Quit, Screenshot, Theme and the like."""
        return (c for c in commands if c.title in ALLOWED_SYSTEM_COMMANDS)

    # --- the app's hooks (Textual is imported only here) ------------------------------------
    def attach(self, app: App[Any], session: SessionView) -> None:
        """On mount: the high-contrast theme and the idle check."""
        from ..screens.clerk.operator_kiosk import register_theme

        register_theme(app)
        self.touch()
        app.set_interval(self.check_every, lambda: self.tick(app, session), name="kiosk-idle")

    async def tick(self, app: App[Any], session: SessionView) -> None:
        """Log out (and clear every screen) once the kiosk has been idle long enough."""
        if not self.idle_expired():
            return
        self.touch()
        if session.backend.session is not None:
            # directly, not through the key: a dialog on top must not keep the session open
            session.logout()
            return
        from ..screens.clerk.operator_kiosk import login_is_blank

        if not login_is_blank(app):
            await self.wipe(app, session.shell)

    async def wipe(self, app: App[Any], shell: Shell) -> None:
        """Back to an empty login screen: no customer data anywhere on the screen stack."""
        from ..screens.clerk.operator_kiosk import wipe_screens

        await wipe_screens(app, shell.make_login_screen)
        shell.forget_closed_nodes()

    def ask_to_leave(self, app: App[Any]) -> None:
        """The quit key: nothing, unless a PIN is configured, which is then asked for."""
        if not self.can_leave:
            return
        from ..screens.clerk.operator_kiosk import PinDialog

        def done(pin: str | None) -> None:
            if pin is not None and self.check_pin(pin):
                app.exit()

        if not isinstance(app.screen, PinDialog):
            app.push_screen(PinDialog(), done)

    def takes_screen_action(self, screen: Screen[Any], action: str) -> bool:
        """A tab's file action as it starts (`Host.screen_policy`): refused, or an invoice's
        PDF shown as text; True when the tab must not go on."""
        from ..screens.clerk.operator_kiosk import take_screen_action

        return take_screen_action(screen, action, self)
