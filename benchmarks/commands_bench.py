"""`ibok invoices --json` against a running `ibok serve` (SQLite, the demo's data), in fresh
processes, beside `python -c "import httpx, msgspec"` in the same run: #15's target is a
command within 2× of that floor (what any Python client of the API pays to start).

The command signs in with IBOK_PASSWORD (the server's argon2 check is in the figure), asks
for the invoices, logs out and prints them; the rounds interleave the two, and the medians
are compared. The keyring's null backend is set: a cron job has no keyring either.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .http_bench import (
    CUSTOMER,
    NOW,
    PASSWORD,
    ROOT,
    _seed,
    serve_command,
    start_server,
    stop_server,
)
from .timing import line

ROUNDS = int(os.environ.get("IBOK_BENCH_ROUNDS", "11"))
FLOOR = "import httpx, msgspec"


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[3:]} exited {done.returncode}: {done.stderr.decode()}")
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = _seed(folder)
        server, url = start_server(serve_command(db))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "IBOK_CONFIG_DIR": str(folder / "config"),
            "IBOK_CLOCK": NOW.isoformat(),
            "IBOK_PASSWORD": PASSWORD,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        command = [sys.executable, "-m", "ibok_tui.cli", "invoices", "--json"]
        command += ["--server", url, "--customer", CUSTOMER]
        floor = [sys.executable, "-c", FLOOR]
        try:
            _timed(command, env)  # warm the byte-code caches and the server
            _timed(floor, env)
            commands, floors = [], []
            for _ in range(ROUNDS):
                commands.append(_timed(command, env))
                floors.append(_timed(floor, env))
        finally:
            stop_server(server)
    print(f"== commands: median of {ROUNDS} interleaved rounds of fresh processes")
    line(
        "ibok invoices --json (sign-in, invoices, logout)",
        statistics.median(commands),
        "import httpx, msgspec",
        statistics.median(floors),
    )
    print("   target: ratio ≤ 2.00")
