"""The console's start-up and tab switching, against a bare Textual app in the same run.

- time to the first frame: a fresh Python process runs `ibok --demo` (cli.main, headless)
  and exits right after the first frame; the bare Textual app (a Label) is the baseline;
  each script runs once unmeasured first, so every module has its bytecode cached;
- `import ibok_tui.app` against `import textual.app`, also in fresh processes;
- a remembered session: the configuration names it and the keyring (a JSON file found
  through PYTHON_KEYRING_BACKEND, see bench_keyring.py) holds its token; measured to
  Pulpit's first frame (the app opens on it while resuming) and to Pulpit with its data;
- tab switch latency: in one process, the number keys pressed in turn; each switch is
  timed until the tab's data is on screen (p50, p95).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .timing import bytecode_env

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
DEADLINE = 120.0  # seconds a child may take to get to its line
CPU: list[float] = []  # the children's CPU seconds (all threads) at their first frame

# Every child reports the moment of its first frame: the first screen update Textual hands
# to its driver (App._display, called in headless mode too, where nothing is written). It
# says "painted <CPU seconds>" on standard output (the file descriptor: Textual captures
# sys.stdout while it runs) and, unless it waits for Pulpit's data, leaves.
PAINTED = """
import faulthandler, os, signal, time
faulthandler.register(signal.SIGUSR1, all_threads=True)  # where a child stuck is (_run)
from textual.app import App as _App
_display, _first = _App._display, []

