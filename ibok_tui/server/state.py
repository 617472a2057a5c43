"""The server's configuration, its shared state and the dependencies routes ask for."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..domain.errors import AuthenticationRequired
from ..portal.base import PortalConfig, utc_now
from ..portal.mail import BackgroundMailer, Mailer, OutboxMailer, SmtpMailer
from ..portal.replays import LEASE, Replays
from ..portal.service import PortalService, default_outbox, open_portal
from ..portal.throttle import Throttle
from .limits import Rate, RateLimits

MiB = 1024 * 1024


@dataclass
class ServerConfig:
    db: Path | str  # a SQLite file, or a postgresql:// URL
    outbox: Path | None = None  # default: "outbox" beside the database
    smtp: str | None = None  # smtp://host:port: deliver mail there instead of the outbox
    demo: bool = False  # seed the demo data when the database is empty
    portal: PortalConfig = field(default_factory=PortalConfig)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    max_body: int = MiB
    clock: Callable[[], datetime] = utc_now
    test_control: bool = False  # test-only endpoints (IBOK_TEST_CONTROL=1 in test servers)
    # proxies whose X-Forwarded-For names the client (rate limits, lock-outs); none by default
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...] = ()
    # seconds a keyed request's claim stands before a retry may take it over (replays.py)
    idempotency_lease: float = LEASE.total_seconds()
    # the billing system's key (--integration-key-file): without one, no integration route
    integration_key: str | None = None
    max_import_body: int = 512 * MiB
    # seconds between a process's office ticks: failed requests' mail again, the readings'
    # digest when its period came (portal/dispatch.py; IBOK_OFFICE_TICK in tests; 0: off)
    office_tick: float = 60.0
    # seconds between runs of the notices' schedule (portal/notify.py) in the process that
    # holds its lease (IBOK_NOTICE_EVERY in tests)
    notice_every: float = 300.0

    @property
    def max_upload_body(self) -> int:
        return self.portal.max_upload_bytes + 64 * 1024

    def mailer(self, db: Path | str, outbox: Path | None) -> Mailer:
        mailer: Mailer = (
            SmtpMailer(self.smtp) if self.smtp else OutboxMailer(outbox or default_outbox(db))
        )
        if self.test_control:  # test servers: the mail is there when the answer is
            return mailer
        return BackgroundMailer(mailer)  # answers never wait for (or time) the mail


class SettableClock:
    """The service's clock; a test server lets the tests move it."""

    def __init__(self, base: Callable[[], datetime]) -> None:
        self.base = base
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed if self.fixed is not None else self.base()


