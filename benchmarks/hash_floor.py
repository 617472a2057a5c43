"""The floor hashing alone sets for a crowd signing in, measured two ways.

`alone`: one argon2id hash with the portal's own hasher, on one core with nothing else
running (the median of 7), × the crowd ÷ the cores: what the crowd would take if every
core hashed as fast as one core alone does.

`at_once`: the crowd's hashes done by one process a core, all at once, nothing else
running, timed from the first to the last: the floor as it is on this machine, where
argon2id is memory-hard and cores hashing side by side share the cache and the memory
bus (here two hashes at once took 0–25 % longer each than one alone, varying from one
minute to the next). A server's crowd hashes on every core at once, so this is the floor
it can reach; `alone` is printed beside it.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from .timing import median

PASSWORD = "Synteza!2026"


@dataclass(frozen=True)
class Floor:
    """The seconds hashing alone sets for a crowd, both ways (the module's words)."""

    alone: float
    at_once: float

    @staticmethod
    def mean(first: Floor, second: Floor) -> Floor:
        """The floor between two measurements (one just before a crowd, one just after)."""
        return Floor((first.alone + second.alone) / 2, (first.at_once + second.at_once) / 2)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def hash_seconds(times: int = 7) -> float:
    """One hash's seconds on this process's core: the median of `times`."""
    from ibok_tui.portal.hashing import hasher

    found = []
    for _ in range(times):
        started = time.perf_counter()
        hasher().hash(PASSWORD)
        found.append(time.perf_counter() - started)
    return median(found)


def _warm() -> None:
    """A process of the pool, as it starts: the hasher imported and used once."""
    _hash_many(1)


def _hash_many(count: int) -> int:
    """`count` hashes, in a process of the pool."""
    from ibok_tui.portal.hashing import hasher

    for _ in range(count):
        hasher().hash(PASSWORD)
    return count


def _pid(_: int) -> int:
    time.sleep(0.05)  # long enough that one process cannot take every job of a round
    return os.getpid()


class Hashers:
    """One hashing process a core, started (and warmed) once, idle between measurements."""

    def __init__(self) -> None:
        self.cores = cores()
        self._pool = ProcessPoolExecutor(
            self.cores, mp_context=multiprocessing.get_context("spawn")
        )

    def __enter__(self) -> Hashers:
        self._all_at_once([1] * self.cores)  # each process imports the hasher, outside the clock
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pool.shutdown()

    def _all_at_once(self, shares: list[int]) -> float:
        started = time.perf_counter()
        done = sum(future.result() for future in [self._pool.submit(_hash_many, n) for n in shares])
        assert done == sum(shares)
        return time.perf_counter() - started

    def floor(self, count: int) -> Floor:
        """The floor for `count` sign-ins now: `count` hashes spread over the cores at once,
        and one hash alone × `count` ÷ the cores."""
        shares = [count // self.cores + (index < count % self.cores) for index in range(self.cores)]
        at_once = self._all_at_once(shares)
        return Floor(hash_seconds() * count / self.cores, at_once)