def _display_first(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and self._running and not self._batch_count and not _first:
        _first.append(type(screen).__name__)
        os.write(1, f"painted {time.process_time()}\\n".encode())
        if os.environ.get("IBOK_BENCH_UNTIL") in ("data", "live"):
            return
        if os.environ.get("IBOK_BENCH_HARD_EXIT"):  # instruction counts: stop right here
            os.write(1, f"screen {_first[0]}\\n".encode())
            os._exit(0)
        self.exit()

_App._display = _display_first
"""

BARE = (
    PAINTED
    + """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("iBOK")
Bare().run(headless=True, size=(120, 40))
"""
)

BARE_FORM = (
    PAINTED
    + """
from textual.app import App
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static
class BareForm(App):
    def compose(self):
        yield Label("iBOK")
        yield Input()
        yield Input(password=True)
        yield Checkbox("x")
        yield Button("OK")
        yield Static("demo")
        yield Footer()
BareForm().run(headless=True, size=(120, 40))
"""
)

# The real start: `ibok --demo` (cli.main) in a fresh process, headless at 120×40, with
# the user's configuration and the demo's data in the run's temporary folder. With
# IBOK_BENCH_UNTIL=data it goes on until Pulpit shows the dashboard, and says "data".
CONSOLE = (
    PAINTED
    + """
import ibok_tui.app as shell

run = shell.IbokApp.run
shell.IbokApp.run = lambda self, **_kw: run(self, headless=True, size=(120, 40))
shown = shell.IbokApp.set_dashboard
_data = []  # the data was put on Pulpit: the next frame handed to the driver carries it
_painted = _App._display

def data_shown(app):
    os.write(1, f"data {time.process_time()}\\n".encode())
    if os.environ.get("IBOK_BENCH_HARD_EXIT"):  # instruction counts: stop right here
        os.write(1, f"screen {_first[0]} data\\n".encode())
        os._exit(0)
    app.exit()

def _display_data(self, screen, renderable):
    _painted(self, screen, renderable)  # the first frame's line first, when it is this one
    if renderable is not None and self._running and not self._batch_count and _data:
        _data.clear()
        data_shown(self)

_App._display = _display_data

def set_dashboard(self, dashboard):  # (the flag first: a frame painted inside carries it)
    _data.append(True)
    shown(self, dashboard)

shell.IbokApp.set_dashboard = set_dashboard
# the last Pulpit kept for the remembered customer (backends/start_view.py) is data on
# screen too: "data" waits for the first of the two, IBOK_BENCH_UNTIL=live for the live one
if os.environ.get("IBOK_BENCH_UNTIL") == "data":  # (the login screen's start: not imported)
    from ibok_tui.screens.customer.pulpit import PulpitScreen

    kept = PulpitScreen.show_start_view

    async def show_start_view(self, dashboard, taken_at):
        _data.append(True)
        await kept(self, dashboard, taken_at)

    PulpitScreen.show_start_view = show_start_view
from ibok_tui.cli import main

main(["--demo", "--data-dir", os.environ["IBOK_BENCH_DATA"]])
assert _first == [os.environ["IBOK_BENCH_SCREEN"]], _first
"""
)


UNTIL_DATA = {"IBOK_BENCH_UNTIL": "data", "IBOK_BENCH_SCREEN": "PulpitScreen"}
UNTIL_LIVE = {"IBOK_BENCH_UNTIL": "live", "IBOK_BENCH_SCREEN": "PulpitScreen"}


def _run(script: str, env: dict[str, str]) -> float:
    """Seconds from starting the process to the line it is timed by ("painted", or "data"
    with IBOK_BENCH_UNTIL=data), else to its exit (the import scripts).

    What the process does after that (background work finishing, exit) is not counted:
    the user already sees the screen."""
    until = "data" if env.get("IBOK_BENCH_UNTIL") in ("data", "live") else "painted"
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None

    # a child that never gets there (a remembered session the demo's daily re-seeding at
    # midnight made stale: the login screen instead of Pulpit) is stopped, and says so
    def stuck() -> None:  # its threads' stacks to its standard error, then the end
        child.send_signal(signal.SIGUSR1)
        time.sleep(1)
        child.kill()

    watchdog = threading.Timer(DEADLINE, stuck)
    watchdog.start()
    elapsed = None
    for line in child.stdout:
        if line.startswith(until):
            elapsed = time.perf_counter() - started
            CPU.append(float(line.split()[1]))
            break
    try:
        _out, err = child.communicate(timeout=DEADLINE)
    finally:
        watchdog.cancel()
    if elapsed is None and child.returncode == -signal.SIGKILL:
        raise RuntimeError(f"no {until!r} within {DEADLINE:.0f} s (stopped): {err[-6000:]}")
    if child.returncode != 0:
        raise RuntimeError(err[-2000:])
    return elapsed if elapsed is not None else time.perf_counter() - started


def _medians(runs: dict[str, tuple[str, dict[str, str]]]) -> dict[str, tuple[float, float]]:
    """(wall, CPU) median seconds of each script, run in interleaved rounds: one warm-up
    round (writes the bytecode cache, see timing.bytecode_env), then RUNS rounds, each script
    once per round, so that a slower moment of the machine hits every script alike."""
    for script, env in runs.values():
        _run(script, env)
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(RUNS):
        for name, (script, env) in runs.items():
            CPU.clear()
            walls[name].append(_run(script, env))
            cpus[name].append(CPU[0] if CPU else float("nan"))
    return {n: (statistics.median(walls[n]), statistics.median(cpus[n])) for n in runs}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(share * (len(ordered) - 1)))
    return ordered[index]


SWITCH_ROUNDS = 10


def _bare_tabs_app() -> Any:
    """The baseline for switching: ten modes, each a screen with a 100-row table and a footer."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer

    class Tab(Screen[None]):
        def compose(self) -> ComposeResult:
            table: DataTable[str] = DataTable()
            table.add_columns(*"abcdefg")
            for row in range(100):
                table.add_row(*[str(row)] * 7)
            yield table
            yield Footer()

    class BareTabs(App[None]):
        MODES = {str(i): Tab for i in range(10)}
        BINDINGS = [Binding(str(i), f"switch_mode('{i}')", str(i)) for i in range(10)]

        def on_mount(self) -> None:
            self.switch_mode("0")

    return BareTabs()


async def _settle(app: Any, pilot: Any) -> None:
    from textual.worker import WorkerCancelled, WorkerFailed

    with contextlib.suppress(WorkerCancelled, WorkerFailed):
        await app.workers.wait_for_complete()
    await pilot.pause()


async def _switch_times(app: Any, modes: list[str]) -> list[float]:
    """Seconds from `switch_mode` to the end of the next refresh, visited tabs only."""
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        for mode in modes:  # the first visit of each tab loads its data: not counted
            await app.switch_mode(mode)
            await _settle(app, pilot)
        loop = asyncio.get_running_loop()
        for _ in range(SWITCH_ROUNDS):
            for mode in modes:
                painted: asyncio.Future[float] = loop.create_future()
                started = time.perf_counter()
                await app.switch_mode(mode)
                app.call_after_refresh(lambda f=painted: f.set_result(time.perf_counter()))
                timings.append(await painted - started)
                await _settle(app, pilot)
    return timings


async def _tab_switches(db: Path) -> tuple[list[float], list[float]]:
    from ibok_tui.app import TABS, IbokApp
    from ibok_tui.backends.local import LocalBackend
    from ibok_tui.portal.service import open_portal

    bare = await _switch_times(_bare_tabs_app(), [str(i) for i in range(10)])
    service = open_portal(db)
    session = service.login("200001", "Woda!ZlotyKlos4")
    app = IbokApp(LocalBackend(service, session=session))
    modes = [mode for key, mode, *_rest in TABS if key.isdigit()]
    ours = await _switch_times(app, modes)
    service.store.close()
    return bare, ours


READING = 1.0  # seconds a person reads a tab before the next key (tabs are made meanwhile)
FIRST_ROUNDS = 2  # fresh consoles per way of pressing the keys
VISIT_CPU: list[float] = []  # the process's CPU seconds (all threads) of each visit timed
RETURNS: list[float] = []  # seconds of a return to a visited tab, timed as a first visit


async def _key_to_data(app: Any, pilot: Any, key: str) -> float:
    """Seconds from `key` reaching the app (as the terminal's driver hands it over) to the
    first frame after the tab it opens has its data: the key handled, the tab's messages
    handled, its workers done, then the next refresh. (Pilot's `press` also waits for the
    process to look idle, which on a loaded machine adds more than a tab takes.)"""
    from textual import events
    from textual.worker import WorkerCancelled, WorkerFailed

    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    event = events.Key(key, "?" if key == "question_mark" else key)
    event.set_sender(app)
    app._driver.send_message(event)
    await pilot._wait_for_screen()  # the key handled: the tab in front
    await pilot._wait_for_screen()  # its own messages: its data asked for
    with contextlib.suppress(WorkerCancelled, WorkerFailed):
        await app.workers.wait_for_complete()
    await pilot._wait_for_screen()
    painted: asyncio.Future[float] = loop.create_future()
    app.screen.call_after_refresh(lambda: painted.set_result(time.perf_counter()))
    return await painted - started


async def _visit_times(app: Any, keys: list[str], reading: float) -> list[float]:
    """Seconds from each key to its tab's data on screen (`_key_to_data`), each tab
    visited once in `keys`' order after `reading` seconds without a key (0: the keys come
    at once); then each once more (a return, into RETURNS)."""
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)  # the first tab with its data, as the user sees it
        for key in keys:
            await asyncio.sleep(reading)
            cpu = time.process_time()
            timings.append(await _key_to_data(app, pilot, key))
            VISIT_CPU.append(time.process_time() - cpu)
            if not reading:
                continue  # the next key at once: what is not done yet, it waits for
            await _settle(app, pilot)
        await _settle(app, pilot)
        for key in keys:  # each tab once more: a return, timed the same way
            RETURNS.append(await _key_to_data(app, pilot, key))
            await _settle(app, pilot)
    return timings


