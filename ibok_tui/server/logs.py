"""The server's log: one line per record, whatever a client put in the values it holds.

A request can carry CR, LF, ESC and the rest into anything the server logs about it (its
path above all), and a raw line break forges a line of the log, an ESC steers the
terminal of whoever reads it. So every record is written as one line: in the text format
each character `domain.text` refuses is written as an escape (`\\x1b`, `\\u202e`); in the
JSON-lines format (`ibok serve --log-format json`) each record is one JSON object, whose
encoding escapes them anyway. Paths are logged as sent (still percent-encoded), query
strings never.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from ..domain.text import unsafe_character

FORMATS = ("text", "json")
# what a path may keep as it is: RFC 3986's unreserved and sub-delims, ':', '@', '/', '%'
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_MAX_RECORD = 20_000  # a record longer than this is cut (a traceback of a deep recursion)


def escaped(text: str) -> str:
    """`text` with every character the rule refuses (tab and newline too) as an escape."""
    text = text.replace("\\", "\\\\")  # so that no escape can be typed in
    while (found := unsafe_character(text)) is not None:
        code = ord(found)
        text = text.replace(found, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return text


def logged_path(scope: dict[str, Any] | Any) -> str:
    """The request's path as the client sent it, each byte outside printable ASCII (and
    space, quotes, backslash) percent-encoded: the same bytes give the same line."""
    raw = scope.get("raw_path")
    if isinstance(raw, bytes):
        return quote(raw.partition(b"?")[0], safe=_PATH_SAFE)
    return quote(str(scope.get("path", "-")), safe=_PATH_SAFE, errors="backslashreplace")


class TextFormatter(logging.Formatter):
    """`time logger message`, the whole record (a traceback too) on one escaped line."""

    def __init__(self) -> None:
        super().__init__(fmt="%(asctime)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return escaped(super().format(record)[:_MAX_RECORD])


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and the record's fields
    (an access record's method, path, status, duration_ms and client)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage()[:_MAX_RECORD],
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry |= fields
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)[:_MAX_RECORD]
        return json.dumps(entry, ensure_ascii=True, default=str)


def configure(log_format: str = "text") -> None:
    """The root handler for the server's process: every logger (uvicorn's too) writes
    through it to stderr, in the chosen format; the project's loggers at INFO."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("ibok").setLevel(logging.INFO)  # the access log; libraries stay quiet
