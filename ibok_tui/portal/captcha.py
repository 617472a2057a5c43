"""The captcha as a proof of work: how hard a challenge is, and how long a subject waits.

A failed sign-in makes the next guess dearer in two ways: the challenge's difficulty
grows with the subject's failures (every guess costs the guesser CPU time), and past
`lock_after` failures a subject waits an exponentially growing, capped delay between
tries from any address (its owner can still sign in after it; only the address that
failed `lock_after` times is locked for `lock_for`).
"""

from __future__ import annotations

from datetime import timedelta

from .base import PortalConfig


def difficulty_for(config: PortalConfig, failures: int) -> int:
    """Bits of work for a subject with `failures`: one more every two failures past the
    captcha's threshold, up to the maximum."""
    extra = max(0, failures - config.captcha_after) // 2
    return min(config.captcha_difficulty_max, config.captcha_difficulty + extra)


def delay_for(config: PortalConfig, failures: int) -> timedelta | None:
    """How long a subject waits after its `failures`-th failure (None below `lock_after`):
    1 s, 2 s, 4 s, … up to `max_delay`."""
    if failures < config.lock_after:
        return None
    seconds = 2 ** min(failures - config.lock_after, 30)
    return min(timedelta(seconds=seconds), config.max_delay)
