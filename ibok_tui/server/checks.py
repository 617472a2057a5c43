"""The door: every string of every request is checked here before any route sees it.

The middleware `InputCheck` walks what a route could read — each string and key of a JSON
body at any depth, each query parameter, the Idempotency-Key header — and `path_checked`,
a dependency of the whole application, each path parameter of the route that matched. A
request that breaks the rule gets one 422 naming every field at fault: a character that
`domain.text.unsafe_character` refuses (a lone surrogate too), a text over its bound, a
JSON number of more digits than any field takes, a body nested deeper than any model. Tab
and newline pass only in the fields whose text may have several lines (MULTILINE). Both
run for every route, so a new route cannot forget them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.message import Message as MimeMessage
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from ..domain.errors import FieldError, ValidationFailed, params_of
from ..domain.text import visible
from ..portal.checks import text_error as checked_text
from .middleware import (
    HttpMiddleware,
    Receive,
    Scope,
    Send,
    _header,
    _read_body,
    _replay_receive,
    send_problem_body,
)
from .problems import problem_body, scope_language

DEFAULT_MAX_LENGTH = 1_000
# the fields whose text may have several lines, wherever they occur, and their bounds
# ("text" holds a version of the terms too: portal/terms.py's TEXT_MAX; every route bounds
# its own fields more closely)
MULTILINE = {"body": 20_000, "text": 100_000, "changes": 5_000, "reason": 2_000}
# one-line fields allowed more than the default
LONGER = dict.fromkeys(("password", "new_password", "old_password", "password_repeat"), 1_024)
MAX_NUMBER_DIGITS = 18  # no field takes more; int() of thousands of digits is slow or fails
MAX_DEPTH = 16  # no model nests deeper
MAX_ERRORS = 20
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class _Refused:
    """What the JSON parser hands back instead of a number it must not build."""

    code: str


def _bounded(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def number(text: str) -> Any:
        if len(_DIGITS.findall(text)) > MAX_NUMBER_DIGITS:
            return _Refused("too_large")
        return convert(text)

    return number


def _constant(text: str) -> Any:
    return _Refused("invalid_number")  # NaN, Infinity: not JSON, though Python reads them


def _error(field: str, code: str, **params: object) -> FieldError:
    return FieldError(field, code, params=params_of(params))


def text_error(field: str, value: str) -> FieldError | None:
    """The problem of one string in the field named `field` (its last part decides)."""
    name = field.rsplit(".", 1)[-1]
    bound = MULTILINE.get(name) or LONGER.get(name, DEFAULT_MAX_LENGTH)
    return checked_text(field, value, max_length=bound, multiline=name in MULTILINE)


def _json_errors(document: Any) -> Iterator[FieldError]:
    """Every refused string, key or number of a decoded body, named by its path."""
    pending: list[tuple[str, Any, int]] = [("", document, 0)]
    while pending:
        path, value, depth = pending.pop()
        field = path or "body"
        if depth > MAX_DEPTH:
            yield _error("body", "too_deep")
            return
        if isinstance(value, str):
            if (problem := text_error(field, value)) is not None:
                yield problem
        elif isinstance(value, _Refused):
            limit = {"max": str(MAX_NUMBER_DIGITS)} if value.code == "too_large" else {}
            yield _error(field, value.code, **limit)
        elif isinstance(value, dict):
            items = list(value.items())
            for key, item in reversed(items):
                named = visible(key[:100], multiline=False)
                child = f"{path}.{named}" if path else named
                if (problem := text_error(child, key)) is not None:
                    yield problem
                pending.append((child, item, depth + 1))
        elif isinstance(value, list):
            for index in reversed(range(len(value))):
                pending.append((f"{path}.{index}" if path else str(index), value[index], depth + 1))


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return True  # FastAPI reads a body without a content type as JSON
    mime = MimeMessage()
    mime["content-type"] = content_type
    subtype = mime.get_content_subtype()
    return mime.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def body_errors(body: bytes) -> list[FieldError]:
    if not body:
        return []
    try:
        document = json.loads(
            body.decode(),
            parse_int=_bounded(int),
            parse_float=_bounded(float),
            parse_constant=_constant,
        )
    except RecursionError:
        return [_error("body", "too_deep")]
    except ValueError:  # not UTF-8, or not JSON: said the same way FastAPI would
        return [_error("body", "invalid_json")]
    return list(islice(_json_errors(document), MAX_ERRORS))  # a body of 10 000 bad strings


def _pairs_errors(pairs: Iterable[tuple[str, str]]) -> Iterator[FieldError]:
    for key, value in pairs:
        named = visible(key[:100], multiline=False) or "query"  # `?=x`: a parameter unnamed
        problem = text_error(named, key) or text_error(named, value)
        if problem is not None:
            yield problem


async def path_checked(request: Request) -> None:
    """A dependency of every route: its path parameters (known once a route matched)."""
    errors = list(_pairs_errors((k, str(v)) for k, v in request.path_params.items()))
    if errors:
        raise ValidationFailed(errors[:MAX_ERRORS])


def request_errors(scope: Scope, body: bytes | None) -> list[FieldError]:
    """Everything wrong with the strings of one request (no more than MAX_ERRORS)."""
    query = scope.get("query_string", b"").decode("latin-1")
    found = list(_pairs_errors(parse_qsl(query, keep_blank_values=True)))
    key = _header(scope, b"idempotency-key")
    if key is not None:
        found += _pairs_errors([("Idempotency-Key", key)])
    if body is not None:
        found += body_errors(body)
    return found[:MAX_ERRORS]


_JSON_STARTS = (b"{", b"[", b'"')


class InputCheck(HttpMiddleware):
    """Refuse with 422 a request any of whose strings breaks the rule (see the module)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        body: bytes | None = None
        content_type = _header(scope, b"content-type")
        if scope.get("method") not in ("GET", "HEAD") and _is_json(content_type):
            body = await _read_body(receive)
        if content_type is None and body is not None and body.lstrip()[:1] not in _JSON_STARTS:
            # raw bytes sent without a type (a scan): the route reads them as bytes, and a
            # route that wants JSON refuses them itself (invalid_json)
            errors = request_errors(scope, None)
        else:
            errors = request_errors(scope, body)
        if errors:
            await send_problem_body(
                send, problem_body(ValidationFailed(errors), scope_language(scope))
            )
            return
        await self.app(scope, receive if body is None else _replay_receive(body), send)
