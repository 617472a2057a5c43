"""The three answers a customer waits for most (Pulpit's dashboard, the invoices, the
settlements), served without the framework when nothing about the request is unusual.

A GET of one of these paths with no query string and a bearer token is answered here: the
portal's stored answer (one statement that checks the token and reads the answer, see
portal/answers.py) goes out with the headers the full stack would give it (its ETag, the
caching headers, a 304 for a matching `If-None-Match`). FastAPI's routing and dependencies,
Starlette's exception layers and the door's checks (which a GET with no query string and no
path parameter gives nothing to check) were two thirds of such a request's time; the bare
endpoint pays for them once, the full stack did again for every layer.

Where the store can (PostgreSQL: `Store.reads_on_loop`), that one statement is awaited on
the event loop itself, on a few connections of the worker's own (portal/pgloop.py,
`LoopReads`): a thread's hop and a pooled connection's checkout cost more CPU than the
read. What it cannot decide there (an answer to compute again, an act-for session, one
past its end) goes the thread's way as before, from the start.

Anything else goes through the full stack. A refusal of the portal's (a token that is no
longer a session: unknown, expired, blocked) is answered by the application's own handler
of the portal's errors, as the route's would be: it cannot be asked again of the full stack,
for resolving an expired session ends it (asked again, it would be an unknown one). Any other
failure (the store away for a moment) goes through the full stack, which says what is
wrong in its own words. This layer makes no answer of its own. The access log and the
security headers are outside it, so they see these answers as every other."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import IbokError
from ..portal.answers import Answer
from ..portal.service import PortalService
from .middleware import ASGIApp, HttpMiddleware, Receive, Scope, Send, _header, _tagged_start

Fetch = Callable[[PortalService, str], Answer]


class Hot(NamedTuple):
    """A path answered here: the stored answer's name and how a thread fetches it."""

    name: str
    fetch: Fetch


Refuse = Callable[[Request, Exception], Awaitable[Response]]


class StoredAnswers(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        *,
        answers: dict[str, Hot],
        service: Callable[[], PortalService],
        refuse: Refuse,
    ) -> None:
        super().__init__(app)
        self.answers = answers
        self.service = service
        self.refuse = refuse  # the application's handler of IbokError

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        hot = self.answers.get(scope["path"])
        token = _bearer(scope) if hot and scope["method"] == "GET" else None
        if hot is None or token is None or scope.get("query_string"):
            await self.app(scope, receive, send)
            return
        service = self.service()
        try:
            answer = await service.stored_answer_on_loop(token, hot.name)
            if answer is None:
                answer = await anyio.to_thread.run_sync(hot.fetch, service, token)
        except IbokError as refusal:  # 401, 403: the route's answer, by the same handler
            response = await self.refuse(Request(scope), refusal)
            await response(scope, receive, send)
            return
        except Exception:  # the full stack answers (a 500, say) as it always does
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-length", str(len(answer.body)).encode()),
            (b"content-type", b"application/json"),
        ]
        wanted = _header(scope, b"if-none-match")
        if await _tagged_start(send, headers, answer.etag, wanted) == "304":
            await send({"type": "http.response.body", "body": b""})
        else:
            await send({"type": "http.response.body", "body": answer.body})


def _bearer(scope: Scope) -> str | None:
    """The token of an `Authorization: Bearer …` header, as FastAPI's HTTPBearer reads it."""
    authorization = _header(scope, b"authorization")
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token if scheme.lower() == "bearer" and token else None
