"""The offline backend's mechanics (backends/offline.py has its calls): whether the server is
out of reach, the signed-in customer's copy, a reading call answered from it, a call that
needs the server refused while offline, the probe that ends it, and a remembered session
started while the server is away."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain import errors as e
from .offline_copy import OfflineCopy, call_key

if TYPE_CHECKING:
    from ..domain.models import Session
    from .base import Backend
    from .changes import ChangeFeed

T = TypeVar("T")

# the transport's codes (http_wire.py) of a server that cannot be reached
_UNREACHABLE = frozenset(
    {
        "unavailable",
        "connect_failed",
        "connect_timeout",
        "read_timeout",
        "connection_cut",
        "connection_failed",
        "server_busy",
    }
)
_GATEWAY = frozenset({"502", "503", "504"})


def unreachable(error: BaseException) -> bool:
    """Whether `error` says the server cannot be reached (not that it refused something)."""
    if not isinstance(error, e.Unavailable):
        return False
    if error.code == "server_error":
        return error.params.get("status", "") in _GATEWAY
    return error.code in _UNREACHABLE


@dataclass(frozen=True, slots=True)
class OfflineState:
    """Whether the server is out of reach, and the oldest copy shown since it went away
    (None: nothing was shown from the copy)."""

    offline: bool = False
    data_from: datetime | None = None


class OfflineCore:
    """What every call of `OfflineBackend` goes through (see backends/offline.py)."""

    def __init__(
        self,
        inner: Backend,
        *,
        kiosk: bool = False,
        root: Path | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.inner = inner
        self.state = OfflineState()
        self._kiosk = kiosk
        self._root = root
        self._clock = clock
        self._copy: OfflineCopy | None = None
        # a remembered session started while the server was away (`resume_offline`)
        self._offline_session: Session | None = None
        # from a logout until the next sign-in nothing is kept: a tab's call still on its
        # way when the copy was cleared must not write it again
        self._signed_out = False
        self._listeners: list[Callable[[OfflineState], None]] = []

    @property
    def label(self) -> str:
        return self.inner.label

    @property
    def session(self) -> Session | None:
        return self.inner.session or self._offline_session

    @property
    def mail_folder(self) -> Path | None:
        return self.inner.mail_folder

    @property
    def changes(self) -> ChangeFeed:
        """The inner backend's change notices (a write refused offline announces nothing)."""
        return self.inner.changes

    # --- the offline state ------------------------------------------------------------------
    def listen(self, listener: Callable[[OfflineState], None]) -> None:
        self._listeners.append(listener)

    def _now(self) -> datetime:
        return self._clock() if self._clock is not None else datetime.now(UTC)

    def _become(self, state: OfflineState) -> None:
        if state != self.state:
            self.state = state
            for listener in list(self._listeners):
                listener(state)

    def _away(self, taken_at: datetime | None) -> None:
        oldest = self.state.data_from
        if taken_at is not None and (oldest is None or taken_at < oldest):
            oldest = taken_at
        self._become(OfflineState(True, oldest))

    def _back(self) -> None:
        self._become(OfflineState())

    def _scope(self) -> OfflineCopy | None:
        """The signed-in customer's copy (None: no customer, an operator, a kiosk)."""
        from ..domain.models import Role

        session = self.session
        if self._kiosk or self._signed_out or session is None:
            return None
        if session.role is not Role.CUSTOMER:
            return None
        if session.acting_operator is not None:
            return None
        server, customer = self.inner.label, session.subject
        copy = self._copy
        if copy is None or copy.server != server or copy.customer != customer:
            copy = self._copy = OfflineCopy(server, customer, kiosk=False, root=self._root)
        return copy

    async def probe(self) -> bool:
        """Ask the server whether it answers (its public `utility`; for a session started
        offline, the remembered token); True ends the offline state. A server still out of
        reach is False; any other failure ends the offline state and is raised (a token
        that expired meanwhile: the console asks for the password)."""
        waiting = self._offline_session
        try:
            if waiting is not None:
                await self.inner.resume(waiting.token)
                self._offline_session = None
            else:
                await self.inner.utility()
        except e.IbokError as error:
            if unreachable(error):
                return False
            self._back()
            raise
        self._back()
        return True

    async def resume_offline(self, customer: str, token: str) -> Session | None:
        """A remembered session while the server is away: the customer's last session from
        the copy (never its token: the keyring's `token` is used), so that the tabs show
        the copy under the banner; None when there is no copy of that customer's."""
        from ..domain.models import Role, Session

        copy = OfflineCopy(self.inner.label, customer, kiosk=self._kiosk, root=self._root)
        found = await asyncio.to_thread(copy.load, call_key("session", ()), Session, self._now())
        if found is None:
            return None
        kept: Session = found.answer
        if kept.role is not Role.CUSTOMER or kept.subject != customer or kept.acting_operator:
            return None
        self._copy = copy
        self._signed_out = False
        self._offline_session = dataclasses.replace(kept, token=token)
        self._away(None)
        return self._offline_session

    async def _signed_in(self, session: Session) -> Session:
        """A customer signed in: the session (without its token) joins the copy, for a start
        while the server is away."""
        import dataclasses

        self._offline_session = None
        self._signed_out = False
        self._back()
        copy = self._scope()
        if copy is not None:
            shown = dataclasses.replace(session, token="")
            await asyncio.to_thread(copy.save, call_key("session", ()), shown, self._now())
        return session

    async def _read(
        self, name: str, kind: Any, args: tuple[Any, ...], call: Callable[[], Awaitable[T]]
    ) -> T:
        copy = self._scope()
        if copy is None:
            return await self._pass(call)
        key = call_key(name, args)
        if self.state.offline or self._offline_session is not None:
            # the probe says when the server is back
            found = await asyncio.to_thread(copy.load, key, kind, self._now())
            if found is not None:
                self._away(found.taken_at)
                answer: T = found.answer
                return answer
            if self._offline_session is not None:  # no session on the server yet
                raise self._refusal()
        try:
            answer = await call()
        except e.Unavailable as error:
            if not unreachable(error):
                raise
            found = await asyncio.to_thread(copy.load, key, kind, self._now())
            self._away(found.taken_at if found is not None else None)
            if found is None:
                raise
            answer = found.answer
            return answer
        self._back()
        await asyncio.to_thread(copy.save, key, answer, self._now())
        return answer

    def _refusal(self) -> e.Unavailable:
        data_from = self.state.data_from
        shown = {"data_from": data_from.isoformat()} if data_from is not None else {}
        return e.Unavailable(code="offline", params=shown)

    async def _pass(self, call: Callable[[], Awaitable[T]]) -> T:
        """A call without a copy: refused at once while a customer's server is out of reach,
        else sent (its failure to reach the server makes the backend offline)."""
        customer = self._scope() is not None
        if customer and (self.state.offline or self._offline_session is not None):
            raise self._refusal()
        try:
            answer = await call()
        except e.Unavailable as error:
            if customer and unreachable(error):
                self._away(None)
            raise
        if customer:
            self._back()
        return answer
