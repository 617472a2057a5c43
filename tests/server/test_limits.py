"""The token buckets behind the rate limits, on a clock the test moves."""

from __future__ import annotations

import pytest

from ibok_tui.server.limits import Rate, RateLimitExceeded, TokenBuckets


def test_rate_parse() -> None:
    assert Rate.parse("10/min,30") == Rate(burst=30, per_minute=10)
    assert Rate.parse("2/s") == Rate(burst=120, per_minute=120)
    assert Rate.parse("6/h,2") == Rate(burst=2, per_minute=0.1)


def test_bucket_refills_and_says_how_long_to_wait() -> None:
    now = [0.0]
    buckets = TokenBuckets(clock=lambda: now[0])
    rate = Rate(burst=2, per_minute=6)  # one token every 10 s
    buckets.take("login", "10.0.0.1", rate)
    buckets.take("login", "10.0.0.1", rate)
    with pytest.raises(RateLimitExceeded) as refused:
        buckets.take("login", "10.0.0.1", rate)
    assert refused.value.retry_after == 10
    assert refused.value.code == "rate_limited"
    buckets.take("login", "10.0.0.2", rate)  # another client has its own bucket
    buckets.take("reset", "10.0.0.1", rate)  # and so has another limit
    now[0] = 10.0
    buckets.take("login", "10.0.0.1", rate)
    with pytest.raises(RateLimitExceeded):
        buckets.take("login", "10.0.0.1", rate)
