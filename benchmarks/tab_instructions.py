"""Instructions per tab switch and per first visit, counted by valgrind's callgrind.

The console suite times tab switches in wall time, which moves with whatever else the
machine runs. This suite counts instructions instead: one child process signs in to the
demo's data, visits every numbered tab once (their data loads), then switches through them
`ROUNDS` times, each switch waited for until the screen is refreshed and its workers are
done. The same child with no rounds, and with no visits, is counted too; the differences,
divided by the number of switches (visits), are what one switch (first visit) costs. The
bare Textual app with ten table tabs (console_bench's baseline) is counted the same way.

`python -m benchmarks tabs` measures this checkout; with `IBOK_BENCH_BEFORE=<path of
another checkout>` it measures that one too, in the same run, and prints the ratio (the
before/after of a change). Needs `valgrind` (skipped without it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.startup_instructions import callgrind_count

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 2

CHILD = """
import asyncio, contextlib, os, sys
from pathlib import Path

visits, rounds, kind, data = sys.argv[1] == "1", int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])


async def settle(app, pilot):
    from textual.worker import WorkerCancelled, WorkerFailed

    with contextlib.suppress(WorkerCancelled, WorkerFailed):
        await app.workers.wait_for_complete()
    await pilot.pause()


async def drive(app, modes):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        if visits:
            for mode in modes:
                await app.switch_mode(mode)
                await settle(app, pilot)
        for _ in range(rounds):
            for mode in modes:
                await app.switch_mode(mode)
                await settle(app, pilot)


def main():
    if kind == "bare":
        from benchmarks.console_bench import _bare_tabs_app

        asyncio.run(drive(_bare_tabs_app(), [str(i) for i in range(10)]))
        return
    from ibok_tui.app import TABS, IbokApp
    from ibok_tui.backends.local import LocalBackend, open_demo_service

    import inspect

    service = open_demo_service(data)
    session = service.login("200001", "Woda!ZlotyKlos4")
    modes = [mode for key, mode, *_rest in TABS if key.isdigit()]
    # the work of a visit, not its latency: no tab is made ahead while the user would read
    # (that moves a visit's work before it, and lands anywhere in a run under callgrind)
    ahead = {"tabs_ahead": 0} if "tabs_ahead" in inspect.signature(IbokApp).parameters else {}
    asyncio.run(drive(IbokApp(LocalBackend(service, session=session), **ahead), modes))
    service.store.close()


main()
os.write(1, b"done\\n")
os._exit(0)
"""


def _count(tree: Path, args: list[str], env: dict[str, str], folder: Path) -> int:
    child_env = {**env, "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT)])}
    return callgrind_count([sys.executable, "-c", CHILD, *args], child_env, tree, folder, "done")


def _costs(tree: Path, kind: str, env: dict[str, str], folder: Path) -> tuple[float, float]:
    """Instructions of one switch and of one first visit, in millions."""
    data = folder / f"data-{kind}-{abs(hash(str(tree)))}"
    args = [kind, str(data)]
    warm = [sys.executable, "-c", CHILD, "1", "1", *args]  # bytecode and the demo's data
    child_env = {**env, "PYTHONPATH": os.pathsep.join([str(tree), str(ROOT)])}
    subprocess.run(warm, env=child_env, cwd=tree, check=True, capture_output=True)
    nothing = _count(tree, ["0", "0", *args], env, folder)
    visited = _count(tree, ["1", "0", *args], env, folder)
    switched = _count(tree, ["1", str(ROUNDS), *args], env, folder)
    tabs = 10 if kind == "bare" else _tab_count(tree, child_env)
    switch = (switched - visited) / (ROUNDS * tabs) / 1e6
    visit = (visited - nothing) / tabs / 1e6
    return switch, visit


def _tab_count(tree: Path, env: dict[str, str]) -> int:
    script = "from ibok_tui.app import TABS; print(sum(k.isdigit() for k, *_ in TABS))"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tree, check=True, capture_output=True
    )
    return int(done.stdout)


def main() -> None:
    if shutil.which("valgrind") is None:
        print("== tab instructions: valgrind not found, skipped")
        return
    before = os.environ.get("IBOK_BENCH_BEFORE")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {
            **os.environ,
            "TEXTUAL_ANIMATIONS": "none",
            "PYTHONHASHSEED": "0",
            "IBOK_CONFIG_DIR": str(folder / "config"),
        }
        # the bare app's ten 100-row tables take long under callgrind: IBOK_BENCH_BARE=0
        # leaves it out when only a before/after is wanted
        with_bare = os.environ.get("IBOK_BENCH_BARE", "1") != "0"
        bare = _costs(ROOT, "bare", env, folder) if with_bare else None
        ours = _costs(ROOT, "ibok", env, folder)
        old = _costs(Path(before).resolve(), "ibok", env, folder) if before else None
    print(f"== tab instructions: callgrind, 120×40, headless, {ROUNDS} rounds")
    print(f"  {'':<40} {'switch':>10} {'first visit':>12}")
    rows = [("bare Textual app (10 table tabs)", bare)] if bare else []
    rows.append(("ibok, this checkout", ours))
    if old is not None:
        rows.append((f"ibok, {before}", old))
    for label, (switch, visit) in rows:
        ratio = f"   switch ×{switch / bare[0]:.2f} of bare" if bare else ""
        print(f"  {label:<40} {switch:8.1f} M {visit:10.1f} M{ratio}")
    if old is not None:
        print(
            f"  this checkout ÷ before: switch ×{ours[0] / old[0]:.3f},"
            f" first visit ×{ours[1] / old[1]:.3f}"
        )


if __name__ == "__main__":
    main()
