"""One password hash per core of the host, across the processes of one `ibok serve`.

Each worker process hashes on as many threads as the host has cores (hashing.py,
`hash_workers`): a process alone, or the only one with sign-ins waiting, uses every core.
With several workers that is more hashes at once than cores, and argon2id, whose 19 MiB a
hash must stay in the caches, slows down when more of them than cores share the cores: a
crowd of 100 sign-ins on 2 workers cost 0.3 s more CPU than with a hash per core, 1.5–1.6×
the floor hashing alone sets. One thread per process instead left a core idle whenever the
kernel gave one worker more of the crowd's connections than the other.

So the workers share one lock file per core, in a folder the supervisor makes for this
server (`shared_folder`, named to the workers by `VARIABLE`): hashing thread `i` of every
worker holds file `i`'s lock (flock) while it hashes. At most one hash per core runs on the
host, and a worker whose threads find their files free hashes on all of them. The folder is
the supervisor's own (mkdtemp: mode 0700), so no other user can hold a lock and stall the
sign-ins; it is removed when the server stops. Without it (one process, a test, a platform
without flock) a hash runs on its thread as before."""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

VARIABLE = "IBOK_HASH_CORES"  # the supervisor's folder of lock files, for its workers
PREFIX = "ibok-hash-cores-"  # the folder's name begins so (a temporary folder's)

T = TypeVar("T")

_thread = threading.local()
_numbers = itertools.count()
_numbers_lock = threading.Lock()


def take_a_core(cores: int) -> None:
    """A hashing thread's initializer: open the lock file of the next of `cores` cores."""
    folder = os.environ.get(VARIABLE)
    if not folder:
        return
    try:
        import fcntl  # noqa: F401  (Unix only)
    except ImportError:
        return
    with _numbers_lock:
        index = next(_numbers) % max(1, cores)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    with contextlib.suppress(OSError):  # the folder gone (the server stopping): no lock
        _thread.fd = os.open(os.path.join(folder, f"core-{index}"), flags, 0o600)


def on_a_core(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` while this thread holds its core's lock (waiting for it if another
    worker's thread of the same number hashes now)."""
    fd: int | None = getattr(_thread, "fd", None)
    if fd is None:
        return work(*args)
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)  # (it lets Python's lock go while it waits)
    try:
        return work(*args)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def shared_folder() -> Iterator[None]:
    """The supervisor's side: a folder of lock files for the workers it starts, named to
    them in the environment they inherit, and removed at the end."""
    with tempfile.TemporaryDirectory(prefix=PREFIX) as folder:
        before = os.environ.get(VARIABLE)
        os.environ[VARIABLE] = folder
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(VARIABLE, None)
            else:
                os.environ[VARIABLE] = before
