"""ASGI middleware: the edge (the access log and the headers of every answer), the body
size limit, idempotent replays of creating POSTs, and ETags with 304 on GETs."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..i18n.problems import render
from ..portal.answers import etag_of
from ..portal.replays import Answer, Claim, KeyInProgress, Outcome, Replays, claimed
from .logs import escaped, logged_path
from .problems import PROBLEM_JSON, plain_problem, problem_body, scope_language
from .state import client_of_scope

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("ibok.access")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def send_problem(
    send: Send,
    status: int,
    code: str,
    *,
    params: dict[str, str] | None = None,
    kind: str | None = None,
    field: str = "",
    language: str = "pl",
) -> None:
    """A problem of `code` and its `params`, worded by the catalogue in `language` (the
    request's: `scope_language`)."""
    params = params or {}
    detail = render(code, params, field=field, language=language)
    errors = (
        [{"field": field, "code": code, "message": detail, "params": params}] if field else None
    )
    problem = plain_problem(
        status, code, detail, kind=kind, errors=errors, params=params, language=language
    )
    await send_problem_body(send, problem)


async def send_problem_body(
    send: Send, problem: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer with this problem+json body, its status taken from the body."""
    status = int(problem["status"])
    body = json.dumps(problem, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HttpMiddleware:
    """An ASGI middleware for HTTP requests: every other scope passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


# every answer says its type is meant: no browser ever runs one (a JSON problem, a stored
# file) as something else
NOSNIFF = (b"x-content-type-options", b"nosniff")


class Edge(HttpMiddleware):
    """Outermost, outside even Starlette's error layer, in one send: every answer gets the
    headers every answer carries (NOSNIFF), the access log gets one line per request, and
    an exception that reaches it after the answer went out ends here.

    The log line: method, path as sent (never the query string), status, duration, client
    address; the same as fields for the JSON-lines log (server/logs.py). Headers, bodies
    and query strings (tokens, passwords, reset codes) are never logged.

    The exception: Starlette's ServerErrorMiddleware sends the 500 problem, then raises
    again; logged already by the error handler, it ends here, so the server keeps the
    keep-alive connection open instead of closing it under the client (uvicorn closes a
    connection whose application raised after its response started)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        complete = logged = False

        def log() -> None:
            nonlocal logged
            logged = True
            fields = {
                "method": escaped(str(scope.get("method", "-"))),
                "path": logged_path(scope),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client": escaped(client_of_scope(scope)),  # behind --trusted-proxy: the client
            }
            access_log.info(
                "%(method)s %(path)s %(status)d %(duration_ms).1fms %(client)s",
                fields,
                extra={"fields": fields},
            )

        async def edge_send(message: Message) -> None:
            nonlocal status, complete
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                if not any(bytes(name).lower() == NOSNIFF[0] for name, _value in headers):
                    headers.append(NOSNIFF)
                message["headers"] = headers
            final = message["type"] == "http.response.body" and not message.get("more_body")
            if final:
                log()  # before the client has the answer: the line is there when it looks
            await send(message)
            complete = complete or final

        try:
            await self.app(scope, receive, edge_send)
        except Exception:
            if not complete:
                raise
        finally:
            if not logged:
                log()


class BodyLimit:
    """Refuse bodies over `limit(path)` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: Callable[[str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope.get("path", ""))
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit, scope_language(scope))
            return
        received = 0
        too_large = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _too_large(send, limit, scope_language(scope))
        except Exception:
            if not too_large or started:
                raise
            await _too_large(send, limit, scope_language(scope))


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int, language: str) -> None:
    await send_problem(
        send,
        413,
        "too_large",
        params={"bytes": str(limit)},
        kind="validation_failed",
        field="body",
        language=language,
    )


async def _buffer(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run `app` and collect its whole response."""
    start: Message = {}
    chunks: list[bytes] = []

    async def collect(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))

    await app(scope, receive, collect)
    return start, b"".join(chunks)


class Idempotency:
    """A POST with an `Idempotency-Key` is answered once, whichever process its retries
    reach: the record is the store's (portal/replays.py). The request claims its key
    (caller, key) before the route runs and its answer is kept after; a retry with the same
    key and body gets that answer, with another body `idempotency_key_reused`, and while
    the first is still running (on any process) it waits a moment, then gets 409
    `idempotency_key_in_progress` with Retry-After. The caller is the session's subject
    (`caller`), or the client address when there is no token; a token that is no longer a
    live session (logged out, expired, blocked) goes through to the route and gets the
    route's own 401, never a stored answer."""

    def __init__(
        self,
        app: ASGIApp,
        replays: Callable[[], Replays],
        caller: Callable[[str, str], str | None],
        skip: frozenset[str],
        wait: float = 2.0,
    ) -> None:
        self.app = app
        self.replays = replays
        self.caller = caller
        self.skip = skip
        self.wait = wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" else None
        if not key or scope.get("method") != "POST" or scope.get("path") in self.skip:
            await self.app(scope, receive, send)
            return
        if len(key) > 200:
            await send_problem(
                send,
                422,
                "invalid_idempotency_key",
                kind="validation_failed",
                field="Idempotency-Key",
                language=scope_language(scope),
            )
            return
        body = await _read_body(receive)
        auth = _header(scope, b"authorization") or ""
        fingerprint = hashlib.sha256(
            scope.get("path", "").encode() + b"\0" + scope.get("query_string", b"") + b"\0" + body
        ).hexdigest()
        replays = self.replays()
        client = client_of_scope(scope)

        def claim() -> tuple[str | None, Outcome]:  # one hop to the thread pool for both
            caller = self.caller(auth, client)
            if caller is None:
                return None, Outcome()
            return caller, replays.claim(caller, key, fingerprint)

        caller, outcome = await asyncio.to_thread(claim)
        if caller is None:  # the same answer as without a key: the route refuses the token
            await self.app(scope, _replay_receive(body), send)
            return
        deadline = time.monotonic() + self.wait
        while outcome.busy and time.monotonic() < deadline:  # another request holds it
            await asyncio.sleep(0.05)
            outcome = await asyncio.to_thread(replays.claim, caller, key, fingerprint)
        if outcome.reused:
            await send_problem(
                send,
                422,
                "idempotency_key_reused",
                kind="validation_failed",
                field="Idempotency-Key",
                language=scope_language(scope),
            )
        elif outcome.answer is not None:
            await _send_answer(send, outcome.answer)
        elif not outcome.owned:
            busy = KeyInProgress()
            retry = [(b"retry-after", str(busy.retry_after).encode())]
            await send_problem_body(send, problem_body(busy, scope_language(scope)), retry)
        else:
            await self._run(scope, send, replays, Claim(caller, key, outcome.until), body)

    async def _run(
        self, scope: Scope, send: Send, replays: Replays, claim: Claim, body: bytes
    ) -> None:
        try:
            with claimed(claim):  # the portal's write records its result under this claim
                start, content = await _buffer(self.app, scope, _replay_receive(body))
        except BaseException:
            await asyncio.to_thread(replays.release, claim)
            raise
        status = int(start.get("status", 500))
        headers = [
            (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
            for k, v in start.get("headers", [])
        ]
        answer = Answer(status, headers, content)
        if 200 <= status < 300:
            await asyncio.to_thread(replays.answer, claim.scope, claim.key, answer)
        else:
            await asyncio.to_thread(replays.release, claim)
        await _send_answer(send, answer)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(bytes(message.get("body", b"")))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _send_answer(send: Send, answer: Answer) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


class ETags:
    """A strong ETag (hash of the body) on every successful GET; `If-None-Match` -> 304.
    An answer that carries its ETag already (a stored one, see portal/answers.py) goes out
    as it comes, neither buffered nor hashed again."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        wanted = _header(scope, b"if-none-match")
        start: Message = {}
        chunks: list[bytes] = []
        mode = "pass"  # "pass": as it comes; "buffer": hashed at the end; "304": body dropped

        async def tagged_send(message: Message) -> None:
            nonlocal mode
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                etag = next((v for k, v in headers if k.lower() == b"etag"), None)
                if int(message["status"]) != 200:
                    mode = "pass"
                    await send(message)
                elif etag is None:
                    mode = "buffer"
                    start.update(message)
                else:
                    headers = [(k, v) for k, v in headers if k.lower() != b"etag"]
                    mode = await _tagged_start(send, headers, bytes(etag).decode(), wanted)
                return
            if message["type"] != "http.response.body" or mode == "pass":
                await send(message)
                return
            done = not message.get("more_body")
            if mode == "304":
                if done:
                    await send({"type": "http.response.body", "body": b""})
                return
            chunks.append(bytes(message.get("body", b"")))
            if done:
                body = b"".join(chunks)
                headers = [
                    (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
                ]
                headers.append((b"content-length", str(len(body)).encode()))
                if await _tagged_start(send, headers, etag_of(body), wanted) != "304":
                    await send({"type": "http.response.body", "body": body})
                else:
                    await send({"type": "http.response.body", "body": b""})

        await self.app(scope, receive, tagged_send)


_KEPT_BY_304 = {b"etag", b"cache-control", b"vary"}


async def _tagged_start(
    send: Send, headers: list[tuple[bytes, bytes]], etag: str, wanted: str | None
) -> str:
    """Start a 200 with its ETag and caching headers, or a 304 when `If-None-Match` has it;
    says which ("pass" or "304")."""
    headers = [
        *headers,
        (b"etag", etag.encode()),
        (b"cache-control", b"private, no-cache"),
        (b"vary", b"Authorization"),
    ]
    if wanted and (wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")]):
        kept = [(k, v) for k, v in headers if k.lower() in _KEPT_BY_304]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        return "304"
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    return "pass"
