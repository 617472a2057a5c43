"""The log's escaping: one line whatever the text, and no escape a client can type in."""

from __future__ import annotations

import json
import logging

from ibok_tui.server.logs import JsonFormatter, TextFormatter, escaped, logged_path


def test_escaped_leaves_one_line_of_printable_text() -> None:
    hostile = "a\r\nb\x1b[2J\x9b\u202e\ud800\tc"
    assert escaped(hostile) == "a\\x0d\\x0ab\\x1b[2J\\x9b\\u202e\\ud800\\x09c"
    assert escaped("Zażółć gęślą jaźń") == "Zażółć gęślą jaźń"
    # a typed backslash is doubled, so "\x1b" typed in is not read as an ESC escape
    assert escaped("\\x1b") == "\\\\x1b"


def test_the_logged_path_is_the_raw_one_percent_encoded() -> None:
    scope = {"raw_path": b"/api/v1/me/%0D%0Ax", "path": "/api/v1/me/\r\nx"}
    assert logged_path(scope) == "/api/v1/me/%0D%0Ax"
    assert logged_path({"path": "/a\x1b b\ud800"}) == "/a%1B%20b%5Cud800"


def _record(message: str, *args: object, **fields: object) -> logging.LogRecord:
    record = logging.LogRecord("ibok.access", logging.INFO, __file__, 1, message, args, None)
    if fields:
        record.fields = fields
    return record


def test_both_formats_write_one_line_a_record() -> None:
    record = _record("line %s", "one\r\ntwo\x1b")
    text = TextFormatter().format(record)
    assert "\n" not in text and "\x1b" not in text and text.endswith("line one\\x0d\\x0atwo\\x1b")
    entry = JsonFormatter().format(_record("GET /x 200", method="GET", status=200))
    assert "\n" not in entry
    parsed = json.loads(entry)
    assert parsed["logger"] == "ibok.access" and parsed["status"] == 200
    assert parsed["method"] == "GET" and parsed["message"] == "GET /x 200"
