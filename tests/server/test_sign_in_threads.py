"""The threads sign-ins run on: few threads, a bounded number of places, refusals at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator

import pytest

from ibok_tui.portal.hashing import HashingBusy, hash_queue_size
from ibok_tui.server.api_public import SIGN_IN_THREADS_PER_CORE, _SignInThreads

THREADS = SIGN_IN_THREADS_PER_CORE + 2  # on one core


class Gate:
    """Sign-ins that wait until the gate opens, and what ran."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started = threading.Semaphore(0)
        self.ended = threading.Semaphore(0)
        self.ran: list[str] = []

    def job(self, name: str) -> Callable[[], str]:
        def sign_in() -> str:
            self.started.release()
            self.open.wait(30)
            self.ran.append(name)
            self.ended.release()
            return name

        return sign_in

    async def wait_started(self, count: int) -> None:
        started = await asyncio.to_thread(
            lambda: [self.started.acquire(timeout=30) for _ in range(count)]
        )
        assert all(started), "the sign-ins did not start on the threads"

    async def wait_ended(self, count: int) -> None:
        ended = await asyncio.to_thread(
            lambda: [self.ended.acquire(timeout=30) for _ in range(count)]
        )
        assert all(ended), "the sign-ins did not end"


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> Iterator[_SignInThreads]:
    monkeypatch.setenv("IBOK_HASH_WORKERS", "1")  # one core: 64 places, 6 threads
    made = _SignInThreads()
    yield made
    made.pool.shutdown(wait=True)


async def _fill(
    threads: _SignInThreads, gate: Gate, prefix: str, count: int
) -> list[asyncio.Task[str]]:
    tasks = [
        asyncio.create_task(threads.run(gate.job(f"{prefix} {index}"))) for index in range(count)
    ]
    await asyncio.sleep(0)  # each task takes its place as it starts
    return tasks


async def test_a_sign_in_past_the_places_is_refused_at_once_and_never_runs(
    threads: _SignInThreads,
) -> None:
    assert hash_queue_size() == 64 and threads.pool._max_workers == THREADS
    gate = Gate()
    held = await _fill(threads, gate, "held", hash_queue_size())
    with pytest.raises(HashingBusy) as busy:
        await threads.run(gate.job("past the places"))
    assert busy.value.status == 429 and busy.value.retry_after == 1
    gate.open.set()
    assert sorted(await asyncio.gather(*held)) == sorted(f"held {i}" for i in range(64))
    # every place came back: a whole queue's worth is admitted again
    again = await _fill(threads, gate, "again", hash_queue_size())
    assert len(await asyncio.gather(*again)) == hash_queue_size()


async def test_a_sign_in_whose_client_left_gives_its_place_back_only_when_it_ends(
    threads: _SignInThreads,
) -> None:
    gate = Gate()
    held = await _fill(threads, gate, "held", hash_queue_size())
    await gate.wait_started(THREADS)  # the first ones on the threads, the rest wait for one
    for task in held:
        task.cancel()  # every client went away
    await asyncio.gather(*held, return_exceptions=True)
    # those that waited for a thread never run and their places are free at once; those on
    # a thread hold theirs until they end
    late = await _fill(threads, gate, "late", hash_queue_size() - THREADS)
    with pytest.raises(HashingBusy):
        await threads.run(gate.job("one too many"))
    gate.open.set()
    assert len(await asyncio.gather(*late)) == hash_queue_size() - THREADS
    # the late ones may all have run on the first thread the gate let go, before the other
    # held ones ended: each held one ends, and nothing more runs
    await gate.wait_ended(hash_queue_size())
    held_ran = sorted(name for name in gate.ran if name.startswith("held"))
    assert len(held_ran) == THREADS and "one too many" not in gate.ran
    assert await threads.run(lambda: "after") == "after"


async def test_a_sign_in_that_fails_or_cannot_start_gives_its_place_back(
    threads: _SignInThreads,
) -> None:
    def failing() -> str:
        raise RuntimeError("the store went away")

    for _ in range(hash_queue_size() + 1):  # more failures than places
        with pytest.raises(RuntimeError, match="the store went away"):
            await threads.run(failing)
    gate = Gate()
    held = await _fill(threads, gate, "held", hash_queue_size())  # every place free again
    gate.open.set()
    assert len(await asyncio.gather(*held)) == hash_queue_size()
    threads.pool.shutdown(wait=True)  # the server stopping
    for _ in range(hash_queue_size() + 1):
        with pytest.raises(RuntimeError, match="shutdown"):
            await threads.run(lambda: "too late")
    assert all(threads.places.acquire(blocking=False) for _ in range(hash_queue_size()))
