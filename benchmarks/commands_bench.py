"""`ibok invoices --json` against a running `ibok serve` (SQLite, the demo's data), in fresh
processes, beside `python -c "import httpx, msgspec"` in the same run: #15's target is a
command within 2× of that floor (what any Python client of the API pays to start).

Two ways to sign in, each timed: with IBOK_PASSWORD (a cron job without a keyring: the
server's argon2 check of the password and the logout are in the figure), and with the
session the console remembered in the keyring (bench_keyring.py's file stands in for the
OS keyring): the token is resumed. The rounds interleave the three processes, and the
medians are compared.
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
from .timing import bytecode_env, line

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
        env = bytecode_env(
            {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "IBOK_CONFIG_DIR": str(folder / "config"),
                "IBOK_CLOCK": NOW.isoformat(),
                "PYTHON_KEYRING_BACKEND": "benchmarks.bench_keyring.FileKeyring",
                "IBOK_BENCH_KEYRING": str(folder / "keyring.json"),
            },
            name,
        )
        with_password = {**env, "IBOK_PASSWORD": PASSWORD}
        command = [sys.executable, "-m", "ibok_tui.cli", "invoices", "--json"]
        command += ["--server", url, "--customer", CUSTOMER]
        floor = [sys.executable, "-c", FLOOR]
        try:
            _remember_a_session(url, env)
            _timed(command, with_password)  # write the byte-code caches, warm the server
            _timed(command, env)
            _timed(floor, env)
            signed, resumed, floors = [], [], []
            for _ in range(ROUNDS):
                signed.append(_timed(command, with_password))
                resumed.append(_timed(command, env))
                floors.append(_timed(floor, env))
        finally:
            stop_server(server)
    print(f"== commands: median of {ROUNDS} interleaved rounds of fresh processes")
    for name, times in (
        ("ibok invoices --json, IBOK_PASSWORD (sign-in, logout)", signed),
        ("ibok invoices --json, the remembered session", resumed),
    ):
        line(name, statistics.median(times), "import httpx, msgspec", statistics.median(floors))
    print("   target: ratio ≤ 2.00")


def _remember_a_session(url: str, env: dict[str, str]) -> None:
    """What "zapamiętaj mnie" leaves in the keyring for the profile named by --server URL."""
    import httpx

    answer = httpx.post(
        f"{url}/api/v1/auth/login", json={"customer_number": CUSTOMER, "password": PASSWORD}
    )
    answer.raise_for_status()
    code = (
        "from ibok_tui.credentials import CredentialStore;"
        f"CredentialStore({url!r}).save({CUSTOMER!r}, {PASSWORD!r}, {answer.json()['token']!r})"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
