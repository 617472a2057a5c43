"""Responses: JSON encoded by msgspec (the domain dataclasses as they are: integer grosze,
Decimal as strings, ISO dates), PDFs and other files."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import msgspec
from fastapi import Response

from .problems import responses

# the errors most operations can answer with
AUTHED = (401, 403, 404, 422)
WRITE = (*AUTHED, 409, 413)
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Bez zmian od wersji z nagłówka If-None-Match (ETag)"}
}


def errors(*statuses: int, get: bool = False) -> dict[int | str, dict[str, Any]]:
    found = responses(*statuses)
    if get:
        found.update(NOT_MODIFIED)
    return found


def ok(data: Any, status: int = 200) -> Response:
    return Response(msgspec.json.encode(data), status_code=status, media_type="application/json")


def no_content() -> Response:
    return Response(status_code=204)


def file_response(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def binary(*media_types: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "Plik",
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types},
        }
    }
