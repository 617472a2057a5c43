"""In-memory protections: token-bucket rate limits per client and the idempotency cache."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain.errors import RateLimited


@dataclass(frozen=True)
class Rate:
    """`burst` requests at once, refilled at `per_minute` a minute."""

    burst: int
    per_minute: float

    @classmethod
    def parse(cls, text: str) -> Rate:
        """ "10/min" or "10/min,20" (rate, then burst; the burst defaults to the rate)."""
        rate, _, burst = text.partition(",")
        count, _, unit = rate.partition("/")
        per_minute = float(count) * {"s": 60.0, "sec": 60.0, "min": 1.0, "h": 1 / 60}.get(
            unit.strip() or "min", 1.0
        )
        return cls(
            burst=int(burst) if burst else max(1, math.ceil(per_minute)), per_minute=per_minute
        )


@dataclass
class RateLimits:
    """The limits of the endpoints that guess-work targets, per client address."""

    login: Rate = field(default_factory=lambda: Rate(burst=30, per_minute=10))
    registration: Rate = field(default_factory=lambda: Rate(burst=10, per_minute=3))
    password_reset: Rate = field(default_factory=lambda: Rate(burst=10, per_minute=3))
    captcha: Rate = field(default_factory=lambda: Rate(burst=30, per_minute=10))


class RateLimitExceeded(RateLimited):
    def __init__(self, retry_after: int) -> None:
        super().__init__(params={"seconds": retry_after})
        self.retry_after = retry_after


class TokenBuckets:
    """One bucket per (limit name, client); thread-safe; forgets idle clients."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_clients: int = 50_000):
        self._clock = clock
        self._max = max_clients
        self._lock = threading.Lock()
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()

    def take(self, name: str, client: str, rate: Rate) -> None:
        """Spend one token or raise `RateLimitExceeded` with the seconds to wait."""
        now = self._clock()
        key = (name, client)
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(rate.burst), now))
            tokens = min(float(rate.burst), tokens + (now - at) * rate.per_minute / 60)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) * 60 / rate.per_minute if rate.per_minute > 0 else 3600
                raise RateLimitExceeded(max(1, math.ceil(wait)))
            self._buckets[key] = (tokens - 1, now)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


@dataclass
class StoredResponse:
    fingerprint: str
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    at: float


class IdempotencyCache:
    """Responses of creating POSTs by (caller, key), so a retry never creates twice."""

    def __init__(self, ttl: float = 24 * 3600, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], StoredResponse] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, caller: str, key: str) -> StoredResponse | None:
        with self._lock:
            found = self._entries.get((caller, key))
            if found is None or time.monotonic() - found.at > self.ttl:
                self._entries.pop((caller, key), None)
                return None
            return found

    def put(self, caller: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            self._entries[(caller, key)] = response
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
