"""The outbox: what the customer sent while the server could not be reached, kept until it
arrives.

A reading, a request or a contact change that met `Unavailable` is kept here with the
idempotency key its first try carried, and sent again (in the background, at the next start,
by `ibok outbox send`) with that same key: the server answers a key it knows with the answer
it stored (server/middleware.py, portal/replays.py), so an item arrives once whatever
happened between tries (the console killed during a send, an answer lost on the way). An item
leaves the file only once the server has answered it; a refusal (a rule the server applies at
sending time) stays, with the error, for the customer to edit or withdraw.

One outbox per scope: the backend's label (a server's address, or "demo") and the customer
number. `send_outbox` refuses a backend of another scope, so one customer's items never go
with another's session. The file is the console's own (backends/private_files.py: 0600,
replaced whole, in a folder of its own so that a logout's clearing of the offline copy keeps
it); on a kiosk there is none. Changes hold a lock on the folder, so that the console's
background sender and `ibok outbox send` in another process never lose each other's writes.

No Textual here: the console (screens/, widgets/) and the commands share this module.
msgspec is imported where a file is read or written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..domain import errors as e
from ..domain.models import ContactUpdate, ReadingSubmission, RequestDraft, Role
from .private_files import private_dir, read_private, write_private

if TYPE_CHECKING:
    from .base import Backend

Kind = Literal["reading", "request", "contact"]
Payload = ReadingSubmission | RequestDraft | ContactUpdate
MAX_ITEMS = 100  # an outbox is for what one customer typed offline, not a queue of thousands
MAX_FILE = 1024 * 1024  # a bigger file is not ours: set aside, never parsed
FORMAT = 1
# refusals that mean "not now", never "no": the item waits for the next try
_NOT_NOW = frozenset({"idempotency_key_in_progress"})


class OutboxError(e.IbokError):
    """The outbox cannot take or send an item: `outbox_full`, `outbox_wrong_scope`,
    `outbox_unavailable` (a kiosk, or an operator acting for a customer)."""

    code = "outbox_unavailable"
    status = 409


@dataclass(frozen=True, slots=True)
class Refusal:
    """The server's refusal of an item, as data (the catalogue words it in the console)."""

    kind: str
    code: str
    message: str = ""
    params: dict[str, str] = field(default_factory=dict)
    errors: list[e.FieldError] = field(default_factory=list)

    @classmethod
    def of(cls, error: e.IbokError) -> Refusal:
        found = error.errors if isinstance(error, e.ValidationFailed) else []
        return cls(error.kind, error.code, error.message, dict(error.params), list(found))

    def error(self) -> e.IbokError:
        """The error again, of its class: the form shows it as it showed it then."""
        cls = e.ERROR_KINDS.get(self.kind, e.IbokError)
        error: e.IbokError
        if issubclass(cls, e.ValidationFailed):
            error = cls(list(self.errors), self.message)
            error.code, error.params = self.code, dict(self.params)
        else:
            error = cls(self.message, code=self.code, params=self.params)
        return error


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One thing to send. `key` is the Idempotency-Key of its every try."""

    id: str
    kind: Kind
    key: str
    created: str  # ISO-8601 UTC
    reading: ReadingSubmission | None = None
    request: RequestDraft | None = None
    contact: ContactUpdate | None = None
    tries: int = 0
    refusal: Refusal | None = None

    @property
    def payload(self) -> Payload:
        found = self.reading or self.request or self.contact
        assert found is not None
        return found

    @property
    def waiting(self) -> bool:
        """To be sent (a refused item waits for the customer instead)."""
        return self.refusal is None

    def summary(self) -> str:
        """What the item holds, in one line of its own data (shown literally by the caller)."""
        if self.reading is not None:
            return f"{self.reading.meter_id}: {self.reading.value} m³"
        if self.request is not None:
            return self.request.subject
        contact = self.contact
        assert contact is not None
        parts = [contact.email or "", contact.phone or ""]
        if contact.address is not None:
            parts.append(contact.address.one_line())
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class _File:
    scope: str
    items: list[OutboxItem] = field(default_factory=list)
    format: int = FORMAT


def outbox_scope(label: str, customer: str) -> str:
    """The scope of a backend's outbox: where it sends and for whom."""
    return f"{label}|{customer}"


