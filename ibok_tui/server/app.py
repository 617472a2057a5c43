"""The reference iBOK server: `create_app(config)` is the ASGI application (FastAPI)."""

from __future__ import annotations

import gc
import json
import logging
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from .. import __version__
from ..domain.errors import FieldError, IbokError, ValidationFailed
from ..i18n.problems import render
from ..portal.hashing import hasher
from ..portal.service import DASHBOARD_ANSWER, INVOICES_ANSWER, settlements_answer_name
from ..portal.store import store_location
from . import api_customer, api_operator, api_public, api_terms
from .checks import InputCheck, path_checked
from .door import QuickRefusals
from .hot import Hot, StoredAnswers
from .logs import logged_path
from .middleware import (
    ASGIApp,
    BodyLimit,
    Edge,
    ETags,
    HttpMiddleware,
    Idempotency,
    Receive,
    Scope,
    Send,
    _header,
)
from .problems import PROBLEM_JSON, language_of, plain_problem, problem_body
from .state import ServerConfig, ServerState, SettableClock

PREFIX = "/api/v1"
log = logging.getLogger("ibok.server")
# sign-in answers carry a fresh token each time; they are never replayed
NOT_REPLAYED = frozenset({f"{PREFIX}/auth/login", f"{PREFIX}/auth/operator-login"})
_PYDANTIC_CODES = {"missing": "required", "extra_forbidden": "unknown_field"}


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status_code=int(body["status"]),
        media_type=PROBLEM_JSON,
        headers=headers,
    )


async def _ibok_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IbokError)
    headers: dict[str, str] = {}
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, int):
        headers["Retry-After"] = str(retry_after)
    return problem_response(problem_body(exc, language_of(request)), headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = []
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "header")]
        code = str(item.get("type", "invalid"))
        fields.append(
            FieldError(
                ".".join(loc) or "body",
                _PYDANTIC_CODES.get(code, code),
                render(
                    "required" if code == "missing" else "invalid_value",
                    language=language_of(request),
                ),
                {"detail": str(item.get("msg", ""))[:200]},
            )
        )
    return problem_response(problem_body(ValidationFailed(fields), language_of(request)))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400:  # a body that is not JSON at all
        invalid = FieldError("body", "invalid_json")
        return problem_response(problem_body(ValidationFailed([invalid]), language_of(request)))
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed(request.app, request.url.path))
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
    language = language_of(request)
    detail = render(code, language=language) if exc.status_code in (404, 405) else str(exc.detail)
    return problem_response(
        plain_problem(exc.status_code, code, detail, language=language), headers
    )


def _allowed(app: FastAPI, path: str) -> list[str]:
    """The methods the document gives for `path` (the Allow header of a 405); of the
    templates that match, the most literal one wins (/contracts/{n}/scans over /contracts/{n})."""
    best, found = -1, set[str]()
    for template, operations in app.openapi()["paths"].items():
        pattern = re.sub(
            r"\\\{(\w+)\\\}",
            lambda m: "(.+)" if m[1] == "number" else "([^/]+)",
            re.escape(template),
        )
        if re.fullmatch(pattern, path):
            literal = len(re.sub(r"\{\w+\}", "", template))
            if literal > best:
                best, found = literal, set()
            if literal == best:
                found |= {m.upper() for m in operations}
    if "GET" in found:
        found.add("HEAD")
    return sorted(found)


async def _server_error(request: Request, exc: Exception) -> Response:
    """Any exception no handler knows: a 500 problem; the log (one escaped line, see
    logs.py) gets the path as sent and the traceback."""
    log.error(
        "unhandled %s on %s %s",
        type(exc).__name__,
        request.method,
        logged_path(request.scope),
        exc_info=exc,
    )
    language = language_of(request)
    detail = render("internal_error", language=language)
    return problem_response(plain_problem(500, "error", detail, language=language))


class IbokApi(FastAPI):
    """FastAPI with `Edge` outside its whole stack (see middleware.py)."""

    def build_middleware_stack(self) -> Any:
        return Edge(super().build_middleware_stack())


# the stored answers served past the framework (hot.py): the routes' own calls, no query
HOT: dict[str, Hot] = {
    f"{PREFIX}/me/dashboard": Hot(
        DASHBOARD_ANSWER, lambda service, token: service.dashboard_answer(token)
    ),
    f"{PREFIX}/me/invoices": Hot(
        INVOICES_ANSWER, lambda service, token: service.invoices_answer(token)
    ),
    f"{PREFIX}/me/settlements": Hot(
        settlements_answer_name(), lambda service, token: service.settlements_answer(token)
    ),
}


class TestClock(HttpMiddleware):
    """Test servers only: the request's `X-Ibok-Test-Clock` moves the service's clock."""

    def __init__(self, app: ASGIApp, clock: SettableClock) -> None:
        super().__init__(app)
        self.clock = clock

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        moment = _header(scope, b"x-ibok-test-clock")
        if moment:
            self.clock.fixed = datetime.fromisoformat(moment)
        await self.app(scope, receive, send)


class SwapBody(BaseModel):
    db: str
    outbox: str


