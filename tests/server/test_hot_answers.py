"""The stored answers served past the framework (server/hot.py) are the full stack's answers
to the byte: the same body, status and headers, the same 304, the same refusal of a token
that is no longer a session; and the layer answers only what it can, leaving the rest to
the stack."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ibok_tui.portal.service import PortalService
from ibok_tui.server.app import HOT, _ibok_error
from ibok_tui.server.hot import StoredAnswers
from tests.server.conftest import API, sign_in
from tests.support.clock import PINNED_NOW, FakeClock
from tests.support.http_server import ServerProcess
from tests.support.portal import copy_portal

# each screen, and a query the full stack reads as no query at all (so it serves the same
# stored answer through FastAPI's route)
SCREENS = {
    "/me/dashboard": "?unused=1",
    "/me/invoices": "?number=",
    "/me/settlements": "?which=all",
}
VARYING = {"date", "server"}


def _headers(answer: httpx.Response) -> list[tuple[str, str]]:
    return sorted((k.lower(), v) for k, v in answer.headers.items() if k.lower() not in VARYING)


def test_a_stored_answer_is_the_full_stacks_answer(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url + API, timeout=30) as http:
        jan = sign_in(http, "100001")
        for path, neutral in SCREENS.items():
            http.get(path, headers=jan)  # computed and stored by whichever comes first
            quick, full = http.get(path, headers=jan), http.get(path + neutral, headers=jan)
            assert quick.status_code == full.status_code == 200, (quick.text, full.text)
            assert quick.content == full.content
            assert _headers(quick) == _headers(full)
            assert {"etag", "cache-control", "vary", "x-content-type-options"} <= {
                k for k, _ in _headers(quick)
            }
            cached = {**jan, "If-None-Match": quick.headers["etag"]}
            quick, full = http.get(path, headers=cached), http.get(path + neutral, headers=cached)
            assert quick.status_code == full.status_code == 304
            assert quick.content == full.content == b""
            assert _headers(quick) == _headers(full)


@pytest.mark.parametrize(
    "authorization", ["Bearer not-a-session", "Basic abc", "Bearer", "Bearer  padded", ""]
)
def test_a_refused_token_gets_the_full_stacks_refusal(
    server: ServerProcess, authorization: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with httpx.Client(base_url=server.url + API, timeout=30) as http:
        for path, neutral in SCREENS.items():
            quick, full = http.get(path, headers=headers), http.get(path + neutral, headers=headers)
            assert quick.status_code == full.status_code == 401
            assert quick.json() == full.json()
            assert quick.headers["www-authenticate"] == "Bearer"


def test_a_logged_out_session_is_refused_at_once(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url + API, timeout=30) as http:
        jan = sign_in(http, "100001")
        for path in SCREENS:
            assert http.get(path, headers=jan).status_code == 200
        assert http.post("/auth/logout", headers=jan).status_code == 204
        for path in SCREENS:
            assert http.get(path, headers=jan).status_code == 401


# --- the layer itself, over a real portal on a SQLite file ---------------------------------


class Stack:
    """What the layer hands on: the requests it did not answer itself."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.seen.append(scope["path"] + "?" + scope["query_string"].decode())
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"stack"})


def _get(
    layer: StoredAnswers, path: str, headers: dict[str, str], query: str = "", method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(layer(scope, receive, send))
    start, body = sent
    return (
        start["status"],
        {k.decode(): v.decode() for k, v in start["headers"]},
        body["body"],
    )


@pytest.fixture
def sqlite_portal(template_db: Path, tmp_path: Path, clock: FakeClock) -> Any:
    service = copy_portal(template_db, tmp_path, clock, "sqlite")
    yield service
    service.store.close()


def test_the_layer_answers_only_a_plain_get_with_a_live_session(
    sqlite_portal: PortalService,
) -> None:
    stack = Stack()
    layer = StoredAnswers(stack, answers=HOT, service=lambda: sqlite_portal, refuse=_ibok_error)
    token = sqlite_portal.login("100001", "Woda!Kowalski1").token
    bearer = {"Authorization": f"Bearer {token}"}
    for path in SCREENS:
        status, headers, body = _get(layer, API + path, bearer)
        assert status == 200 and body[:1] in (b"{", b"[")
        assert headers["content-length"] == str(len(body))
        status, _, body = _get(layer, API + path, {**bearer, "If-None-Match": headers["etag"]})
        assert (status, body) == (304, b"")
    assert stack.seen == []

    passed = [
        (API + "/me/dashboard", bearer, "x=1", "GET"),  # a query: the route reads it
        (API + "/me/dashboard", bearer, "", "HEAD"),
        (API + "/me/profile", bearer, "", "GET"),  # not a stored answer
        (API + "/me/dashboard", {}, "", "GET"),
    ]
    for path, headers, query, method in passed:
        assert _get(layer, path, headers, query, method) == (299, {}, b"stack")
    assert len(stack.seen) == len(passed)
    # the portal's refusal is answered by the application's own handler, as the route's is
    status, headers, body = _get(layer, API + "/me/dashboard", {"Authorization": "Bearer x"})
    assert (status, headers["www-authenticate"]) == (401, "Bearer")
    assert json.loads(body)["code"] == "session_unknown"
    assert len(stack.seen) == len(passed)


def test_an_expired_session_is_told_it_expired(template_db: Path, tmp_path: Path) -> None:
    """Resolving an expired session ends it: the answer is the first resolution's
    (session_expired), never a second one's (session_unknown)."""
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with (
        ServerProcess(db, env={"IBOK_TEST_CONTROL": "1"}) as server,  # the clock may move
        httpx.Client(base_url=server.url + API, timeout=30) as http,
    ):
        http.headers["X-Ibok-Test-Clock"] = PINNED_NOW.isoformat()  # each request says
        later = {"X-Ibok-Test-Clock": (PINNED_NOW + timedelta(hours=9)).isoformat()}
        for path in SCREENS:
            jan = sign_in(http, "100001")
            expired = http.get(path, headers={**jan, **later})
            assert expired.status_code == 401 and expired.json()["code"] == "session_expired"
            assert http.get(path, headers=jan).json()["code"] == "session_unknown"
