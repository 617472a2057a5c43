"""Reading the exchange files: one JSON object a line, decoded strictly (a key twice in
one object, a number of more digits than any field takes, NaN, a line past the bound are
each a problem of that line), and where each record came from."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from .records import MAX_LINE

MAX_DIGITS = 18


@dataclass(frozen=True)
class Source:
    """One file of records: its name (as reported) and a way to read it from the start."""

    name: str
    open: Callable[[], IO[bytes]]
    size: int


@dataclass(frozen=True)
class Problem:
    """One bad record: where it is, which field, and the reason as a code with params."""

    file: str
    line: int
    field: str
    code: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "params": self.params,
        }


class LineRefused(ValueError):
    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise LineRefused("duplicate_key", key=key[:60])
        found[key] = value
    return found


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise LineRefused("number_too_large", max=str(MAX_DIGITS))
    return int(text)


def _real(text: str) -> float:
    raise LineRefused("not_integer")  # no field of the format takes a fraction as a number


def _constant(text: str) -> Any:
    raise LineRefused("invalid_number")


_decoder = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_int=_integer, parse_float=_real, parse_constant=_constant
)


def records(
    source: Source, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[int, dict[str, Any] | LineRefused]]:
    """Each non-empty line's number and its object, or why it is not one."""
    with source.open() as stream:
        number = 0
        while True:
            raw = stream.readline(MAX_LINE + 1)
            if not raw:
                return
            number += 1
            if progress is not None:
                progress(len(raw))
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line, unread
                    raw = stream.readline(MAX_LINE)
                    if progress is not None:
                        progress(len(raw))
                yield number, LineRefused("line_too_long", max=str(MAX_LINE))
                continue
            if not raw.strip():
                continue
            yield number, _decoded(raw)


def _decoded(raw: bytes) -> dict[str, Any] | LineRefused:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return LineRefused("not_utf8")
    try:
        value = _decoder.decode(text.strip())
    except LineRefused as refused:
        return refused
    except RecursionError:
        return LineRefused("too_deep")
    except ValueError:
        return LineRefused("invalid_json")
    if not isinstance(value, dict):
        return LineRefused("not_object")
    return value
