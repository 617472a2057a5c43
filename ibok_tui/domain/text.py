"""Untrusted text: the one rule for characters that can steer a terminal or mislead a reader.

Text that comes from a customer, a server, a file or the environment may hold characters
that a terminal obeys instead of showing (ESC and the rest of C0, DEL, C1, whose 0x9B is a
one-byte CSI), that reorder what a reader sees (the bidi embeddings, overrides and
isolates of "Trojan Source"), that break lines where no line ends (U+2028, U+2029) or that
cannot be encoded at all (lone surrogates). The server refuses them at the door
(`unsafe_character`); the console shows what still arrives with them made visible
(`visible`) and, as the last line, removes them from every frame it draws (`without_unsafe`).
Newline and tab are allowed where a text may have several lines.
"""

from __future__ import annotations

import re

from .errors import FieldError

# C0 but tab and newline, DEL, C1; bidi marks, embeddings, overrides and isolates; the
# Unicode line and paragraph separators; surrogates (only lone ones survive in a str)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_OTHER = "\u2028\u2029\ud800-\udfff"
_UNSAFE_MULTILINE = re.compile(f"[{_CONTROLS}{_BIDI}{_OTHER}]")
_UNSAFE_ONE_LINE = re.compile(f"[\t\n{_CONTROLS}{_BIDI}{_OTHER}]")

# what `visible` shows instead: the Unicode control pictures for C0 and DEL (␛ for ESC),
# and the replacement character for the rest
NAME_MAX = 200  # characters of a one-line text of no bound of its own

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
REPLACEMENT = "\ufffd"


def _picture(match: re.Match[str]) -> str:
    return _PICTURES.get(ord(match[0]), REPLACEMENT)


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of `text` that the rule refuses, or None when there is none.
    Tab and newline are refused too unless the text may have several lines."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_ONE_LINE
    found = pattern.search(text)
    return None if found is None else found[0]


def text_error(
    field: str, value: str, *, max_length: int = NAME_MAX, multiline: bool = False
) -> FieldError | None:
    """The problem of one text: a character the rule refuses (a lone surrogate, a control
    character, a bidi override; tab and newline unless `multiline`), or its length."""
    found = unsafe_character(value, multiline=multiline)
    if found is not None:
        character = codepoint(found)
        return FieldError(field, "unsafe_character", params={"character": character})
    if len(value) > max_length:
        return FieldError(field, "too_long", params={"max": str(max_length)})
    return None


def visible(text: str, *, multiline: bool = True) -> str:
    """`text` with every refused character replaced by a visible stand-in of one cell."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_ONE_LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_picture, text)


def without_unsafe(text: str) -> str:
    """`text` with every refused character removed (tab and newline stay). The terminal
    gives these characters no cell, so removing them never changes a line's width."""
    if _UNSAFE_MULTILINE.search(text) is None:
        return text
    return _UNSAFE_MULTILINE.sub("", text)


def codepoint(character: str) -> str:
    """How an error names a refused character: U+001B."""
    return f"U+{ord(character):04X}"


def json_escaped(document: str) -> str:
    """A JSON document with every refused character written as its `\\uXXXX` escape: the
    same value for a program that reads it, nothing a terminal obeys when it is printed
    (JSON encoders escape C0, but not C1, the bidi controls or the line separators)."""
    return _UNSAFE_MULTILINE.sub(lambda found: f"\\u{ord(found[0]):04x}", document)
