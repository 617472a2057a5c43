"""What every service of the portal shares (`Core`): configuration, the clock, the audit
log, idempotency and settings; and the helpers of tokens and dates."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..domain.deadlines import DeadlinePolicy
from ..domain.errors import (
    NotFound,
)
from ..domain.models import AuditAction, Session
from ..domain.passwords import PasswordPolicy
from .mail import Mailer
from .replays import Replays
from .routing import Routing, stored_routing
from .sms import SmsSender
from .store import Store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PortalConfig:
    """The utility's policies. Defaults are the strictest seen in the regulations."""

    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    deadlines: DeadlinePolicy = field(default_factory=DeadlinePolicy.default)
    session_ttl: timedelta = timedelta(hours=8)
    remember_ttl: timedelta = timedelta(days=30)
    captcha_after: int = 3  # failures before a captcha is required
    # failures from one address, over every account, after which each try from it needs a
    # solved captcha (checked before any hash); forgotten `address_window` after the last
    captcha_after_address: int = 20
    address_window: timedelta = timedelta(minutes=15)
    # one address that fails this often is locked out of that account for `lock_for`;
    # the account as a whole waits growing delays (1 s, 2 s, ... `max_delay`) instead
    lock_after: int = 10
    lock_for: timedelta = timedelta(minutes=15)
    max_delay: timedelta = timedelta(seconds=60)
    captcha_difficulty: int = 15  # leading zero bits of the proof of work at first
    captcha_difficulty_max: int = 20  # and at most, as failures grow
    reset_ttl: timedelta = timedelta(hours=1)
    activation_ttl: timedelta = timedelta(hours=72)
    captcha_ttl: timedelta = timedelta(minutes=10)
    max_upload_bytes: int = 10 * 1024 * 1024  # one scan
    max_scans: int = 20  # a customer's scans not yet withdrawn, on all contracts
    max_scan_total_bytes: int = 50 * 1024 * 1024  # their size together
    public_url: str = "https://ibok.example.pl"  # links in e-mails point here
    # where requests go in the office (portal/routing.py); None: the store's settings
    routing: Routing | None = None
    # the notices (portal/notify.py): a payment is told of this many days before it is due;
    # SMS go through this gateway (portal/sms.py), none without one
    notice_due_days: int = 3
    sms_gateway: str | None = None


def config_from_policy(data: dict[str, Any], *, public_url: str | None = None) -> PortalConfig:
    """A utility's policies as stored in its settings ("policy"): missing keys keep defaults."""
    from ..domain.models import RequestCategory

    defaults = PortalConfig()
    days = {RequestCategory(k): int(v) for k, v in data.get("request_deadline_days", {}).items()}
    return PortalConfig(
        password_policy=PasswordPolicy(**data.get("password", {})),
        deadlines=DeadlinePolicy(days) if days else defaults.deadlines,
        captcha_after=int(data.get("captcha_after", defaults.captcha_after)),
        captcha_after_address=int(
            data.get("captcha_after_address", defaults.captcha_after_address)
        ),
        lock_after=int(data.get("lock_after", defaults.lock_after)),
        lock_for=timedelta(minutes=int(data.get("lock_minutes", 15))),
        captcha_difficulty=int(data.get("captcha_difficulty", defaults.captcha_difficulty)),
        captcha_difficulty_max=int(
            data.get("captcha_difficulty_max", defaults.captcha_difficulty_max)
        ),
        session_ttl=timedelta(minutes=int(data.get("session_minutes", 480))),
        public_url=public_url or str(data.get("public_url", defaults.public_url)),
    )


def hash_token(token: str) -> str:
    """Tokens are stored only as hashes: a copy of the database gives no session away."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_dt(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


class Core:
    """What every service of the portal shares: the one store, the mailer, the utility's
    policies and the clock, with the audit log, idempotency and settings kept in that
    store. Each service holds this one instance; none inherits another."""

    def __init__(
        self,
        store: Store,
        *,
        mailer: Mailer,
        config: PortalConfig | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.mailer = mailer
        self.config = config or PortalConfig()
        self.clock = clock
        self.replays = Replays(store)
        self.sms: SmsSender | None = None
        if self.config.sms_gateway:
            from .sms import HttpSmsGateway

            self.sms = HttpSmsGateway(self.config.sms_gateway)
        self._routing: Routing | None = self.config.routing

    @property
    def routing(self) -> Routing:
        """Where requests and the readings' digest are mailed (`load_routing`)."""
        return self.load_routing()

    @routing.setter
    def routing(self, routing: Routing) -> None:
        self._routing = routing

    def load_routing(self) -> Routing:
        """The configured routing, else the store's setting, read and checked whole on first
        use (RoutingError naming the bad entry). The server reads it at its start, so a bad
        routing stops it there (server/state.py); the demo's console does not pay for the
        e-mail checks (their validator compiles its patterns on import: most of opening the
        store) until a request is sent."""
        if self._routing is None:
            self._routing = stored_routing(
                self.store.scalar("SELECT value FROM settings WHERE key = 'routing'")
            )
        return self._routing

    # --- time ---------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock().astimezone(UTC)

    def today(self) -> date:
        """The utility's calendar day (Polish time)."""
        return local_date(self.clock())

    # --- audit and idempotency ------------------------------------------------------

    def audit(self, session: Session, action: AuditAction, detail: str = "") -> None:
        """Record what an operator did for a customer (no-op for the customer's own acts)."""
        if session.acting_operator is not None:
            self.operator_audit(session.acting_operator, session.subject, action, detail)

    def operator_audit(
        self, operator: str, customer_number: str, action: AuditAction, detail: str
    ) -> None:
        self.store.execute(
            "INSERT INTO audit (at, operator, customer_number, action, detail)"
            " VALUES (?, ?, ?, ?, ?)",
            (self.now().isoformat(), operator, customer_number, action.value, detail),
        )

    def replayed(self, scope: str, key: str | None) -> str | None:
        """The id an earlier call with the same idempotency key created, if any."""
        return self.replays.replayed(scope, key)

    def remember(self, scope: str, key: str | None, result: str) -> None:
        """Record what the call created, in the transaction of its write (replays.py)."""
        self.replays.remember(scope, key, result)

    # --- settings and ownership -----------------------------------------------------

    def setting(self, key: str) -> Any:
        value = self.store.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        if value is None:
            raise NotFound(code="setting_missing", params={"key": key})
        return json.loads(value)

    def owned_meter(self, customer_number: str, meter_id: str) -> None:
        owner = self.store.scalar(
            "SELECT p.customer_number FROM meters m JOIN properties p ON p.id = m.property_id"
            " WHERE m.id = ?",
            (meter_id,),
        )
        if owner != customer_number:
            raise NotFound(code="meter_not_found")


def local_date(moment: datetime) -> date:
    """The calendar day in Poland at a given instant."""
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Warsaw")).date()
    except Exception:  # no tz database on this machine: UTC is within two hours
        return moment.astimezone(UTC).date()


def outbox_dir(base: Path) -> Path:
    return base / "outbox"
