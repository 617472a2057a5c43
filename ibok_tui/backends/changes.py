"""The change notice: after a write succeeds, its backend announces what kind of record it
changed (`Change`), and whoever listens (the console: every open tab) shows it at once.

The table `CHANGES` (a `Backend` method -> the kinds it changes) is the only list of the
writes; `announces_changes` makes a backend class announce after each of them, so the local
and the HTTP backend announce alike. A backend made from another (`act_for`, the clerk's
desk) shares its feed (`share_changes`): a reply in the clerk's queue is heard by the
customer's tabs the clerk has open, and the other way round. Wrappers (the offline view)
pass their inner backend's feed on; the outbox sends through the backend and so announces
what it delivered. Nothing here knows the UI: listeners are plain callables, called on the
event loop right after the call returned.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from ..domain.changes import Change

__all__ = ["CHANGES", "Change", "ChangeFeed", "ChangeSource", "announces_changes"]

Listener = Callable[[frozenset[Change]], object]

_C = Change
CHANGES: Mapping[str, frozenset[Change]] = {
    name: frozenset(kinds)
    for name, kinds in {
        "update_contact": (_C.ACCOUNT,),
        "set_consents": (_C.ACCOUNT,),
        "accept_terms": (_C.ACCOUNT, _C.TERMS),
        "submit_reading": (_C.READINGS,),
        "edit_reading": (_C.READINGS,),
        "withdraw_reading": (_C.READINGS,),
        "create_request": (_C.REQUESTS,),
        "upload_contract_scan": (_C.DOCUMENTS, _C.CONTRACTS),
        "withdraw_contract_scan": (_C.DOCUMENTS, _C.CONTRACTS),
        "register": (_C.REGISTRATIONS,),
        "confirm_registration": (_C.REGISTRATIONS,),
        "activate_registration": (_C.REGISTRATIONS, _C.CUSTOMERS),
        "reject_registration": (_C.REGISTRATIONS, _C.CUSTOMERS),
        "reply_request": (_C.REQUESTS,),
        "import_readings": (_C.READINGS,),
        "block_account": (_C.CUSTOMERS,),
        "unblock_account": (_C.CUSTOMERS,),
        "issue_password": (_C.CUSTOMERS,),
        "end_contract": (_C.CUSTOMERS, _C.CONTRACTS, _C.ACCOUNT),
        "set_contract_end_grace": (_C.SETTINGS,),
        "publish_notice": (_C.NOTICES,),
        "publish_terms": (_C.TERMS, _C.NOTICES),
        "accept_contract_scan": (_C.DOCUMENTS, _C.CONTRACTS),
        "set_scan_status": (_C.DOCUMENTS, _C.CONTRACTS),
    }.items()
}


class ChangeFeed:
    """Who hears the change notices of a backend (and of those made from it)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Hear every notice from now on; call the answer to stop."""
        self._listeners.append(listener)

        def stop() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    def announce(self, kinds: frozenset[Change]) -> None:
        for listener in list(self._listeners):
            listener(kinds)


class ChangeSource:
    """A backend's feed (made on first use) and the sharing of it with a backend made from
    this one."""

    _changes: ChangeFeed | None = None

    @property
    def changes(self) -> ChangeFeed:
        if self._changes is None:
            self._changes = ChangeFeed()
        return self._changes

    def share_changes(self, other: ChangeSource) -> None:
        other._changes = self.changes


S = TypeVar("S", bound=type[ChangeSource])


def announces_changes(cls: S) -> S:
    """Wrap each write of `CHANGES` that `cls` has: after it returns, its kinds are announced."""
    for name, kinds in CHANGES.items():
        write = getattr(cls, name, None)
        if write is None:
            continue
        setattr(cls, name, _announcing(write, kinds))
    return cls


def _announcing(
    write: Callable[..., Awaitable[Any]], kinds: frozenset[Change]
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(write)
    async def announcing(self: ChangeSource, *args: Any, **kwargs: Any) -> Any:
        result = await write(self, *args, **kwargs)
        self.changes.announce(kinds)
        return result

    return announcing