def _add_test_control(app: FastAPI, state: ServerState) -> None:
    """Test servers only (IBOK_TEST_CONTROL=1): serve another database per test and let
    the test's clock travel with each request. Never part of the API or its document."""

    @app.post(f"{PREFIX}/_test/swap", include_in_schema=False, status_code=204)
    def swap(body: SwapBody) -> Response:
        state.swap(store_location(body.db), Path(body.outbox))
        return Response(status_code=204)

    @app.get(f"{PREFIX}/_test/fail", include_in_schema=False)
    def fail() -> Response:
        raise RuntimeError("a failure no handler knows\r\n\x1b[2J")

    @app.get(f"{PREFIX}/_test/peer", include_in_schema=False)
    def peer(request: Request) -> Response:
        client = request.scope.get("client") or ("-", 0)
        return Response(f"{client[0]}:{client[1]}", media_type="text/plain")

    @app.get(f"{PREFIX}/_test/pid", include_in_schema=False)
    def pid() -> Response:  # which of the --workers answered
        return Response(str(os.getpid()), media_type="text/plain")


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title="iBOK API",
        version=__version__,
        description=(
            "The reference iBOK server: every customer and operator operation. Money is "
            "integer grosze, decimals are strings, dates ISO 8601. Errors are "
            "application/problem+json (RFC 9457) with a stable `code`."
        ),
        routes=app.routes,
    )
    # series buckets start at a naive local (Polish) time: no offset, so not RFC 3339
    schema["components"]["schemas"]["SeriesPoint"]["properties"]["start"] = {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$",
        "description": "początek przedziału, czas lokalny (polski) bez strefy",
    }
    replayable = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "a retry with the same key gets the first answer: nothing is made twice",
        "schema": {"type": "string", "maxLength": 200},
    }
    for url, path in schema["paths"].items():
        post = path.get("post")
        if post is not None and url not in NOT_REPLAYED:
            parameters = post.setdefault("parameters", [])
            if not any(p.get("name") == "Idempotency-Key" for p in parameters):
                parameters.append(dict(replayable))
        for operation in path.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if PROBLEM_JSON in content:
                    content.pop("application/json", None)
                elif status.startswith(("4", "5")) and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    app.openapi_schema = schema
    return schema


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """`router`'s routes, under PREFIX, as routes of the app itself. FastAPI keeps an
    included router as one route that finds its own routes again on every request (it
    walks them all to see whether one changed), which was the largest part of routing a
    dashboard; an app's own routes are matched straight away, as the bare endpoint's are.
    Everything a route says is passed on, so the routes and the OpenAPI document are
    those include_router made."""
    for route in router.routes:
        assert isinstance(route, APIRoute), route
        app.router.add_api_route(
            PREFIX + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=list(route.tags),
            dependencies=list(route.dependencies),
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses=dict(route.responses),
            deprecated=route.deprecated,
            methods=set(route.methods or ()),
            operation_id=route.operation_id,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
        )


def create_app(config: ServerConfig, state: ServerState | None = None) -> FastAPI:
    state = state or ServerState(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.start_ticks()
        # the hasher's library is read now, not by the first crowd's first sign-in (~20 ms)
        hasher()
        # what start-up made (the framework's routes and models, the libraries: ~100,000
        # objects) lives as long as the process: out of the collector's way, so that a full
        # collection walks only what requests made since (it walked everything, 100-250 ms
        # with every request in flight waiting: the dashboard's p99 on SQLite)
        gc.freeze()
        yield
        gc.unfreeze()
        state.close()

    app = IbokApi(
        title="iBOK API",
        version=__version__,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(path_checked)],  # every route, so no route can forget it
    )
    app.state.ibok = state
    # routes are matched one after another, in this order: the customer's, which carry most
    # requests (a dashboard went through 20 other routes' patterns first), come first
    _add_routes(app, api_customer.router)
    _add_routes(app, api_public.router)
    _add_routes(app, api_operator.router)
    if config.integration_key:
        from . import api_integration

        _add_routes(app, api_integration.router)
    _add_routes(app, api_terms.router)
    app.add_exception_handler(IbokError, _ibok_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    if config.test_control:
        _add_test_control(app, state)
    upload_paths = (f"{PREFIX}/me/contracts/",)

    def body_limit(path: str) -> int:
        if path.startswith(upload_paths) and path.endswith("/scans"):
            return config.max_upload_body
        if config.integration_key and path == f"{PREFIX}/integration/import":
            return config.max_import_body
        return config.max_body

    # innermost first. Outside them all, Edge logs every answer and gives each the headers
    # every answer carries. The stored answers and the door's refusals, the most frequent
    # requests, are answered first, before anything else is spent on them; then the limit
    # runs before anything reads, and no string reaches a route (or the idempotency cache)
    # before the door has checked it
    app.add_middleware(ETags)
    app.add_middleware(
        Idempotency,
        replays=lambda: state.replays,
        caller=state.caller,
        skip=NOT_REPLAYED,
    )
    app.add_middleware(InputCheck)
    app.add_middleware(BodyLimit, limit=body_limit)
    app.add_middleware(QuickRefusals, paths=NOT_REPLAYED)
    app.add_middleware(
        StoredAnswers, answers=HOT, service=lambda: state.service, refuse=_ibok_error
    )
    if config.test_control:  # outermost: every answer, the stored ones too, sees the clock
        app.add_middleware(TestClock, clock=state.clock)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
