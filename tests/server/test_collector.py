"""What the server made while starting lives as long as it does: it is kept out of the
cyclic collector's full collections (which walked all of it with every request in flight
waiting), and given back when the server stops."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from ibok_tui.server.app import create_app
from ibok_tui.server.state import ServerConfig


def test_start_up_is_frozen_while_the_server_runs(tmp_path: Path) -> None:
    app = create_app(ServerConfig(db=tmp_path / "x.sqlite", office_tick=0))
    gc.unfreeze()
    seen: list[int] = []

    async def run() -> None:
        async with app.router.lifespan_context(app):
            seen.append(gc.get_freeze_count())
            # a full collection walks only what came after (here: nothing of the app)
            assert not any(obj is app for obj in gc.get_objects())
        seen.append(gc.get_freeze_count())

    asyncio.run(run())
    running, stopped = seen
    assert running > 10_000  # the framework, the routes, the libraries
    assert stopped == 0
