"""The console's own files about a customer (the outbox, the offline copy of what was shown):
one folder per profile in the user data directory, readable by the user alone.

Nothing here is written on a kiosk: the caller passes `kiosk=True` and gets no folder. A file is
written whole or not at all (a temporary file, fsync, rename), mode 0600 from its creation, so a
kill during a write leaves the previous version and another user never reads it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def default_data_dir() -> Path:
    """The console's folder in the user data directory (the demo's store, these files)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("ibok", appauthor=False))


def data_root() -> Path:
    return default_data_dir() / "private"


def private_dir(scope: str, *, kiosk: bool, root: Path | None = None) -> Path | None:
    """The folder (0700) for one profile or server and customer, or None on a kiosk.

    `scope` is any text (a profile name, a server URL and a customer number): it is reduced to
    safe file-name characters so that it cannot name a path outside the root."""
    if kiosk:
        return None
    name = _UNSAFE.sub("_", scope).strip("._") or "default"
    base = root or data_root()
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(base, 0o700)  # the folders' names say whose they are (a customer number)
    folder = base / name[:120]
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def write_private(path: Path, content: bytes) -> None:
    """Replace `path` with `content` atomically; the file is 0600 from the moment it exists."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_private(path: Path) -> bytes | None:
    """The file's content, or None when there is none."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def read_bounded(path: Path, limit: int) -> bytes | None:
    """The content of a regular file of at most `limit` bytes, else None: a link, a device
    (/dev/zero never ends), a folder or a file grown past the limit is not read at all."""
    import stat

    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_size > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return b"".join(chunks) if size <= limit else None


def forget(folder: Path | None) -> None:
    """Remove a folder and everything in it (a logout clears the offline copy)."""
    if folder is None or not folder.exists():
        return

    def gone_already(_function: object, _path: str, error: tuple[type, object, object]) -> None:
        if not issubclass(error[0], FileNotFoundError):  # another process removed it
            raise error[1]  # type: ignore[misc]

    shutil.rmtree(folder, onerror=gone_already)
