"""The console's start-up and tab switching, against a bare Textual app in the same run.

- time to the first frame: a fresh Python process that starts the app headless and exits
  right after its first frame; the bare Textual app (a Label) is the baseline; each
  script runs once unmeasured first, so every module has its bytecode cached;
- `import ibok_tui.app` against `import textual.app`, also in fresh processes;
- the dashboard when resuming a session: the keyring holds a valid token (an in-memory
  keyring in the child process), the app resumes and exits once Pulpit shows its data;
- tab switch latency: in one process, the number keys pressed in turn; each switch is
  timed until the tab's data is on screen (p50, p95).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7

BARE = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("iBOK")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(120, 40))
"""

BARE_FORM = """
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
    def on_mount(self):
        self.call_after_refresh(self.exit)
BareForm().run(headless=True, size=(120, 40))
"""

LOGIN = """
import os
from ibok_tui.app import IbokApp
from ibok_tui.backends.local import LocalBackend
from ibok_tui.portal.service import open_portal
class FirstFrame(IbokApp):
    async def on_mount(self):
        await super().on_mount()
        self.call_after_refresh(self.exit)
backend = LocalBackend(open_portal(os.environ["IBOK_BENCH_DB"]))
FirstFrame(backend, demo=True).run(headless=True, size=(120, 40))
"""

RESUME = """
import json, os
import keyring
from keyring.backend import KeyringBackend
from ibok_tui.app import IbokApp
from ibok_tui.backends.local import LocalBackend
from ibok_tui.credentials import CredentialStore
from ibok_tui.portal.service import open_portal

class Memory(KeyringBackend):
    priority = 1
    entries = {}
    def get_password(self, service, user):
        return self.entries.get((service, user))
    def set_password(self, service, user, password):
        self.entries[(service, user)] = password
    def delete_password(self, service, user):
        self.entries.pop((service, user), None)

keyring.set_keyring(Memory())
saved = json.loads(os.environ["IBOK_BENCH_SAVED"])
CredentialStore("bench").save(saved["customer"], saved["password"], saved["token"])

class Resumed(IbokApp):
    def set_dashboard(self, dashboard):
        super().set_dashboard(dashboard)
        self.call_after_refresh(self.exit)

backend = LocalBackend(open_portal(os.environ["IBOK_BENCH_DB"]))
app = Resumed(backend, credentials=CredentialStore("bench"), profile="bench")
app.run(headless=True, size=(120, 40))
assert app.dashboard_data is not None, "the session was not resumed"
"""


def _run(script: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return elapsed


def _median(script: str, env: dict[str, str]) -> float:
    _run(script, env)  # warm-up: writes the bytecode cache (see _bytecode_env)
    return statistics.median(_run(script, env) for _ in range(RUNS))


def _bytecode_env(env: dict[str, str], folder: str) -> dict[str, str]:
    """Let the children cache bytecode, as an installed package has it.

    With PYTHONDONTWRITEBYTECODE set (as in some shells and CI), every fresh process would
    compile the console's own modules from source, while Textual's come compiled from
    site-packages: the comparison would measure the compiler. The cache goes to a temporary
    folder (PYTHONPYCACHEPREFIX, for every module alike), not into the source tree.
    """
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}


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


async def _first_visits(db: Path) -> list[float]:
    from ibok_tui.app import TABS, IbokApp
    from ibok_tui.backends.local import LocalBackend
    from ibok_tui.portal.service import open_portal

    service = open_portal(db)
    session = service.login("200001", "Woda!ZlotyKlos4")
    app = IbokApp(LocalBackend(service, session=session))
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for key, *_rest in TABS:
            if key == "1":
                continue
            started = time.perf_counter()
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            timings.append(time.perf_counter() - started)
    service.store.close()
    return timings


def main() -> None:
    from ibok_tui.portal.service import open_portal

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        service = open_portal(db, seed_demo=True)
        token = service.login("100001", "Woda!Kowalski1", remember=True).token
        service.store.close()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "IBOK_BENCH_DB": str(db),
            "IBOK_BENCH_SAVED": json.dumps(
                {"customer": "100001", "password": "Woda!Kowalski1", "token": token}
            ),
            "TEXTUAL_ANIMATIONS": "none",
        }
        env = _bytecode_env(env, folder)
        import_textual = _median("import textual.app", env)
        import_ibok = _median("import ibok_tui.app", env)
        bare = _median(BARE, env)
        bare_form = _median(BARE_FORM, env)
        login = _median(LOGIN, env)
        resume = _median(RESUME, env)
        bare_switches, switches = asyncio.run(_tab_switches(db))
        first = asyncio.run(_first_visits(db))
    print("== console (median of", RUNS, "fresh processes each after a warm-up, 120×40, headless)")
    print(
        f"python -c 'import textual.app' {import_textual * 1000:.1f} ms, "
        f"'import ibok_tui.app' {import_ibok * 1000:.1f} ms"
    )
    print(f"bare Textual app, first frame        {bare * 1000:8.1f} ms   (baseline)")
    print(
        f"bare Textual form (Input, Checkbox, Button, Footer) {bare_form * 1000:.1f} ms"
        f"   ×{bare_form / bare:.2f}  (what Textual's widgets cost)"
    )
    print(f"login screen, first frame            {login * 1000:8.1f} ms   ×{login / bare:.2f}")
    print(f"Pulpit with data, resumed session    {resume * 1000:8.1f} ms   ×{resume / bare:.2f}")
    print("   target: first frame within ×1.30 of the bare app")
    for name, values in (
        ("bare Textual, 10 table tabs", bare_switches),
        ("ibok, 10 tabs", switches),
    ):
        print(
            f"tab switch to a visited tab, {name}, n={len(values)}: "
            f"p50 {_percentile(values, 0.5) * 1000:.1f} ms, "
            f"p95 {_percentile(values, 0.95) * 1000:.1f} ms"
        )
    print(
        f"   ratio p50 {_percentile(switches, 0.5) / _percentile(bare_switches, 0.5):.2f}, "
        f"p95 {_percentile(switches, 0.95) / _percentile(bare_switches, 0.95):.2f}"
        "   (target: p95 under 50 ms)"
    )
    print(
        f"first visit of a tab (loads its data), n={len(first)}: "
        f"p50 {_percentile(first, 0.5) * 1000:.1f} ms, p95 {_percentile(first, 0.95) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