async def _bare_first_visits() -> list[float]:
    """The baseline: the bare Textual app's ten table tabs, each screen made on its key."""
    found: list[float] = []
    for _ in range(FIRST_ROUNDS):
        found += await _visit_times(_bare_tabs_app(), [*"123456789"], 0.0)
    return found


def _measured(visits: list[float]) -> tuple[list[float], list[float], list[float]]:
    """The visits, with the CPU and the returns the same runs recorded (then forgotten)."""
    cpu, returns = VISIT_CPU[:], RETURNS[:]
    VISIT_CPU.clear()
    RETURNS.clear()
    return visits, cpu, returns


def _tab_keys(shuffled: bool) -> list[str]:
    """The keys of every tab but Pulpit (shown at the start): in their order (1, 2, 3…, as
    the tabs made ahead expect them), or in one fixed shuffled order (a person jumping)."""
    from ibok_tui.app import TABS

    keys = [key for key, *_rest in TABS if key != "1"]
    if shuffled:
        import random

        random.Random(14).shuffle(keys)
    return keys


async def _first_visits(db: Path, reading: float = 0.0, *, shuffled: bool = False) -> list[float]:
    """Every tab's first visit in FIRST_ROUNDS fresh consoles signed in to the demo; with
    `reading`, a person reads Pulpit and every tab that long before the next key (the
    console makes the next tabs meanwhile: tabs.py), else the keys come at once."""
    from ibok_tui.app import IbokApp
    from ibok_tui.backends.local import LocalBackend
    from ibok_tui.portal.service import open_portal

    found: list[float] = []
    for _ in range(FIRST_ROUNDS):
        service = open_portal(db)
        session = service.login("200001", "Woda!ZlotyKlos4")
        app = IbokApp(LocalBackend(service, session=session))
        found += await _visit_times(app, _tab_keys(shuffled), reading)
        service.store.close()
    return found


