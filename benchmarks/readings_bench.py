"""Odczyty and Analizy for the smart meter with two years of hourly data (customer
100003), at 120×40, beside a bare Textual app measured in the same run.

- opening Odczyty: from pushing the tab until the meters, the readings and the 750-day
  series are in their tables (target: within 200 ms);
- drawing the consumption chart: the whole two-year hourly series (18 000 points),
  downsampled, drawn and rendered by plotext (target: within 100 ms); beside it the same
  series drawn without downsampling, to show what downsampling buys;
- the baseline: a bare Textual app pushing a screen with one Static, timed the same way.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ibok_tui.backends.base import Backend
from ibok_tui.domain.models import Resolution
from ibok_tui.screens.customer.analyses import AnalysesScreen
from ibok_tui.screens.customer.readings import ReadingsScreen
from ibok_tui.widgets.chart import Chart
from tests.support.bare_host import BareHost

from .timing import line, median

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
CUSTOMER, PASSWORD = "100003", "Woda!Wisniewski3"
SIZE = (120, 40)
TIMES = 7


class BenchApp(BareHost):
    """What the tabs need of the shell (a bare host), and nothing more."""


class BareScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("iBOK")


async def _until(done: Callable[[], bool]) -> None:
    """Poll every millisecond (a pilot pause costs tens of ms: too coarse to time with)."""
    while not done():  # noqa: ASYNC110 - a screen's state, there is no event to await
        await asyncio.sleep(0.001)


async def _open_times(
    app: BenchApp, make: Callable[[], Screen[Any]], ready: Callable[[Screen[Any]], bool]
) -> tuple[list[float], list[float]]:
    """Seconds until the data is in the widgets, and until the refresh that paints it."""
    found, painted = [], []
    async with app.run_test(size=SIZE) as pilot:
        if app.backend is not None:
            await app.backend.login(CUSTOMER, PASSWORD)
        for _ in range(TIMES):
            screen = make()
            started = time.perf_counter()
            await app.push_screen(screen)
            await _until(lambda screen=screen: ready(screen))  # type: ignore[misc]
            found.append(time.perf_counter() - started)
            frame: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            app.call_after_refresh(lambda f=frame: f.set_result(time.perf_counter()))
            painted.append(await frame - started)
            await pilot.pause()
            await app.pop_screen()
            await pilot.pause()
        assert not app.failures, app.failures
    return found, painted


def _readings_ready(screen: Screen[Any]) -> bool:
    if not isinstance(screen, ReadingsScreen) or screen.meter_id is None:
        return False
    return screen.meter_id in screen.readings and screen.series_loaded == screen.meter_id


async def _chart_times(app: BenchApp) -> tuple[list[float], list[float], int]:
    """Seconds to draw and render the two-year hourly line: downsampled, and not."""
    drawn, raw = [], []
    async with app.run_test(size=SIZE) as pilot:
        assert app.backend is not None
        await app.backend.login(CUSTOMER, PASSWORD)
        screen = AnalysesScreen()
        await app.push_screen(screen)
        await _until(lambda: screen.data is not None and bool(screen.data.hourly))
        await pilot.pause()
        screen.months = 0  # the whole two years
        screen.kind = "hour"
        chart = screen.query_one(Chart)
        assert screen.data is not None
        hourly = screen.data.hourly
        for _ in range(TIMES):
            started = time.perf_counter()
            screen.redraw()
            chart.render()
            drawn.append(time.perf_counter() - started)
        for _ in range(3):
            started = time.perf_counter()
            chart.plt.clear_data()
            chart.plt.plot(list(range(len(hourly))), [p.litres / 1000 for p in hourly])
            chart.render()
            raw.append(time.perf_counter() - started)
        await pilot.pause()
        assert not app.failures, app.failures
        return drawn, raw, len(hourly)


def _seed(folder: Path) -> Path:
    from ibok_tui.portal.service import open_portal

    path = folder / "bench.sqlite"
    service = open_portal(path, clock=lambda: NOW, seed_demo=True)
    service.store.close()
    return path


async def _run(db: Path) -> None:
    from ibok_tui.backends.local import LocalBackend
    from ibok_tui.portal.service import open_portal

    def backend() -> LocalBackend:
        return LocalBackend(open_portal(db, clock=lambda: NOW))

    no_backend = cast(Backend, None)  # the bare screen asks nothing of it
    bare_times, bare_painted = await _open_times(
        BenchApp(no_backend), BareScreen, lambda s: s.is_mounted
    )
    open_times, open_painted = await _open_times(
        BenchApp(backend()), ReadingsScreen, _readings_ready
    )
    bare, opened = median(bare_times), median(open_times)
    drawn, raw, points = await _chart_times(BenchApp(backend()))
    check = backend()
    await check.login(CUSTOMER, PASSWORD)
    meter = (await check.meters())[0]
    assert meter.resolution is Resolution.HOUR
    await check.close()

    print(f"== readings: customer {CUSTOMER}, meter {meter.serial}, {points} hourly points")
    line("open Odczyty (meters, readings, 750-day series)", opened, "bare screen push", bare)
    line(
        "  ... and painted (the refresh after the data)",
        median(open_painted),
        "bare, painted",
        median(bare_painted),
    )
    line("draw 2-year hourly chart, downsampled", median(drawn), "bare screen push", bare)
    line("draw 2-year hourly chart, all points", median(raw), "downsampled", median(drawn))
    print(
        f"targets: Odczyty {'met' if median(open_painted) <= 0.200 else 'MISSED'} (200 ms), "
        f"chart {'met' if median(drawn) <= 0.100 else 'MISSED'} (100 ms)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ibok-readings-bench-") as folder:
        db = _seed(Path(folder))
        asyncio.run(_run(db))


if __name__ == "__main__":
    main()