def backend_scope(backend: Backend) -> str | None:
    """The scope of a backend's session, or None when it has no outbox: not signed in, an
    operator, or an operator acting for a customer (the customer's own console keeps theirs)."""
    session = backend.session
    if session is None or session.role is not Role.CUSTOMER or session.acting_operator:
        return None
    return outbox_scope(backend.label, session.subject)


class Outbox:
    """The items of one scope, read from and written to their file on every call (another
    process may send or withdraw meanwhile). On a kiosk it holds nothing and takes nothing."""

    def __init__(self, scope: str, folder: Path | None) -> None:
        self.scope = scope
        self.folder = folder
        digest = hashlib.sha256(scope.encode()).hexdigest()[:24]
        self.path = folder / f"outbox-{digest}.json" if folder else None
        self.damaged: Path | None = None  # where an unreadable file was set aside

    @classmethod
    def open(cls, scope: str, *, kiosk: bool, root: Path | None = None) -> Outbox:
        folder = private_dir(f"outbox {scope}", kiosk=kiosk, root=root)
        return cls(scope, folder)

    @classmethod
    def for_backend(cls, backend: Backend, *, kiosk: bool, root: Path | None = None) -> Outbox:
        scope = backend_scope(backend)
        if scope is None:
            raise OutboxError(code="outbox_unavailable")
        return cls.open(scope, kiosk=kiosk, root=root)

    @property
    def available(self) -> bool:
        """False on a kiosk: nothing is kept there."""
        return self.path is not None

    # --- reading -------------------------------------------------------------------------

    def items(self) -> list[OutboxItem]:
        return list(self._load().items) if self.path else []

    def waiting(self) -> list[OutboxItem]:
        return [item for item in self.items() if item.waiting]

    def get(self, item_id: str) -> OutboxItem | None:
        return next((item for item in self.items() if item.id == item_id), None)

    # --- changing ------------------------------------------------------------------------

    def add(
        self,
        payload: Payload,
        *,
        key: str | None = None,
        replaces: str | None = None,
        now: datetime | None = None,
    ) -> OutboxItem:
        """Keep `payload` to be sent with `key` (the form's key, so that the form's own retry
        and the outbox's never both arrive). The same key again is the same item, with the
        values given now; `replaces` drops the item the customer edited into this one."""
        if self.path is None:
            raise OutboxError(code="outbox_unavailable")
        key = key or uuid.uuid4().hex
        kind: Kind
        values: dict[str, Payload]
        if isinstance(payload, ReadingSubmission):
            kind, values = "reading", {"reading": payload}
        elif isinstance(payload, RequestDraft):
            kind, values = "request", {"request": payload}
        else:
            kind, values = "contact", {"contact": payload}
        when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        with self._changing() as items:
            known = next((item for item in items if item.key == key), None)
            if known is not None:  # the form's retry, its value maybe corrected meanwhile
                changed = _replace(known, refusal=None, **values)
                items[:] = [changed if item is known else item for item in items]
                return changed
            items[:] = [item for item in items if item.id != replaces]
            if len(items) >= MAX_ITEMS:
                raise OutboxError(code="outbox_full", params={"count": MAX_ITEMS})
            taken = {item.id for item in items}
            item_id = _new_id(taken)
            item = OutboxItem(item_id, kind, key, when, **values)  # type: ignore[arg-type]
            items.append(item)
            return item

    def withdraw(self, item_id: str) -> OutboxItem | None:
        """Take an item out unsent; None if there was none of that id (sent meanwhile)."""
        return self._remove(lambda item: item.id == item_id)

    def sent(self, key: str) -> OutboxItem | None:
        """The item of `key` arrived (by the outbox or by its form's retry): it goes."""
        return self._remove(lambda item: item.key == key)

    def refused(self, item_id: str, error: e.IbokError) -> None:
        with self._changing() as items:
            items[:] = [
                _replace(item, refusal=Refusal.of(error), tries=item.tries + 1)
                if item.id == item_id
                else item
                for item in items
            ]

    def tried(self, item_id: str) -> None:
        with self._changing() as items:
            items[:] = [
                _replace(item, tries=item.tries + 1) if item.id == item_id else item
                for item in items
            ]

    def _remove(self, which: Any) -> OutboxItem | None:
        if self.path is None:
            return None
        with self._changing() as items:
            gone = next((item for item in items if which(item)), None)
            items[:] = [item for item in items if not which(item)]
            return gone

    # --- the file ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _changing(self) -> Iterator[list[OutboxItem]]:
        assert self.path is not None
        with _locked(self.path.with_name(".outbox.lock")):
            items = list(self._load().items)
            before = list(items)
            yield items
            if items != before:
                self._write(items)

    def _load(self) -> _File:
        import msgspec

        assert self.path is not None
        raw = read_private(self.path)
        if raw is None:
            return _File(self.scope)
        try:
            if len(raw) > MAX_FILE:
                raise ValueError("too big")
            found = msgspec.json.decode(raw, type=_File)
            if found.scope != self.scope or found.format != FORMAT:
                raise ValueError("another scope")
            return found
        except (msgspec.DecodeError, ValueError):
            # not a file this console wrote for this scope: set aside, never sent, never lost
            self.damaged = self.path.with_name(f"{self.path.name}.damaged")
            os.replace(self.path, self.damaged)
            return _File(self.scope)

    def _write(self, items: list[OutboxItem]) -> None:
        import msgspec

        assert self.path is not None
        if items:
            write_private(self.path, msgspec.json.encode(_File(self.scope, items)))
        else:
            self.path.unlink(missing_ok=True)


