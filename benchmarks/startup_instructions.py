"""Instructions to the first frame, counted by valgrind's callgrind, against the bare app.

Wall time on a shared machine moves by ±15 % between runs (the console suite's bare form
measures anywhere from ×1.0 to ×1.2 of the bare app); the number of instructions a
process runs until its first frame does not. Each script of the console suite (the bare
Textual app, `ibok --demo`'s login screen, a resumed session's Pulpit) runs once to cache
its bytecode, then once under callgrind, and leaves at its first frame. Instructions are
not time (a cache miss costs more than an add), so this complements the console suite's
wall and CPU times rather than replacing them. Needs `valgrind` (skipped without it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.console_bench import BARE, CONSOLE, ROOT, UNTIL_DATA, UNTIL_LIVE, _prepare
from benchmarks.timing import bytecode_env


def _instructions(script: str, env: dict[str, str], folder: Path, screen: str) -> int:
    command = [sys.executable, "-c", script]
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)  # bytecode
    return callgrind_count(command, env, ROOT, folder, f"screen {screen}")


def callgrind_count(
    command: list[str], env: dict[str, str], cwd: Path, folder: Path, said: str
) -> int:
    """The instructions `command` runs under callgrind; it must print `said` (it got there)."""
    out = folder / "callgrind.out"
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None or said not in done.stdout:
        raise RuntimeError(f"{done.stdout[-500:]}\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        print("== startup instructions: valgrind not found, skipped")
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TEXTUAL_ANIMATIONS": "none",
            "PYTHONHASHSEED": "0",
            "IBOK_BENCH_HARD_EXIT": "1",
            **_prepare(folder),
        }
        env = bytecode_env(env, name)
        counts = {
            "bare": _instructions(BARE, env, folder, "Screen"),
            "login": _instructions(
                CONSOLE, {**env, "IBOK_CONFIG_DIR": str(folder / "fresh")}, folder, "LoginScreen"
            ),
            "pulpit": _instructions(
                CONSOLE, {**env, "IBOK_CONFIG_DIR": str(folder / "kept")}, folder, "PulpitScreen"
            ),
            "data": _instructions(
                CONSOLE,
                {**env, "IBOK_CONFIG_DIR": str(folder / "kept"), **UNTIL_DATA},
                folder,
                "PulpitScreen data",
            ),
            "live": _instructions(
                CONSOLE,
                {**env, "IBOK_CONFIG_DIR": str(folder / "kept"), **UNTIL_LIVE},
                folder,
                "PulpitScreen data",
            ),
        }
    print("== startup instructions: to the first frame, callgrind, 120×40, headless")
    labels = {
        "bare": "bare Textual app (a Label), the baseline",
        "login": "`ibok --demo`: login screen",
        "pulpit": "`ibok --demo`, remembered session: Pulpit",
        "data": "`ibok --demo`, remembered session: Pulpit with data",
        "live": "  … with the live data (the last visit's shown first)",
    }
    for key, label in labels.items():
        count = counts[key]
        print(f"  {label:<55} {count / 1e6:8.1f} M ×{count / counts['bare']:.3f}")
    print("   targets: first frame within ×1.30 of the bare app (login; Pulpit when resuming);")
    print("   Pulpit with its data on a resumed start within ×1.5 of the bare app's first frame")


if __name__ == "__main__":
    main()
