"""The real `ibok --demo --kiosk` in a pseudo-terminal: its demo store lives in a private
folder (0700, in memory where the system has one) and nowhere in the user's home, and a
signal closes it with the terminal restored and that folder gone (issue #11)."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = (b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l")


def _read(fd: int, until: float) -> bytes:
    chunks = []
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, Path, Path]:
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_RUNTIME_DIR": str(runtime),
        "IBOK_CONFIG_DIR": str(home / "ibok-config"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHONPATH": str(ROOT),
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "TZ": "Europe/Warsaw",
        "TEXTUAL_ANIMATIONS": "none",
    }
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ibok_tui.cli", "--demo", "--kiosk"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(child)
    return process, main, home, runtime


def _wait_for_store(runtime: Path, process: subprocess.Popen[bytes], fd: int) -> bytes:
    """The output until the demo store is in the private folder and the login drawn."""
    seen = b""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        seen += _read(fd, time.monotonic() + 0.5)
        stores = list(runtime.glob("ibok-kiosk-*/demo/demo.sqlite"))
        if stores and b"Kod nabywcy" in seen:
            time.sleep(1.0)  # the store is seeded on the backend's thread
            return seen + _read(fd, time.monotonic() + 0.5)
    raise AssertionError(f"the kiosk did not start: {seen[-2000:]!r}")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_restores_the_terminal_and_leaves_no_store(
    tmp_path: Path, number: signal.Signals
) -> None:
    (tmp_path / "tmp").mkdir()
    process, fd, home, runtime = _start(tmp_path)
    try:
        started = _wait_for_store(runtime, process, fd)
        assert b"\x1b[?1049h" in started and b"\x1b[?1000h" in started  # the screen taken
        (folder,) = runtime.glob("ibok-kiosk-*")
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (folder / "demo" / "demo.sqlite").exists()
        # nothing in the kiosk user's home, its temporary folder or the working directory
        written = [p for p in (*home.rglob("*"), *(tmp_path / "tmp").rglob("*")) if p.is_file()]
        assert written == []
        assert not list(tmp_path.glob("*.sqlite*"))
        process.send_signal(number)
        ending = _read(fd, time.monotonic() + 20)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(fd)
    assert process.returncode == 0
    last = ending.rfind(LEAVE_ALT_SCREEN)
    assert last >= 0, ending[-500:]
    assert SHOW_CURSOR in ending[last:]
    for off in MOUSE_OFF:
        assert off in ending
    assert list(runtime.iterdir()) == []  # the private folder is gone
    assert [p for p in home.rglob("*") if p.is_file()] == []
