"""The backend's messages in the console's language.

The portal, the server and the HTTP client write their messages in Polish (they travel
as `message` and `detail` of problem+json); the console shows them through this module,
which in English looks each one up in `PROBLEMS_EN`: exactly, or by a template whose
fields take the numbers and dates of the message (rewritten the English way). A message
the catalogue does not know is shown as it came.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from datetime import date
from functools import cache

from ..domain.errors import FieldError, IbokError, ValidationFailed
from . import _, day, get_language

_POLISH_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_POLISH_NUMBER = re.compile(r"-?\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?|-?\d+(?:,\d+)?")


def _catalogue() -> dict[str, str]:
    from .problems_en import PROBLEMS_EN

    return PROBLEMS_EN


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """The catalogue's templates as patterns, the most literal text first."""
    found = []
    for polish, english in _catalogue().items():
        pieces = list(string.Formatter().parse(polish))
        if not any(name for _text, name, _spec, _conv in pieces):
            continue
        pattern = "".join(
            re.escape(text) + (f"(?P<{name}>.+?)" if name else "")
            for text, name, _spec, _conv in pieces
        )
        literal = sum(len(text) for text, *_rest in pieces)
        found.append((literal, re.compile(pattern, re.DOTALL), english))
    found.sort(key=lambda item: -item[0])
    return [(pattern, english) for _literal, pattern, english in found]


def problem_text(message: str) -> str:
    """`message` (Polish, from the backend) in the console's language."""
    if get_language() == "pl" or not message:
        return message
    catalogue = _catalogue()
    if message in catalogue:
        return catalogue[message]
    for pattern, english in _templates():
        if found := pattern.fullmatch(message):
            values = {name: _english_value(value) for name, value in found.groupdict().items()}
            return english.format(**values)
    return message


def _english_value(text: str) -> str:
    """A date or a number taken from a Polish message, written the English way:
    `20.10.2026` as the console writes dates, `1 234,567` as `1,234.567`."""
    if found := _POLISH_DATE.fullmatch(text):
        return day(date(int(found[3]), int(found[2]), int(found[1])))
    if _POLISH_NUMBER.fullmatch(text):
        whole, _comma, fraction = text.partition(",")
        whole = whole.replace(" ", ",").replace("\u00a0", ",")
        return f"{whole}.{fraction}" if fraction else whole
    return text


def field_text(error: FieldError) -> str:
    """One field's problem in the console's language."""
    return problem_text(error.message)


def fields_text(errors: Iterable[FieldError]) -> str:
    """Every field's problem, one a line."""
    return "\n".join(field_text(e) for e in errors)


def error_text(error: BaseException) -> str:
    """What to tell the user about `error`: the backend's message in the console's
    language; a validation failure as its fields' problems, one a line."""
    if isinstance(error, ValidationFailed) and error.errors:
        built = "; ".join(f"{e.field}: {e.message}" for e in error.errors)
        if error.message in (built, ""):
            return fields_text(error.errors)
    if isinstance(error, IbokError):
        return problem_text(error.message)
    return unexpected_text(error)


def unexpected_text(error: BaseException) -> str:
    """What to tell the user about a failure that is none of the backend's errors (a bug,
    or a backend that broke its contract): what happened and what to do, without the
    exception's own text, which may hold anything (the dialog's details name its type)."""
    if isinstance(error, TimeoutError):
        return _("Serwer nie odpowiedział na czas. Spróbuj ponownie za chwilę.")
    if isinstance(error, ConnectionError):
        return _("Połączenie z serwerem zostało przerwane. Spróbuj ponownie za chwilę.")
    return _(
        "Tej czynności nie udało się wykonać z powodu błędu w konsoli. Spróbuj ponownie; "
        "jeśli to się powtarza, zgłoś to wodociągom (z nazwą błędu ze szczegółów)."
    )


__all__ = ["error_text", "field_text", "fields_text", "problem_text", "unexpected_text"]
