"""Snapshots of the outbox's dialog (Ctrl+O) with a refused reading and a request that still
waits, at 120×40 and 80×24 (pinned clock and data, no animations)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from ibok_tui.backends.base import Unavailable
from ibok_tui.backends.outbox import Outbox
from ibok_tui.domain.models import ReadingSubmission, RequestCategory, RequestDraft
from tests.support.clock import PINNED_NOW
from tests.ui.console_support import SIZE, SMALL, Console, settle


class RequestsUnreachable:
    """The demo backend, but filing a request meets an unreachable server."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create_request(self, draft: RequestDraft, **options: Any) -> Any:
        raise Unavailable()


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_outbox_dialog(snap_compare: Any, console: Console, size: tuple[int, int]) -> None:
    box = Outbox.open("demo|100001", kiosk=False)
    box.add(ReadingSubmission("M-WK-2209-11873", "0,350"), now=PINNED_NOW)
    draft = RequestDraft(RequestCategory.FAILURE, "Wyciek przy liczniku", "Cieknie.")
    box.add(draft, now=PINNED_NOW)
    app = console.app(RequestsUnreachable(console.backend("100001")))
    app.clock = console.clock

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for _ in range(50):  # the pass at sign-in: the reading refused, the request waits
            if box.items()[0].refusal is not None and not app.session.outbox.passing:
                break
            await pilot.pause(0.1)
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("ctrl+o")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
