"""The render guard's cost on a frame (ibok_tui/widgets/textual_internals.py).

The console signed in as 200001 (the demo's largest customer) on Faktury at 120x40; the
whole screen's strips are rendered to terminal text with their caches emptied (every
strip rendered anew, the worst case: Textual reuses cached renders when lines do not
change), with Textual's own `Strip.render` and with the guard, in turn in one process.
Then the same with the store made hostile (every line holds text to clean: the slow path).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Any

from textual.strip import Strip

from benchmarks.timing import median, repeat
from ibok_tui.app import IbokApp
from ibok_tui.backends.local import LocalBackend
from ibok_tui.portal.service import open_portal
from ibok_tui.widgets.textual_internals import ORIGINAL_STRIP_RENDER
from tests.support.clock import FakeClock
from tests.support.hostile import make_hostile
from tests.support.portal import seed_template

TIMES = 200


def _update_times(app: IbokApp) -> tuple[float, float]:
    """A whole full-screen update as the app makes it: the compositor's update (its
    strips cut from the widgets' cached lines) rendered to terminal text."""
    guarded = Strip.render

    def frame(render: Any) -> None:
        Strip.render = render  # type: ignore[method-assign]
        app.screen._compositor.render_update(full=True).render_segments(app.console)

    try:
        plain = repeat(lambda: frame(ORIGINAL_STRIP_RENDER), TIMES)
        cleaned = repeat(lambda: frame(guarded), TIMES)
    finally:
        Strip.render = guarded  # type: ignore[method-assign]
    return median(plain), median(cleaned)


def _frame_times(app: IbokApp) -> tuple[float, float, int]:
    update = app.screen._compositor.render_update(full=True)
    strips: list[Strip] = [strip for line in update.strips for strip in line]
    guarded = Strip.render

    def frame(render: Any) -> None:
        for strip in strips:
            strip._render_cache = None
        Strip.render = render  # type: ignore[method-assign]
        update.render_segments(app.console)

    try:
        plain = repeat(lambda: frame(ORIGINAL_STRIP_RENDER), TIMES)
        cleaned = repeat(lambda: frame(guarded), TIMES)
    finally:
        Strip.render = guarded  # type: ignore[method-assign]
    return median(plain), median(cleaned), len(strips)


async def _measure(db: Path) -> tuple[tuple[float, float, int], tuple[float, float]]:
    service = open_portal(db, clock=FakeClock())
    app = IbokApp(LocalBackend(service), demo=True, credentials=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.backend.login("200001", "Woda!ZlotyKlos4")
        await app.switch_mode("faktury")
        for _ in range(6):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0.1)
        found = _frame_times(app), _update_times(app)
    service.store.close()
    return found


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ibok-guard-"))
    try:
        template = seed_template(folder)
        hostile = folder / "hostile.sqlite"
        shutil.copyfile(template, hostile)
        make_hostile(hostile)
        print("== render guard: one 120x40 frame rendered anew (median of", TIMES, "runs)")
        for name, db in (("demo data", template), ("hostile data", hostile)):
            (plain, cleaned, strips), (whole, whole_guarded) = asyncio.run(_measure(db))
            print(
                f"{name:>13}: strips rendered anew: Textual {plain * 1e3:.3f} ms, guarded"
                f" {cleaned * 1e3:.3f} ms, ratio {cleaned / plain:.2f} ({strips} strips);"
                f" whole update: {whole * 1e3:.2f} ms, guarded {whole_guarded * 1e3:.2f} ms,"
                f" ratio {whole_guarded / whole:.2f}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