def _replace(item: OutboxItem, **changes: Any) -> OutboxItem:
    import dataclasses

    return dataclasses.replace(item, **changes)


def _new_id(taken: set[str]) -> str:
    while True:
        found = secrets.token_hex(3)  # six hex digits: short to type in `ibok outbox withdraw`
        if found not in taken:
            return found


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock across processes (POSIX; elsewhere the atomic writes alone)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield
            return
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


# --- sending ---------------------------------------------------------------------------


@dataclass
class OutboxReport:
    """What one pass of `send_outbox` did: sent (with the server's answer), refused (with the
    error, kept for editing), still waiting, and why it stopped early if it did."""

    sent: list[tuple[OutboxItem, object]] = field(default_factory=list)
    refused: list[tuple[OutboxItem, e.IbokError]] = field(default_factory=list)
    waiting: list[OutboxItem] = field(default_factory=list)
    stopped: e.IbokError | None = None


def _stops(error: e.IbokError) -> bool:
    """An error that says nothing about the item: the server unreachable or busy, no valid
    session, a password to change first, an answer from something that is not the iBOK (a
    captive portal, a proxy's page)."""
    stopping = (e.Unavailable, e.AuthenticationRequired, e.RateLimited, e.PasswordChangeRequired)
    return isinstance(error, stopping) or error.code.startswith("bad_answer")


async def send_one(backend: Backend, item: OutboxItem) -> object:
    """One item, with its own idempotency key."""
    if item.reading is not None:
        return await backend.submit_reading(
            item.reading, idempotency_key=item.key, from_outbox=True
        )
    if item.request is not None:
        return await backend.create_request(item.request, idempotency_key=item.key)
    assert item.contact is not None
    # a replacement of the contact data (PATCH): sending it again changes nothing more
    return await backend.update_contact(item.contact)


async def send_outbox(backend: Backend, outbox: Outbox, *, only: str | None = None) -> OutboxReport:
    """Send every waiting item (or the one of id `only`), oldest first, over `backend`, which
    must be signed in for the outbox's scope. The server unreachable or the session gone
    stops the pass: what is left waits. A refusal is kept with the item."""
    import asyncio

    if backend_scope(backend) != outbox.scope:
        raise OutboxError(code="outbox_wrong_scope")
    report = OutboxReport()
    waiting = await asyncio.to_thread(outbox.waiting)
    pending = [i for i in waiting if only is None or i.id == only]
    for position, item in enumerate(pending):
        # withdrawn, or sent by another process, meanwhile
        if await asyncio.to_thread(outbox.get, item.id) is None:
            continue
        try:
            answer = await send_one(backend, item)
        except e.IbokError as error:
            if _stops(error):  # not the item's fault: it and the rest wait for the next pass
                await asyncio.to_thread(outbox.tried, item.id)
                report.stopped = error
                report.waiting = pending[position:]
                return report
            if error.code in _NOT_NOW:
                report.waiting.append(item)
                continue
            await asyncio.to_thread(outbox.refused, item.id, error)
            report.refused.append((item, error))
            continue
        await asyncio.to_thread(outbox.sent, item.key)
        report.sent.append((item, answer))
    return report
