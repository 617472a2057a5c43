"""A clock tests can pin and move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Saturday 21 November 2026, 10:00 in Poland: the data ends on Friday the 20th.
PINNED_NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = PINNED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta
