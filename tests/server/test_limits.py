"""The token buckets behind the rate limits: rows of the store, on a clock the test moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibok_tui.portal.stores import open_store
from ibok_tui.portal.throttle import Throttle
from ibok_tui.server.limits import Rate, RateLimitExceeded


def test_rate_parse() -> None:
    assert Rate.parse("10/min,30") == Rate(burst=30, per_minute=10)
    assert Rate.parse("2/s") == Rate(burst=120, per_minute=120)
    assert Rate.parse("6/h,2") == Rate(burst=2, per_minute=0.1)


def test_bucket_refills_and_says_how_long_to_wait(tmp_path: Path) -> None:
    now = [1_000_000]  # milliseconds
    store = open_store(tmp_path / "limits.sqlite")
    buckets = Throttle(store, clock=lambda: now[0])
    rate = Rate(burst=2, per_minute=6)  # one token every 10 s

    def take(name: str, client: str) -> None:
        buckets.take(name, client, rate.burst, rate.per_minute)

    take("login", "10.0.0.1")
    take("login", "10.0.0.1")
    with pytest.raises(RateLimitExceeded) as refused:
        take("login", "10.0.0.1")
    assert refused.value.retry_after == 10
    assert refused.value.code == "rate_limited"
    take("login", "10.0.0.2")  # another client has its own bucket
    take("reset", "10.0.0.1")  # and so has another limit
    now[0] += 9_000
    with pytest.raises(RateLimitExceeded) as refused:  # a refusal spends nothing
        take("login", "10.0.0.1")
    assert refused.value.retry_after == 1
    now[0] += 1_000
    take("login", "10.0.0.1")
    with pytest.raises(RateLimitExceeded):
        take("login", "10.0.0.1")
    # a second store object over the same file (another process) spends the same bucket
    other = Throttle(open_store(tmp_path / "limits.sqlite"), clock=lambda: now[0])
    with pytest.raises(RateLimitExceeded):
        other.take("login", "10.0.0.1", rate.burst, rate.per_minute)
    # buckets full again are forgotten by the sweep, and nothing else is
    now[0] += 15_000
    assert buckets.sweep() == 2  # 10.0.0.2 and reset are full; 10.0.0.1 is not yet
    assert store.scalar("SELECT count(*) FROM rate_limits") == 1
