"""The console's garbage collection at quiet moments (ibok_tui/quiet_gc.py), with the real
collector: what a tick freezes stays out of collections until the user is quiet, then one
full collection frees the cycles that died meanwhile; nothing stays frozen after stop."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from ibok_tui.quiet_gc import QuietCollector


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector() -> Iterator[tuple[QuietCollector, Clock]]:
    clock = Clock()
    quiet = QuietCollector(quiet=2.0, growth=0.0, clock=clock)
    was_enabled = gc.isenabled()
    quiet.start()
    try:
        yield quiet, clock
    finally:
        quiet.stop()
        if not was_enabled:
            gc.disable()


def dead_cycle() -> weakref.ref[Node]:
    """A cycle nobody refers to any more, and a way to see whether it was freed."""
    node = Node()
    return weakref.ref(node)


def test_a_tick_while_the_user_types_freezes_and_collects_nothing(
    collector: tuple[QuietCollector, Clock],
) -> None:
    quiet, clock = collector
    cycle = dead_cycle()
    quiet.touch()
    clock.now += 0.5
    assert quiet.tick() is False
    assert gc.get_freeze_count() > 0
    gc.collect()  # an automatic or explicit collection skips what the tick froze
    assert cycle() is not None
    assert quiet.collections == 0


def test_once_the_user_is_quiet_one_full_collection_frees_the_dead_cycles(
    collector: tuple[QuietCollector, Clock],
) -> None:
    quiet, clock = collector
    cycle = dead_cycle()
    quiet.touch()
    quiet.tick()  # frozen, as in the test above
    clock.now += 1.0
    assert quiet.tick() is False  # 1 s of quiet is not yet quiet
    assert cycle() is not None
    clock.now += 1.5
    assert quiet.tick() is True
    assert cycle() is None
    assert quiet.collections == 1
    assert gc.get_freeze_count() > 0  # what lives on is frozen again


def test_no_full_collection_until_the_frozen_part_has_grown(
    collector: tuple[QuietCollector, Clock],
) -> None:
    quiet, clock = collector
    quiet.growth = 10.0  # ten times what the last full collection left
    clock.now += 5.0
    assert quiet.tick() is False
    assert quiet.collections == 0


def test_after_a_logout_or_a_long_quiet_everything_is_collected(
    collector: tuple[QuietCollector, Clock],
) -> None:
    quiet, clock = collector
    quiet.growth = 10.0  # the growth rule alone would never be met here
    cycle = dead_cycle()
    quiet.tick()
    clock.now += 5.0
    assert quiet.tick() is False and cycle() is not None
    quiet.request()  # a logout asks for it
    assert quiet.tick() is True and cycle() is None
    cycle = dead_cycle()
    quiet.touch()
    quiet.tick()
    clock.now += 5.0
    assert quiet.tick() is False  # asked once, done once
    clock.now += quiet.long_quiet
    assert quiet.tick() is True and cycle() is None  # a long quiet after some input
    clock.now += quiet.long_quiet
    assert quiet.tick() is False  # and only once: no input since


def test_stop_gives_everything_back_to_the_collector() -> None:
    quiet = QuietCollector()
    was_enabled = gc.isenabled()
    quiet.start()
    cycle = dead_cycle()
    quiet.tick()
    quiet.stop()
    if not was_enabled:
        gc.disable()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert cycle() is None
