"""The outbox against a real `ibok serve`: a stopped server keeps every item waiting and a
restarted one gets each once; a send killed between the server's answer and the outbox's
update, or an answer lost on the way, never makes a second reading."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ibok_tui.backends.base import Unavailable
from ibok_tui.backends.http import HttpBackend
from ibok_tui.backends.outbox import Outbox, send_outbox
from ibok_tui.domain.models import (
    ReadingStatus,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
)
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ROOT, ServerProcess
from tests.support.lossy_proxy import LossyProxy, lossy_proxy

JAN_METER = "M-WK-2209-11873"
READING = ReadingSubmission(JAN_METER, "1019,5")
REQUEST = RequestDraft(RequestCategory.OTHER, "Duplikat", "Proszę o duplikat faktury.")


async def _jan(url: str, **options: float) -> HttpBackend:
    backend = HttpBackend(url, backoff=0.01, **options)  # type: ignore[arg-type]
    await backend.login("100001", PASSWORDS["100001"])
    return backend


async def _pending(backend: HttpBackend) -> list[str]:
    return [r.id for r in await backend.readings(JAN_METER) if r.status is ReadingStatus.PENDING]


async def test_a_stopped_server_keeps_the_items_and_a_restarted_one_gets_each_once(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    jan = await _jan(fresh_server.url, retries=1)
    try:
        before = len(await jan.requests())
        box = Outbox.for_backend(jan, kiosk=False, root=tmp_path / "data")
        box.add(READING)
        box.add(REQUEST)
        fresh_server.stop()
        report = await send_outbox(jan, box)
        assert isinstance(report.stopped, Unavailable)
        assert report.sent == [] and len(report.waiting) == 2
        assert [item.tries for item in box.items()] == [1, 0]
        fresh_server.start()  # the same address, the same store: the session still holds
        report = await send_outbox(jan, box)
        assert len(report.sent) == 2 and box.items() == []
        assert len(await _pending(jan)) == 1
        assert len(await jan.requests()) == before + 1
    finally:
        await jan.close()


KILLED_SEND = """
import asyncio, os, sys
from pathlib import Path
from ibok_tui.backends.http import HttpBackend
from ibok_tui.backends.outbox import Outbox, send_outbox

async def main() -> None:
    backend = HttpBackend(sys.argv[1])
    await backend.login("100001", os.environ["IBOK_TEST_PASSWORD"])
    real = backend.submit_reading

    async def submit(submission, *, idempotency_key=None, from_outbox=False):
        await real(submission, idempotency_key=idempotency_key, from_outbox=from_outbox)
        os._exit(9)  # killed: the server has answered, the outbox never hears of it

    backend.submit_reading = submit
    await send_outbox(backend, Outbox.for_backend(backend, kiosk=False, root=Path(sys.argv[2])))

asyncio.run(main())
"""


async def test_a_send_killed_after_the_servers_answer_is_not_sent_twice(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    root = tmp_path / "data"
    jan = await _jan(fresh_server.url)
    try:
        box = Outbox.for_backend(jan, kiosk=False, root=root)
        item = box.add(READING)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "IBOK_TEST_PASSWORD": PASSWORDS["100001"]}
        killed = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-c", KILLED_SEND, fresh_server.url, str(root)],
            env=env,
            timeout=120,
            capture_output=True,
        )
        assert killed.returncode == 9, killed.stderr.decode(errors="replace")
        arrived = await _pending(jan)
        assert len(arrived) == 1  # the killed send did arrive
        assert [i.key for i in box.items()] == [item.key]  # and the outbox still holds it
        report = await send_outbox(jan, box)
        assert [answer.id for _i, answer in report.sent] == arrived  # type: ignore[attr-defined]
        assert await _pending(jan) == arrived and box.items() == []
    finally:
        await jan.close()


@pytest.fixture
async def lossy(fresh_server: ServerProcess) -> AsyncIterator[tuple[LossyProxy, str]]:
    async with lossy_proxy(fresh_server.port) as found:
        yield found


async def test_an_answer_lost_on_the_way_is_replayed_not_repeated(
    lossy: tuple[LossyProxy, str], tmp_path: Path
) -> None:
    proxy, url = lossy
    jan = await _jan(url, retries=0)  # no retry of the wire's own: the outbox's is the retry
    try:
        box = Outbox.for_backend(jan, kiosk=False, root=tmp_path / "data")
        item = box.add(READING)
        report = await send_outbox(jan, box)
        assert proxy.dropped == 1 and isinstance(report.stopped, Unavailable)
        assert [i.id for i in box.waiting()] == [item.id]
        report = await send_outbox(jan, box)
        assert len(report.sent) == 1 and box.items() == []
        keys = [key for method, path, key in proxy.seen if path == "/api/v1/me/readings"]
        assert keys == [item.key, item.key]
        assert len(await _pending(jan)) == 1
    finally:
        await jan.close()