def _prepare(folder: Path) -> dict[str, str]:
    """The demo's data (seeded now, so no run pays for it), a remembered session of 100001
    in the benchmark's keyring, and two configuration folders: without and with it."""
    import keyring

    from benchmarks.bench_keyring import FileKeyring
    from ibok_tui import config as cfg
    from ibok_tui.backends.local import open_demo_service
    from ibok_tui.backends.start_view import StartView
    from ibok_tui.credentials import CredentialStore

    os.environ["IBOK_BENCH_KEYRING"] = str(folder / "keyring.json")
    os.environ["XDG_DATA_HOME"] = str(folder / "xdg-data")  # the private files: not the user's
    service = open_demo_service(folder / "data")
    token = service.login("100001", "Woda!Kowalski1", remember=True).token
    # the Pulpit this customer saw last time, as the console keeps it (start_view.py)
    StartView("demo", "demo", "100001", kiosk=False).save(service.dashboard(token), service.now())
    service.store.close()
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    CredentialStore("demo").save("100001", "Woda!Kowalski1", token)
    keyring.set_keyring(previous)
    cfg.save(cfg.Config(), folder / "fresh" / cfg.CONFIG_FILE)
    cfg.save(cfg.with_remembered(cfg.Config(), "demo", "100001"), folder / "kept" / cfg.CONFIG_FILE)
    return {
        "IBOK_BENCH_DATA": str(folder / "data"),
        "IBOK_BENCH_KEYRING": str(folder / "keyring.json"),
        "PYTHON_KEYRING_BACKEND": "benchmarks.bench_keyring.FileKeyring",
        "XDG_DATA_HOME": str(folder / "xdg-data"),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TEXTUAL_ANIMATIONS": "none",
            **_prepare(folder),
        }
        env = bytecode_env(env, name)
        fresh = {**env, "IBOK_CONFIG_DIR": str(folder / "fresh")}
        kept = {**env, "IBOK_CONFIG_DIR": str(folder / "kept")}
        timed = _medians(
            {
                "import textual.app": ("import textual.app", env),
                "import ibok_tui.app": ("import ibok_tui.app", env),
                "bare": (BARE, env),
                "form": (BARE_FORM, env),
                "login": (CONSOLE, {**fresh, "IBOK_BENCH_SCREEN": "LoginScreen"}),
                "pulpit": (CONSOLE, {**kept, "IBOK_BENCH_SCREEN": "PulpitScreen"}),
                "data": (CONSOLE, {**kept, **UNTIL_DATA}),
                "live": (CONSOLE, {**kept, **UNTIL_LIVE}),
            }
        )
        db = folder / "data" / "demo" / "demo.sqlite"
        bare_switches, switches = asyncio.run(_tab_switches(db))
        VISIT_CPU.clear()
        RETURNS.clear()
        bare_first = _measured(asyncio.run(_bare_first_visits()))
        read = _measured(asyncio.run(_first_visits(db, READING)))
        jumping = _measured(asyncio.run(_first_visits(db, READING, shuffled=True)))
        first = _measured(asyncio.run(_first_visits(db)))
    print("== console: median of", RUNS, "interleaved rounds of fresh processes, 120×40, headless")
    print(f"   load average: {_load()} on {os.cpu_count()} cores (wall time follows it)")
    _report_start(timed)
    _report_switches(bare_switches, switches)
    _report_first_visits(bare_first, read, jumping, first)


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _report_start(timed: dict[str, tuple[float, float]]) -> None:
    wall, cpu = timed["bare"]
    print(
        f"python -c 'import textual.app' {timed['import textual.app'][0] * 1000:.1f} ms, "
        f"'import ibok_tui.app' {timed['import ibok_tui.app'][0] * 1000:.1f} ms"
    )
    print("to the first frame (wall; CPU of the process in brackets), against the bare app:")
    rows = (
        ("bare", "bare Textual app (a Label), the baseline"),
        ("form", "bare Textual form (Input, Checkbox, Button, Footer)"),
        ("login", "`ibok --demo`: login screen"),
        ("pulpit", "`ibok --demo`, remembered session: Pulpit"),
        ("data", "`ibok --demo`, remembered session: Pulpit with data"),
        ("live", "  … with the live data (the last visit's shown first)"),
    )
    for key, label in rows:
        w, c = timed[key]
        print(
            f"  {label:<52} {w * 1000:6.1f} ms ×{w / wall:.2f}  ({c * 1000:.0f} ms ×{c / cpu:.2f})"
        )
    print("   targets: first frame within ×1.30 of the bare app's (login; Pulpit when resuming);")
    data = timed["data"][0] / wall
    print(
        f"   resumed start to Pulpit with its data within ×1.50 of the bare app's first frame:"
        f" ×{data:.2f} {'met' if data <= 1.5 else 'NOT met'}"
    )


