"""Responses: JSON encoded by msgspec (the domain dataclasses as they are: integer grosze,
Decimal as strings, ISO dates), PDFs and other files."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

import msgspec
from fastapi import Response

from ..portal.answers import Answer
from ..portal.scans import base_name
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


def stored(answer: Answer) -> Response:
    """An answer whose JSON and ETag the portal keeps: sent as they are (ETags sees the
    ETag and neither buffers nor hashes the body)."""
    return Response(answer.body, media_type="application/json", headers={"etag": answer.etag})


def no_content() -> Response:
    return Response(status_code=204)


# what a stored file may be served as; anything else goes out as opaque bytes
SERVED_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "application/zip"})
OCTETS = "application/octet-stream"


def file_response(content: bytes, media_type: str, filename: str) -> Response:
    """A file to save, never to render: `attachment` with a safe name, `nosniff`, and
    a type from the short list (a stored type outside it is served as bytes)."""
    return Response(
        content,
        media_type=media_type if media_type in SERVED_TYPES else OCTETS,
        headers={
            "Content-Disposition": attachment(filename),
            "X-Content-Type-Options": "nosniff",
        },
    )


def attachment(filename: str) -> str:
    """`Content-Disposition: attachment` (RFC 6266): an ASCII `filename` fallback with
    nothing that could end the quoted string or the header, and the real name as
    `filename*` (RFC 5987). Control and bidi characters and path separators are dropped."""
    name = base_name(filename) or "plik"
    fallback = "".join(
        c if c.isascii() and (c.isalnum() or c in " ._-()") else "_"
        for c in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(c)
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def binary(*media_types: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "Plik",
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types},
        }
    }
