"""Errors as `application/problem+json` (RFC 9457).

Every `IbokError` becomes a problem whose `type` names its class (so the HTTP backend
raises the same class again), whose `code` is the error's stable code and whose `params` are
its numbers, dates (ISO) and names. `detail` is the catalogue's wording of the code and the
params (i18n/problems.py), in Polish, or in English for a request with `Accept-Language: en`;
a client in another language words the code itself. Validation problems carry per-field
`errors`, each with its `code`, `params` and worded `message`; failed sign-ins carry the
`captcha` to show and, for a locked account, `locked_until`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from ..domain import errors as e
from ..i18n import LANGUAGES, N_, translated
from ..i18n.problems import field_text, problem_text

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:ibok:problem:"

KINDS = e.ERROR_KINDS
TITLES = {
    "error": N_("Błąd serwera"),
    "authentication_required": N_("Wymagane logowanie"),
    "session_expired": N_("Sesja wygasła"),
    "login_failed": N_("Logowanie nieudane"),
    "captcha_required": N_("Wymagane zadanie potwierdzające"),
    "account_locked": N_("Konto czasowo zablokowane"),
    "password_change_required": N_("Wymagana zmiana hasła"),
    "forbidden": N_("Brak dostępu"),
    "terms_acceptance_required": N_("Wymagana akceptacja regulaminu"),
    "not_found": N_("Nie znaleziono"),
    "validation_failed": N_("Nieprawidłowe dane"),
    "needs_confirmation": N_("Wymagane potwierdzenie"),
    "conflict": N_("Konflikt"),
    "rate_limited": N_("Zbyt wiele żądań"),
    "unavailable": N_("Usługa niedostępna"),
    "payload_too_large": N_("Za duże żądanie"),
    "method_not_allowed": N_("Niedozwolona metoda"),
}


class FieldProblem(BaseModel):
    field: str
    code: str = Field(description="stable, machine-readable code of this field's problem")
    message: str = Field(description="the code and params in words (see the problem's detail)")
    params: dict[str, str] = Field(
        default_factory=dict,
        description='the problem\'s numbers, dates (ISO 8601) and names, as text: {"max": "200"}',
    )


class CaptchaModel(BaseModel):
    """A proof of work: find a nonce (decimal digits) so that sha256(challenge + nonce)
    starts with `difficulty` zero bits; send it as `captcha_answer` with `captcha_id`."""

    id: str
    challenge: str
    difficulty: int


class Problem(BaseModel):
    """RFC 9457 problem details with the iBOK's extensions."""

    type: str = Field(description="urn:ibok:problem:<kind>; the kind names the error class")
    title: str
    status: int
    detail: str = Field(
        description="the code and params in words: Polish, or English for Accept-Language: en"
    )
    code: str = Field(description="stable, machine-readable code of this error")
    params: dict[str, str] = Field(
        default_factory=dict,
        description='the error\'s numbers, dates (ISO 8601) and names, as text: {"seconds": "30"}',
    )
    errors: list[FieldProblem] | None = None
    captcha: CaptchaModel | None = None
    locked_until: datetime | None = None
    retry_after: int | None = None


def kind_of(error: e.IbokError) -> str:
    """The code of the nearest class in KINDS (the error's own code may be more specific)."""
    return error.kind


def language_of(request: Any) -> str:
    """The language a request asks for (`Accept-Language`, its first known one), else Polish."""
    return accepted_language(request.headers.get("accept-language", "") if request else "")


def scope_language(scope: Any) -> str:
    """`language_of` for an ASGI scope: what a middleware answers in before any route."""
    for key, value in scope.get("headers", ()):
        if bytes(key).lower() == b"accept-language":
            return accepted_language(bytes(value).decode("latin-1"))
    return "pl"


def accepted_language(header: str) -> str:
    """The first language of an `Accept-Language` header that the catalogue has, else Polish."""
    for part in header.split(","):
        tag = part.split(";", 1)[0].strip().lower().split("-", 1)[0]  # "en-GB": "en"
        if tag in LANGUAGES:
            return tag
    return "pl"


def problem_body(error: e.IbokError, language: str = "pl") -> dict[str, Any]:
    kind = kind_of(error)
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind,
        "title": translated(TITLES.get(kind, TITLES["error"]), language),
        "status": error.status,
        "detail": problem_text(error, language),
        "code": error.code,
        "params": dict(error.params),
    }
    if isinstance(error, e.ValidationFailed):
        body["errors"] = [
            {
                "field": f.field,
                "code": f.code,
                "message": field_text(f, language),
                "params": dict(f.params),
            }
            for f in error.errors
        ]
        if error.code in (e.ValidationFailed.code, e.NeedsConfirmation.code):
            body["detail"] = "; ".join(f"{f['field']}: {f['message']}" for f in body["errors"])
    if isinstance(error, e.LoginFailed):
        if error.captcha is not None:
            body["captcha"] = {
                "id": error.captcha.id,
                "challenge": error.captcha.challenge,
                "difficulty": error.captcha.difficulty,
            }
        if error.locked_until is not None:
            body["locked_until"] = error.locked_until.isoformat()
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int):
        body["retry_after"] = retry_after
    return body


def plain_problem(
    status: int,
    code: str,
    detail: str,
    *,
    kind: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    params: dict[str, str] | None = None,
    language: str = "pl",
) -> dict[str, Any]:
    """A problem raised outside the service (no route, wrong method, body too large), its
    `detail` already worded in `language`."""
    kind = kind or (code if code in KINDS else "error")
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + kind,
        "title": translated(TITLES.get(code, TITLES.get(kind, TITLES["error"])), language),
        "status": status,
        "detail": detail,
        "code": code,
        "params": dict(params or {}),
    }
    if errors is not None:
        body["errors"] = errors
    return body


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, all problem+json."""
    described = {
        400: "Nieprawidłowe żądanie",
        401: "Brak sesji, sesja wygasła albo logowanie nieudane (z captcha)",
        403: "Brak uprawnień do tej operacji",
        404: "Nie znaleziono (także cudzych danych)",
        409: "Stan nie pozwala na tę operację",
        413: "Za duże żądanie",
        422: "Nieprawidłowe dane: błędy przy polach",
        423: "Konto czasowo zablokowane (locked_until)",
        429: "Zbyt wiele żądań (Retry-After)",
        500: "Błąd serwera",
    }
    return {
        status: {
            "model": Problem,
            "description": described.get(status, "Błąd"),
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
