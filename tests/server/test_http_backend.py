"""`HttpBackend` on the wire: a lost answer is retried with the same Idempotency-Key, an
unreachable server is `Unavailable`, and httpx stays out of the import path."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from ibok_tui.backends.base import Backend, Unavailable
from ibok_tui.backends.http import HttpBackend
from ibok_tui.domain.models import ReadingSubmission, RequestCategory, RequestDraft
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ROOT, ServerProcess, free_port
from tests.support.lossy_proxy import LossyProxy, lossy_proxy


@pytest.fixture
async def proxy(server: ServerProcess) -> AsyncIterator[tuple[LossyProxy, str]]:
    async with lossy_proxy(server.port) as found:
        yield found


async def test_a_lost_answer_is_retried_with_the_same_key(proxy: tuple[LossyProxy, str]) -> None:
    lossy, url = proxy
    backend = HttpBackend(url, backoff=0.01)
    try:
        assert isinstance(backend, Backend)
        await backend.login("100004", PASSWORDS["100004"])
        before = len(await backend.requests())
        draft = RequestDraft(RequestCategory.OTHER, "Pismo", "Proszę o duplikat faktury.")
        created = await backend.create_request(draft)
        assert lossy.dropped == 1
        keys = [
            key
            for method, path, key in lossy.seen
            if path == "/api/v1/me/requests" and method == "POST"
        ]
        assert len(keys) == 2 and keys[0] == keys[1] and keys[0]
        after = await backend.requests()
        assert len(after) == before + 1 and after[0].id == created.id
    finally:
        await backend.close()


async def test_a_callers_key_is_the_one_sent(proxy: tuple[LossyProxy, str]) -> None:
    lossy, url = proxy
    backend = HttpBackend(url, backoff=0.01)
    try:
        await backend.login("100001", PASSWORDS["100001"])
        meter = (await backend.meters())[0]
        last = (await backend.readings(meter.id))[-1]
        submission = ReadingSubmission(meter.id, str(last.index // 1000 + 2))
        reading = await backend.submit_reading(submission, idempotency_key="form-42")
        posted = [key for method, path, key in lossy.seen if path == "/api/v1/me/readings"]
        assert posted == ["form-42", "form-42"]
        again = await backend.submit_reading(submission, idempotency_key="form-42")
        assert again.id == reading.id
        assert [r.id for r in await backend.readings(meter.id)].count(reading.id) == 1
    finally:
        await backend.close()


async def test_unreachable_server_is_unavailable() -> None:
    backend = HttpBackend(f"http://127.0.0.1:{free_port()}", retries=2, backoff=0.01)
    try:
        with pytest.raises(Unavailable):
            await backend.utility()
        with pytest.raises(Unavailable):
            await backend.login("100001", PASSWORDS["100001"])
    finally:
        await backend.close()


def test_importing_the_backend_does_not_import_httpx() -> None:
    code = (
        "import sys, ibok_tui.backends.http;"
        "assert 'httpx' not in sys.modules, 'httpx imported';"
        "assert 'fastapi' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
