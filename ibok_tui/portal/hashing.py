"""Password hashing: argon2id with OWASP's parameters, off the event loop on a bounded pool
of threads, one a core (`hash_workers`), each at a lower priority than requests and, with
several workers, on its core's lock shared with theirs (portal/host_cores.py); a bounded
queue in front (`hashing_slot`), past which a check is refused at once (`HashingBusy`)."""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

from ..domain.errors import RateLimited
from .host_cores import on_a_core, take_a_core

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from argon2 import PasswordHasher

HASH_NICENESS = 10
_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """Argon2id with OWASP's parameters (19 MiB, 2 passes, one lane). argon2-cffi's default
    (64 MiB, 3 passes, 4 lanes) took 280 ms of CPU spread over every core of a 2-core
    server, so the bounded pool bounded nothing and a storm of failed sign-ins slowed every
    client; one lane keeps each hash on one of the pool's threads (42 ms here). Hashes made
    with other parameters still verify and are made again at the next sign-in."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_workers() -> int:
    """How many hashes run at once: one per core (IBOK_HASH_WORKERS overrides). The hashing
    threads run at a lower priority, so when the cores are busy other clients' requests go
    first; half the cores, as before, left a core idle while 100 customers signed in at once
    (twice the time hashing alone sets, 2.65x with the 429 retries)."""
    configured = os.environ.get("IBOK_HASH_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, os.cpu_count() or 1)


# how many hashes may run or wait for each hashing thread: about three seconds of hashing
# (64 × 42 ms ÷ 1 thread), so that a crowd of 100 signing in at once on a 2-core server is
# queued whole and hashed without gaps, while a longer queue is refused at once (429,
# Retry-After: 1) rather than kept waiting longer. With 32, 28 of 100 were refused, came
# back a second later, and the crowd took twice the time hashing alone sets; with 4, 92
# were refused (3.2x). A sign-in waits on threads of its own (server/api_public.py), never
# on the threads other requests need. Each try in progress counts at once as a failure of
# its address, so a crowd from one address past `captcha_after_address` (20) at once
# (behind a proxy not named by --trusted-proxy) is asked for the proof of work, which the
# console solves on its own
HASH_QUEUE_PER_WORKER = 64


def hash_queue_size() -> int:
    """The places among the hashes running or waiting; past them a sign-in is refused."""
    return HASH_QUEUE_PER_WORKER * hash_workers()


def _hash_pool() -> ThreadPoolExecutor:
    """The bounded pool every password hash runs in (argon2-cffi releases the GIL)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(
                hash_workers(), thread_name_prefix="ibok-argon2", initializer=_yield_to_others
            )
        return _pool


def _yield_to_others() -> None:
    """A hashing thread runs at a lower priority (Linux gives each thread its own nice
    value): when the cores are busy, other clients' requests go first and sign-ins wait.
    With several workers it hashes on its core's lock, shared with theirs (host_cores.py)."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICENESS)
    take_a_core(hash_workers())


class HashingBusy(RateLimited):
    """More password checks are running and waiting than the pool should queue: refused at
    once (429, Retry-After: 1) rather than holding a request thread that other clients'
    requests need."""

    def __init__(self) -> None:
        super().__init__(code="hashing_busy")
        self.retry_after = 1


def _slots() -> threading.BoundedSemaphore:
    global _slot_pool
    with _pool_lock:
        if _slot_pool is None:
            _slot_pool = threading.BoundedSemaphore(hash_queue_size())
        return _slot_pool


_slot_pool: threading.BoundedSemaphore | None = None


@contextmanager
def hashing_slot() -> Iterator[None]:
    """A place among the hashes running or waiting (`hash_queue_size`), or `HashingBusy`."""
    slots = _slots()
    if not slots.acquire(blocking=False):
        raise HashingBusy()
    try:
        yield
    finally:
        slots.release()


def hash_password(password: str) -> str:
    """A salted argon2id hash, computed in the hash pool. Never call it with the store's
    lock held: compute it first, then write it in a short transaction."""
    with hashing_slot():
        return _hash_pool().submit(on_a_core, hasher().hash, password).result()


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches, checked in the hash pool; never with the store's lock."""
    with hashing_slot():
        return pooled_verify(password_hash, password)


def pooled_verify(password_hash: str | None, password: str) -> bool:
    return _hash_pool().submit(on_a_core, _verify, password_hash, password).result()


def renewed_hash(password_hash: str, password: str) -> str | None:
    """A hash of `password` with today's parameters when `password_hash` was made with
    others (in the pool, inside the caller's hashing slot), else None."""
    if not hasher().check_needs_rehash(password_hash):
        return None
    return _hash_pool().submit(on_a_core, hasher().hash, password).result()


def _verify(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        # an unknown account is checked against a dummy hash: the same time either way
        return hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash(secrets.token_urlsafe(16))