def _report_switches(bare: list[float], ours: list[float]) -> None:
    for name, values in (("bare Textual, 10 table tabs", bare), ("ibok, 10 tabs", ours)):
        print(
            f"tab switch to a visited tab, {name}, n={len(values)}: "
            f"p50 {_percentile(values, 0.5) * 1000:.1f} ms, "
            f"p95 {_percentile(values, 0.95) * 1000:.1f} ms"
        )
    print(
        f"   ratio p50 {_percentile(ours, 0.5) / _percentile(bare, 0.5):.2f}, "
        f"p95 {_percentile(ours, 0.95) / _percentile(bare, 0.95):.2f}"
        "   (target: p95 under 50 ms)"
    )


def _report_first_visits(*runs: tuple[list[float], list[float], list[float]]) -> None:
    """Each run: (seconds of the first visits, their CPU seconds, seconds of the returns)."""
    print(
        "first visit of a tab: its key to its data on screen (key handled, workers done, next"
        f" frame), every tab once per console, {FIRST_ROUNDS} fresh consoles (p50, p95 over"
        " tabs × consoles; CPU: the process's, all threads; a return: the same tab again, timed"
        " the same way):"
    )
    labels = (
        "bare Textual app, 10 modes of a 100-row table",
        f"ibok, a person's pace: {READING:.0f} s read before each key, keys 2, 3, 4…",
        f"ibok, a person's pace: {READING:.0f} s read before each key, keys shuffled",
        "ibok, keys at once (no pause: nothing can be made ahead)",
    )
    bare_p95 = _percentile(runs[0][0], 0.95)
    for label, (visits, cpu, returns) in zip(labels, runs, strict=True):
        p50, p95 = _percentile(visits, 0.5), _percentile(visits, 0.95)
        print(f"  {label}, n={len(visits)}:")
        print(
            f"      p50 {p50 * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms (×{p95 / bare_p95:.2f} of"
            f" bare)   CPU p95 {_percentile(cpu, 0.95) * 1000:5.1f} ms"
            f"   a return p95 {_percentile(returns, 0.95) * 1000:5.1f} ms"
        )
    p95 = _percentile(runs[1][0], 0.95)
    print(
        "   target: p95 under 150 ms at a person's pace (one reads a tab before the next key,"
        f" keys in order): {p95 * 1000:.0f} ms, {'met' if p95 < 0.15 else 'NOT met'};"
        " keys at once are shown for what they cost, without a target"
    )


if __name__ == "__main__":
    main()
