"""The rate limits' configuration; their buckets live in the store (portal/throttle.py),
shared by every process of the server."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..portal.throttle import RateLimitExceeded

__all__ = ["Rate", "RateLimitExceeded", "RateLimits"]


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
    # the invoice archive makes every PDF of an account: seconds to minutes of a core each
    archive: Rate = field(default_factory=lambda: Rate(burst=10, per_minute=2))