class ServerState:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.clock = SettableClock(config.clock)
        self._lock = threading.Lock()
        self.service = self._open(config.db, config.outbox, seed=config.demo)
        # what another worker needs lives in the store: the rate-limit buckets here, the
        # idempotency record in the portal's core; nothing of it is kept in this process
        self.throttle = Throttle(self.service.store)
        self._swept = 0.0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def _open(self, db: Path | str, outbox: Path | None, *, seed: bool) -> PortalService:
        service = open_portal(
            db,
            mailer=self.config.mailer(db, outbox),
            config=self.config.portal,
            clock=self.clock,
            seed_demo=seed,
        )
        service.core.replays.lease = timedelta(seconds=self.config.idempotency_lease)
        service.core.load_routing()  # checked now: a bad routing stops the server at its start
        return service

    def swap(self, db: Path | str, outbox: Path) -> None:
        """Serve another database file (test servers only): forget all in-memory state."""
        with self._lock:
            old = self.service
            self.service = self._open(db, outbox, seed=False)
            self.throttle = Throttle(self.service.store)
            self.clock.fixed = None
        old.store.close()

    def start_ticks(self) -> None:
        """The office's periodic work on a thread of this process (every process runs it:
        the store decides which one sends what)."""
        if self.config.office_tick <= 0:  # off (test servers)
            return
        self._ticker = threading.Thread(target=self._ticks, name="ibok-office", daemon=True)
        self._ticker.start()

    def _ticks(self) -> None:
        import logging

        last_notices = -float("inf")
        while not self._stop.wait(self.config.office_tick):
            try:
                self.service.office_tick()
                if time.monotonic() - last_notices >= self.config.notice_every:
                    last_notices = time.monotonic()
                    self.notices()
            except Exception as exc:  # a store that is away for a moment: the next tick
                logging.getLogger("ibok.mail").error("office tick failed: %s", type(exc).__name__)

    def notices(self) -> None:
        """The notices' schedule, when this process holds the lease (it keeps it while it
        runs: three periods, so a process that died gives it up soon)."""
        every = max(self.config.notice_every, self.config.office_tick)
        self.service.notifier.run(timedelta(seconds=3 * every + 30))

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=10)
            self.service.notifier.release()  # another worker may take the schedule at once
        if isinstance(self.service.mailer, BackgroundMailer):
            self.service.mailer.close()  # what is queued still goes
        self.service.store.close()

    @property
    def replays(self) -> Replays:
        return self.service.core.replays

    def caller(self, authorization: str, client: str) -> str | None:
        """Whose idempotency keys a request uses: its session's subject (so a retry after
        signing in again still replays), or its client address when it carries no token;
        None for a token that is no longer a live session (the route refuses it)."""
        self.sweep()  # every keyed request may sweep, as every rate-limited one may
        if not authorization:
            return f"address:{client}"
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            session = self.service.session(token.strip())
        except AuthenticationRequired:
            return None
        return f"{session.role.value}:{session.subject}:{session.acting_operator or ''}"

    def limit(self, name: str, client: str) -> None:
        rate: Rate = getattr(self.config.rate_limits, name)
        self.throttle.take(name, client, rate.burst, rate.per_minute)
        self.sweep()

    def sweep(self, every: float = 60.0) -> None:
        """Delete expired idempotency records and full buckets, at most once a minute per
        process (each by its index; any process may do it)."""
        now = time.monotonic()
        if now - self._swept < every:
            return
        self._swept = now
        self.throttle.sweep()
        self.replays.sweep()


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.ibok
    return state


# The dependencies below never block, so they are coroutines: FastAPI runs a plain `def`
# dependency in its thread pool, a hop per dependency per request that cost more than the
# work (a refused sign-in spent most of its 3 ms in six of them). Routes that touch the
# store stay plain functions, in the pool.


async def get_service(request: Request) -> PortalService:
    return get_state(request).service


_bearer = HTTPBearer(auto_error=False, description="token sesji z /auth/login")


async def get_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise AuthenticationRequired()
    return credentials.credentials


def client_of(request: Request) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the nearest
    address in X-Forwarded-For that is not itself a trusted proxy."""
    return client_of_scope(request.scope)


_CLIENT = "ibok.client"  # where a request's scope keeps its client, found once


def client_of_scope(scope: MutableMapping[str, Any]) -> str:
    """`client_of` for a middleware, which has the ASGI scope (Starlette puts the app in it):
    found once per request (the log, the door and the route all ask)."""
    found = scope.get(_CLIENT)
    if found is None:
        found = scope[_CLIENT] = _client(scope)
    return str(found)


def _client(scope: MutableMapping[str, Any]) -> str:
    peer = str((scope.get("client") or ("-",))[0])
    if "app" not in scope:
        return peer
    trusted = scope["app"].state.ibok.config.trusted_proxies
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for name, value in scope.get("headers", ())
        if bytes(name).lower() == b"x-forwarded-for"
        for hop in bytes(value).decode("latin-1").split(",")
    ]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return _address(hop) or peer  # garbage from the proxy's client: the proxy
    return peer


@lru_cache(maxsize=4096)
def _address(text: str) -> str | None:
    try:
        return str(ip_address(text))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _is_trusted(text: str, trusted: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    address = _address(text)
    return address is not None and any(ip_address(address) in net for net in trusted)


def rate_limited(name: str) -> Callable[[Request], None]:
    """A dependency that spends one token of the `name` limit for the client's address."""

    def check(request: Request) -> None:  # a statement of the store: in the thread pool
        get_state(request).limit(name, client_of(request))

    return check


Service = Annotated[PortalService, Depends(get_service)]
Token = Annotated[str, Depends(get_token)]
