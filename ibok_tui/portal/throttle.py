"""Rate limits per (limit, client) in the store, so every process of a server spends from
the same bucket.

A token bucket of `burst` tokens refilled at `per_minute`, kept as one number per bucket:
its theoretical arrival time (GCRA, the cell-rate algorithm ATM switches use), in
milliseconds of the machine's clock. A request is let through when the bucket, moved to
now and charged one interval, stays within the burst; one upsert on the primary key both
decides and records it, so the check is one small statement and nothing is held between
two. Times here are integers, not the store's ISO text: the decision is arithmetic done by
the database inside that statement. A row whose time has passed is a full bucket, the
same as no row: `sweep` deletes those by their index.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ..domain.errors import RateLimited
from .store import Store

NEVER_MS = 10**12  # the interval of a limit that never refills (about 30 years)


class RateLimitExceeded(RateLimited):
    def __init__(self, retry_after: int) -> None:
        super().__init__(params={"seconds": retry_after})
        self.retry_after = retry_after


# `?` in order: name, client, the first tat; the decision (now, now, interval, now, window)
# for `allowed` and again for `tat`, then now, now, interval: the new tat when allowed
_TAKE = """
INSERT INTO rate_limits (name, client, tat, allowed) VALUES (?, ?, ?, 1)
ON CONFLICT (name, client) DO UPDATE SET
    allowed = CASE WHEN (CASE WHEN rate_limits.tat > ? THEN rate_limits.tat ELSE ? END)
        + ? - ? <= ? THEN 1 ELSE 0 END,
    tat = CASE WHEN (CASE WHEN rate_limits.tat > ? THEN rate_limits.tat ELSE ? END)
        + ? - ? <= ? THEN (CASE WHEN rate_limits.tat > ? THEN rate_limits.tat ELSE ? END) + ?
        ELSE rate_limits.tat END
RETURNING tat, allowed
"""


class Throttle:
    """The buckets of one store; `clock` gives milliseconds (the machine's, by default)."""

    def __init__(
        self, store: Store, clock: Callable[[], int] = lambda: time.time_ns() // 1_000_000
    ) -> None:
        self.store = store
        self.clock = clock

    def take(self, name: str, client: str, burst: int, per_minute: float) -> None:
        """Spend one token or raise `RateLimitExceeded` with the seconds to wait."""
        now = self.clock()
        interval = math.ceil(60_000 / per_minute) if per_minute > 0 else NEVER_MS
        window = max(1, burst) * interval
        decide = (now, now, interval, now, window)
        row = self.store.one(
            _TAKE,
            (name, client, now + interval, *decide, *decide, now, now, interval),
        )
        assert row is not None  # an upsert with RETURNING gives its row
        if not row["allowed"]:
            wait_ms = int(row["tat"]) + interval - window - now
            raise RateLimitExceeded(min(3600, max(1, math.ceil(wait_ms / 1000))))

    def sweep(self) -> int:
        """Forget the buckets that are full again (the same as never used)."""
        cursor = self.store.execute("DELETE FROM rate_limits WHERE tat < ?", (self.clock(),))
        return max(0, int(cursor.rowcount))
