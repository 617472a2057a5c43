"""Tries refused at the door: a sign-in without a captcha from an address the store marked
as needing one for every try (portal/captcha.py `Suspects`) is answered here, before a
route, its body's model, a rate-limit bucket or a statement is spent on it. A storm of
guesses from one address then costs the server what a health check costs, and every other
client's requests keep their latency. Any other request passes untouched, and so does a
sign-in whose body is not a small one of declared length (the door sits before the body
limit and the input check, which then say what is wrong with it)."""

from __future__ import annotations

import json

from starlette.types import Receive, Scope, Send

from .middleware import HttpMiddleware, _header, _read_body, _replay_receive, send_problem_body
from .problems import problem_body, scope_language
from .state import client_of_scope

SMALL = 4096  # bytes: any sign-in's body is smaller


class QuickRefusals(HttpMiddleware):
    def __init__(self, app: object, *, paths: frozenset[str]) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.paths = paths

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope.get("method") != "POST"
            or scope.get("path") not in self.paths
            or not _small(_header(scope, b"content-length"))
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        refusal = None
        if not _carries_captcha(body):
            auth = scope["app"].state.ibok.service.auth
            refusal = auth.quick_refusal(client_of_scope(scope))
        if refusal is None:
            await self.app(scope, _replay_receive(body), send)
            return
        problem = problem_body(refusal, scope_language(scope))
        await send_problem_body(send, problem, [(b"www-authenticate", b"Bearer")])


def _small(length: str | None) -> bool:
    return length is not None and length.isdigit() and int(length) <= SMALL


def _carries_captcha(body: bytes) -> bool:
    """Whether a sign-in's body names a captcha or an answer (or is not one the route
    would read: the route then says what is wrong with it)."""
    try:
        data = json.loads(body)
    except ValueError:
        return True
    if not isinstance(data, dict):
        return True
    return bool(data.get("captcha_id") or data.get("captcha_answer"))
