"""Small helpers: repeat, take percentiles, print a ratio line."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def repeat(func: Callable[[], object], times: int) -> list[float]:
    """Seconds per call, `times` calls."""
    found = []
    for _ in range(times):
        started = time.perf_counter()
        func()
        found.append(time.perf_counter() - started)
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def python_startup(code: str, times: int = 7) -> float:
    """Best wall time of a fresh interpreter running `code`."""
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def line(name: str, value: float, baseline_name: str, baseline: float, unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1
    ratio = value / baseline if baseline else float("inf")
    print(
        f"{name:<52} {value * scale:9.2f} {unit}   vs {baseline_name}: "
        f"{baseline * scale:9.2f} {unit}   ratio {ratio:6.2f}"
    )


def bytecode_env(env: dict[str, str], folder: str) -> dict[str, str]:
    """Let the children cache bytecode, as an installed package has it.

    With PYTHONDONTWRITEBYTECODE set (as in some shells and CI), every fresh process would
    compile the console's own modules from source, while Textual's come compiled from
    site-packages: the comparison would measure the compiler. The cache goes to a temporary
    folder (PYTHONPYCACHEPREFIX, for every module alike), not into the source tree.
    """
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
