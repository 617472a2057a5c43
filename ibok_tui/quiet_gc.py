"""Full garbage collections at quiet moments, not in the middle of a key press.

A console that has shown its ten tabs holds a few hundred thousand long-lived objects
(widgets, Textual's render caches). CPython's cyclic collector walks all of them in a
full (generation 2) collection, which takes 150–250 ms here and used to land on whatever
the user did next: the tail of the tab-switch latency was made of exactly these pauses.

So the console keeps what it has built out of the automatic collections and collects it
when nobody is typing:

- `tick()`, on the app's timer every `interval` seconds, freezes what exists (`gc.freeze`,
  a constant-time move to the permanent generation: what lived that long is taken for
  long-lived); the automatic collections then walk only what was made since, which is
  small;
- and it runs one full collection of everything (unfrozen first) when the user has been
  quiet for `quiet` seconds and either the frozen part has grown by `growth` since the
  last time (CPython's own rule for full collections is 25 %) or a collection was
  asked for (`request()`: after a logout, so that a kiosk keeps nothing of the last
  customer); and once after `long_quiet` seconds of quiet that followed any input;
- `stop()` gives everything back to the collector (tests run many apps in one process).

Objects freed by their reference count go at once; unreachable cycles wait until the
next such collection.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


class QuietCollector:
    interval = 0.5  # seconds between ticks

    def __init__(
        self,
        *,
        quiet: float = 2.0,
        long_quiet: float = 30.0,
        growth: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.quiet = quiet
        self.long_quiet = long_quiet
        self.growth = growth
        self.clock = clock
        self.last_input = clock()
        self.collections = 0  # full collections run by tick()
        self._collected_at = 0  # the frozen count after the last full collection
        self._requested = False
        self._used = False  # input since the last full collection
        self._was_enabled = True

    def start(self) -> None:
        """After the first frame: what start-up made is frozen; collection is back on
        (the CLI holds it back until then)."""
        self._was_enabled = gc.isenabled()
        gc.freeze()
        gc.enable()
        self._collected_at = gc.get_freeze_count()

    def touch(self) -> None:
        """The user did something (a key, the mouse)."""
        self.last_input = self.clock()
        self._used = True

    def request(self) -> None:
        """Collect at the next quiet moment, whatever has grown (e.g. after a logout)."""
        self._requested = True

    def due(self) -> bool:
        quiet_for = self.clock() - self.last_input
        if quiet_for < self.quiet:
            return False
        grown = gc.get_freeze_count() - self._collected_at
        return (
            self._requested
            or (grown > 0 and grown >= self.growth * self._collected_at)
            or (self._used and quiet_for >= self.long_quiet)
        )

    def tick(self) -> bool:
        """Freeze what exists; one full collection when the user is quiet and it is due
        (True when it ran)."""
        if not self.due():
            gc.freeze()
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._collected_at = gc.get_freeze_count()
        self._requested = self._used = False
        self.collections += 1
        return True

    def stop(self) -> None:
        gc.unfreeze()
        if not self._was_enabled:
            gc.disable()
