"""Every message the backend can send (the portal, the domain's rules, the server and the
HTTP client write them in Polish) is shown in English when the console is in English.

The messages are collected from the source: the message argument of every error raised
(`IbokError` and its kinds, `FieldError`, `ReadingInputError`, problems the server sends
itself), followed through the names, dictionaries and helper functions it is built from.
An f-string becomes a sample with its values filled in, so a message built with numbers
or dates must be matched by a template of the catalogue.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from ibok_tui.domain.errors import (
    ERROR_KINDS,
    FieldError,
    LoginFailed,
    NotFound,
    ValidationFailed,
)
from ibok_tui.domain.passwords import PasswordPolicy, password_errors
from ibok_tui.i18n import set_language
from ibok_tui.i18n.problems import error_text, field_text, problem_text
from ibok_tui.i18n.problems_en import PROBLEMS_EN

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"
SOURCES = sorted(
    path
    for folder in ("portal", "domain", "server", "backends")
    for path in (PACKAGE / folder).glob("*.py")
)
# callee name -> position of its message argument
MESSAGE_AT = {name: 0 for name in (cls.__name__ for cls in ERROR_KINDS.values())}
MESSAGE_AT |= {
    "RateLimitExceeded": 0,
    "__init__": 0,  # super().__init__(message) of an error class
    "FieldError": 2,
    "single": 2,
    "ReadingInputError": 1,
    "_missing_or_conflict": 1,
    "plain_problem": 2,
    "send_problem": 3,
}
SAMPLE = "12"


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("pl")


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


class _Collector:
    """The string literals an expression can evaluate to, within one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.assigned: dict[str, list[ast.expr]] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            self.assigned.setdefault(name.id, []).append(node.value)
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
        self.seen: set[int] = set()

    def texts(self, node: ast.AST | None) -> Iterator[str]:
        if node is None or id(node) in self.seen:
            return
        self.seen.add(id(node))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(
                str(v.value) if isinstance(v, ast.Constant) else SAMPLE for v in node.values
            )
        elif isinstance(node, ast.Name):
            for value in self.assigned.get(node.id, []):
                yield from self.texts(value)
        elif isinstance(node, ast.Dict):
            for value in node.values:
                yield from self.texts(value)
        elif isinstance(node, ast.Call):
            name = _callee(node)
            if isinstance(node.func, ast.Name) and name in self.functions:
                for inner in ast.walk(self.functions[name]):
                    if isinstance(inner, ast.Return):
                        yield from self.texts(inner.value)
            elif isinstance(node.func, ast.Attribute):
                yield from self.texts(node.func.value)
            for arg in node.args:
                yield from self.texts(arg)
        elif isinstance(node, ast.IfExp):
            yield from self.texts(node.body)
            yield from self.texts(node.orelse)
        elif isinstance(node, ast.Tuple | ast.List):
            for element in node.elts:
                yield from self.texts(element)
        elif isinstance(node, ast.Subscript):
            yield from self.texts(node.value)


def _message_argument(node: ast.Call) -> ast.expr | None:
    position = MESSAGE_AT.get(_callee(node))
    if position is None:
        return None
    for keyword in node.keywords:
        if keyword.arg in ("message", "detail"):
            return keyword.value
    return node.args[position] if len(node.args) > position else None


def _is_sentence(text: str) -> bool:
    return " " in text.strip() and any(c.isalpha() for c in text)


def backend_messages() -> dict[str, str]:
    """Every message the backend code can raise, by message, with where it was found."""
    found: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        collector = _Collector(tree)
        for node in ast.walk(tree):
            texts: list[str] = []
            if isinstance(node, ast.Call):
                texts = list(collector.texts(_message_argument(node)))
            elif isinstance(node, ast.FunctionDef):  # a default message of an error class
                arguments = node.args.args[-len(node.args.defaults) :] if node.args.defaults else []
                kw = list(zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True))
                for arg, default in [*zip(arguments, node.args.defaults, strict=True), *kw]:
                    if arg.arg == "message" and default is not None:
                        texts += collector.texts(default)
            for text in texts:
                if _is_sentence(text):
                    found.setdefault(text, f"{path.relative_to(PACKAGE)}:{node.lineno}")  # type: ignore[attr-defined]
    from ibok_tui.server.problems import TITLES

    for title in TITLES.values():
        found.setdefault(title, "server/problems.py: TITLES")
    return found


def test_the_collector_finds_the_backends_messages() -> None:
    found = backend_messages()
    assert len(found) > 80
    # one of each way of building a message
    assert "Nie znaleziono faktury." in found  # a literal
    assert "Nieprawidłowy kod nabywcy lub hasło." in found  # a default argument
    assert "Wpisz stan licznika." in found  # a dictionary behind a name
    assert f"Hasło musi mieć co najmniej {SAMPLE} {SAMPLE}." in found  # a helper's f-string
    assert f"Zbyt wiele prób. Spróbuj ponownie za {SAMPLE} s." in found  # super().__init__
    assert "To pole jest wymagane." in found  # a conditional expression


def test_every_backend_message_has_english(english: None) -> None:
    untranslated = {
        text: where for text, where in backend_messages().items() if problem_text(text) == text
    }
    assert untranslated == {}


def test_catalogue_templates_keep_their_parameters() -> None:
    for polish, english in PROBLEMS_EN.items():
        names = [n for _t, n, _f, _c in string.Formatter().parse(english) if n]
        assert set(names) <= {n for _t, n, _f, _c in string.Formatter().parse(polish) if n}
        assert english and english != polish, polish


def test_polish_stays_polish() -> None:
    error = NotFound("Nie znaleziono faktury.")
    assert error_text(error) == "Nie znaleziono faktury."


def test_numbers_and_dates_are_written_the_english_way(english: None) -> None:
    from datetime import date

    from ibok_tui.domain.models import Reading, ReadingStatus, ReadingType
    from ibok_tui.domain.readings import check_reading

    last = Reading(
        id="R-1",
        meter_id="M-1",
        read_on=date(2026, 10, 20),
        index=1234567,
        consumption=None,
        type=ReadingType.SELF,
        status=ReadingStatus.ACCEPTED,
    )
    verdict = check_reading(1000, date(2026, 10, 1), [last], today=date(2026, 11, 21))
    texts = [field_text(e) for e in [*verdict.errors, *verdict.confirmations]]
    assert "The reading date cannot be earlier than the last reading (20/10/2026)." in texts
    assert any("(1,234.567 m³)" in text for text in texts), texts


@pytest.mark.parametrize("length", [1, 2, 5, 10, 12, 22, 25])
def test_password_rules_in_english_for_any_length(english: None, length: int) -> None:
    policy = PasswordPolicy(min_length=length, max_length=max(length, 30))
    [error, *_rest] = password_errors(policy, "")
    assert field_text(error) == f"The password must be at least {length} characters long."


def test_validation_failed_is_shown_field_by_field(english: None) -> None:
    error = ValidationFailed(
        [
            FieldError("subject", "required", "Podaj temat zgłoszenia."),
            FieldError("body", "required", "Opisz sprawę."),
        ]
    )
    assert error_text(error) == "Enter the subject of the request.\nDescribe the matter."


def test_unknown_text_is_shown_as_it_came(english: None) -> None:
    assert error_text(LoginFailed("Coś zupełnie nowego.")) == "Coś zupełnie nowego."
    unexpected = error_text(RuntimeError("boom: FV/2026/0001"))  # its text may hold anything
    assert "boom" not in unexpected and unexpected.startswith("This could not be done")
