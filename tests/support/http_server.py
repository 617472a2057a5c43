"""Real iBOK servers for tests: `python -m ibok_tui.cli serve` under uvicorn on 127.0.0.1.

The conformance suite shares one server process per test session (per xdist worker) and
gives every test a fresh copy of the seeded database through the test-only swap endpoint
(enabled by IBOK_TEST_CONTROL=1 in that process only). Each client sends the test's
FakeClock with every request, so moving the clock in a test moves the server's too.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from ibok_tui.backends.http import HttpBackend

from .clock import PINNED_NOW, FakeClock
from .portal import copy_db

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """One `ibok serve` process; `url` answers once `start()` returns."""

    def __init__(
        self,
        db: Path | str,
        *,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        scheme: str = "http",
        verify: Any = True,
    ) -> None:
        self.db = db
        self.port = free_port()
        self.scheme = scheme
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        near = db.parent if isinstance(db, Path) and db.parent.exists() else None
        logs = near or Path(tempfile.mkdtemp(prefix="ibok-log-"))
        self.log_path = logs / f"server-{self.port}.log"
        self.args = list(args)
        self.env = env or {}
        self.verify = (
            ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> ServerProcess:
        env = {
            **os.environ,
            "IBOK_CLOCK": PINNED_NOW.isoformat(),
            "PYTHONPATH": str(ROOT),
            **self.env,
        }
        command = [
            sys.executable,
            "-m",
            "ibok_tui.cli",
            "serve",
            "--db",
            str(self.db),
            "--port",
            str(self.port),
            *self.args,
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                answer = httpx.get(f"{self.url}/api/v1/health", verify=self.verify, timeout=2)
                if answer.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer in {timeout} s: {self.log()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def own_server(template_db: Path, folder: Path) -> Iterator[ServerProcess]:
    """A server of its own over a fresh copy of the seeded database in `folder`, for a test
    that stops and starts it (the offline view)."""
    folder.mkdir(parents=True)
    db = folder / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db, args=["--outbox", str(folder / "outbox")]) as server:
        yield server


_shared: dict[str, ServerProcess] = {}


def shared_server(template_db: Path, store: str = "sqlite") -> ServerProcess:
    """The conformance suite's server over `store` (started on first use, restarted if it
    died)."""
    server = _shared.get(store)
    if server is None or not server.alive():
        folder = template_db.parent / f"http-server-{store}"
        boot = copy_db(store, template_db, folder)
        outbox = ["--outbox", str(folder / "outbox")]
        server = ServerProcess(boot, args=outbox, env={"IBOK_TEST_CONTROL": "1"}).start()
        _shared[store] = server
    return server


def stop_servers() -> None:
    while _shared:
        _shared.popitem()[1].stop()


atexit.register(stop_servers)


def clock_hook(clock: FakeClock) -> Any:
    async def send_clock(request: httpx.Request) -> None:
        request.headers["X-Ibok-Test-Clock"] = clock().isoformat()

    return send_clock


async def http_portal(
    template_db: Path, tmp_path: Path, clock: FakeClock, portal_cls: Any, store: str = "sqlite"
) -> Any:
    """A `Portal` whose clients are `HttpBackend`s of a real server serving a fresh copy
    of the seeded database in `store`, with its outbox in `tmp_path`."""
    server = shared_server(template_db, store)
    folder = tmp_path / "http"
    db = copy_db(store, template_db, folder)
    folder.mkdir(parents=True, exist_ok=True)
    outbox = folder / "outbox"
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{server.url}/api/v1/_test/swap", json={"db": str(db), "outbox": str(outbox)}
        )
        answer.raise_for_status()

    async def make() -> HttpBackend:
        return HttpBackend(server.url, event_hooks={"request": [clock_hook(clock)]})

    found = portal_cls("http", outbox, make)
    found.db = db
    return found
