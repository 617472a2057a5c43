"""The offline copy of one customer's answers on one server: the last successful answer of
each reading call, one file per call, in the customer's private folder (private_files.py:
0700, files 0600 written whole, none on a kiosk).

A file names its server, its customer and its call inside, and is used only when all three
are the ones asked for: a file copied from another customer's folder, a truncated or
garbage one, one too big, one dated in the future or one whose answer is not of the
call's type is ignored (the call then fails as it would have without a copy). The folder's
name is a digest of the server and the customer number, so two scopes never share one.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from .private_files import data_root, forget, private_dir, read_bounded, write_private

FORMAT = "ibok-offline-1"
MAX_FILE = 16 * 1024 * 1024  # a year of hourly series is ~1 MB; more is not ours
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Copy:
    """An answer from the copy and when the server gave it."""

    answer: Any
    taken_at: datetime


def scope_name(server: str, customer: str) -> str:
    digest = hashlib.sha256(f"{server}\n{customer}".encode()).hexdigest()
    return f"offline-{digest[:40]}"


class _Folder:
    """What every `OfflineCopy` of one folder shares in a process: the lock its files are
    written, read and removed under, and how many times it has been cleared. The console
    makes a copy of the last Pulpit where it saves one and another where a logout forgets
    it: with a lock each, the logout's removal ran into the save's file (the removal
    failed) or the save came after it (the last Pulpit of a customer who had logged out
    was on disk again)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0  # clears so far: a copy made before the last one writes nothing


_FOLDERS: dict[str, _Folder] = {}  # by folder name: a digest, never a customer number
_FOLDERS_LOCK = threading.Lock()


def _shared(name: str) -> _Folder:
    with _FOLDERS_LOCK:
        return _FOLDERS.setdefault(name, _Folder())


def call_key(name: str, args: tuple[Any, ...]) -> str:
    """The call's identity as text: its name and arguments (dataclasses, enums, dates as
    JSON)."""
    import msgspec

    return msgspec.json.encode([name, list(args)]).decode()


class OfflineCopy:
    """One scope's files. Thread-safe: the writes run on a thread, and a write that comes
    after a `clear()` of the same folder by any copy (a logout while a tab was loading)
    writes nothing, nor does anything this copy asks after that clear."""

    def __init__(self, server: str, customer: str, *, kiosk: bool, root: Path | None) -> None:
        self.server = server
        self.customer = customer
        self._kiosk = kiosk
        self._root = root
        self._name = scope_name(server, customer)
        self._shared = _Folder() if kiosk else _shared(self._name)
        self._lock = self._shared.lock
        self._generation = self._shared.generation

    @property
    def _cleared(self) -> bool:
        return self._generation != self._shared.generation

    def _folder(self, *, make: bool) -> Path | None:
        if self._kiosk:
            return None
        if not make:
            folder = (self._root or data_root()) / self._name
            return folder if folder.is_dir() else None
        return private_dir(self._name, kiosk=False, root=self._root)

    @staticmethod
    def _file_name(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()[:40] + ".json"

    def save(self, key: str, answer: Any, taken_at: datetime) -> None:
        """Keep `answer` as the call's copy (a failure to write is no failure of the call)."""
        import msgspec

        envelope = {
            "format": FORMAT,
            "server": self.server,
            "customer": self.customer,
            "call": key,
            "taken_at": taken_at.astimezone(UTC).isoformat(),
            "answer": answer,
        }
        content = msgspec.json.encode(envelope)
        if len(content) > MAX_FILE:
            return
        with self._lock:
            if self._cleared:
                return
            try:
                folder = self._folder(make=True)
                if folder is not None:
                    write_private(folder / self._file_name(key), content)
            except OSError:
                pass  # a full or read-only disk: the console works on, without a copy

    def load(self, key: str, kind: Any, now: datetime) -> Copy | None:
        """The call's copy decoded as `kind`, or None when there is none fit to show."""
        import msgspec

        with self._lock:
            if self._cleared:
                return None
            folder = self._folder(make=False)
            if folder is None:
                return None
            content = read_bounded(folder / self._file_name(key), MAX_FILE)
        if content is None:
            return None
        try:
            envelope = msgspec.json.decode(content, type=_envelope())
            if (
                envelope.format != FORMAT
                or envelope.server != self.server
                or envelope.customer != self.customer
                or envelope.call != key
            ):
                return None
            taken_at = datetime.fromisoformat(envelope.taken_at)
            if taken_at.tzinfo is None or taken_at > now + FUTURE_SLACK:
                return None
            answer = msgspec.json.decode(envelope.answer, type=kind)
        except (msgspec.MsgspecError, ValueError, TypeError, RecursionError):
            return None
        return Copy(answer, taken_at)

    def clear(self) -> None:
        """Remove the copy (logout); nothing is written to it afterwards. A folder that
        cannot be removed raises OSError (the logout says so)."""
        with self._lock:
            self._shared.generation += 1
            self._generation = -1  # cleared for good, whatever clears come after
            forget(self._folder(make=False))


@cache
def _envelope() -> Any:
    """The file's outer shape (made on first use: msgspec is not imported at start-up)."""
    import msgspec

    fields = ("format", "server", "customer", "call", "taken_at")
    return msgspec.defstruct(
        "Envelope", [*((name, str) for name in fields), ("answer", msgspec.Raw)]
    )
