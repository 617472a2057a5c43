"""The backend's refusals are codes with parameters, worded by one table (i18n/problems.py).

The source of the portal and the server is read: no error they raise carries a sentence, and
every code raised anywhere below the console (the portal, the server, the domain's rules) is in
the table, which has English for each message and keeps its parameters.
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
    IbokError,
    LoginFailed,
    NotFound,
    ValidationFailed,
)
from ibok_tui.domain.passwords import PasswordPolicy, password_errors
from ibok_tui.i18n import set_language, translations
from ibok_tui.i18n.problems import MESSAGES, Plural, error_text, field_text, known, render

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"
PORTAL_AND_SERVER = sorted(
    path for folder in ("portal", "server") for path in (PACKAGE / folder).glob("*.py")
)
SOURCES = sorted([*PORTAL_AND_SERVER, *(PACKAGE / "domain").glob("*.py")])
KIND_NAMES = {cls.__name__: cls for cls in ERROR_KINDS.values()}


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def _calls(paths: list[Path]) -> Iterator[tuple[str, ast.Call]]:
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", node


def _error_classes() -> dict[str, type[IbokError]]:
    """The error kinds and the server's and the portal's own subclasses of them."""
    import ibok_tui.portal.auth as auth
    import ibok_tui.portal.hashing as hashing
    import ibok_tui.server.limits as limits

    found = dict(KIND_NAMES)
    for module in (auth, hashing, limits):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, IbokError):
                found[name] = value
    return found


def raised_codes() -> dict[tuple[str, str], str]:
    """(field, code) of every error and field error raised below the console, with where."""
    classes = _error_classes()
    found: dict[tuple[str, str], str] = {}
    for where, node in _calls(SOURCES):
        name = _callee(node)
        args = node.args
        if name in classes:
            given = _keyword(node, "code")  # a name, not a literal: its callers are read
            code = _literal(given) or (classes[name].code if given is None else None)
            if code and not issubclass(classes[name], ValidationFailed):
                found.setdefault(("", code), where)
        elif (name == "FieldError" and len(args) >= 2 and (code := _literal(args[1]))) or (
            name in ("single", "_error") and len(args) >= 2 and (code := _literal(args[1]))
        ):
            found.setdefault((_literal(args[0]) or "", code), where)
        elif name == "_missing_or_conflict" and len(args) >= 2 and (code := _literal(args[1])):
            found.setdefault(("", code), where)
        elif name == "ReadingInputError" and args and (code := _literal(args[0])):
            found.setdefault(("value", code), where)
        elif name == "send_problem" and len(args) >= 3 and (code := _literal(args[2])):
            found.setdefault((_literal(_keyword(node, "field")) or "", code), where)
    return found


def test_the_collector_finds_the_codes() -> None:
    found = raised_codes()
    assert len(found) > 60
    assert ("", "invoice_not_found") in found  # code=
    assert ("", "session_expired") in found  # a class's own code
    assert ("filename", "too_long") in found  # ValidationFailed.single
    assert ("", "not_blocked") in found  # through the clerk's helper
    assert ("value", "not_a_number") in found  # the domain's reading rules
    assert ("Idempotency-Key", "idempotency_key_reused") in found  # the server's door


def test_every_raised_code_is_worded() -> None:
    unworded = {
        f"{field}.{code}" if field else code: where
        for (field, code), where in raised_codes().items()
        if not known(code, field)
    }
    assert unworded == {}


def test_the_portal_and_the_server_raise_no_sentences() -> None:
    """Codes down: no message text passed to an error (nor a field error) in the portal
    and the server; the catalogue words them."""
    classes = _error_classes()
    sentences = {}
    for where, node in _calls(PORTAL_AND_SERVER):
        name = _callee(node)
        at = {"FieldError": 2, "single": 2, "send_problem": 3}.get(name)
        if name in classes:
            at = 0
        if at is None:
            continue
        message = _keyword(node, "message") or (node.args[at] if len(node.args) > at else None)
        if message is not None and isinstance(message, ast.Constant | ast.JoinedStr):
            sentences[where] = ast.unparse(message)
    assert sentences == {}


def _names(text: str) -> set[str]:
    return {name for _t, name, _f, _c in string.Formatter().parse(text) if name}


def test_every_message_has_english_with_its_parameters() -> None:
    english = translations("en")
    for key, message in MESSAGES.items():
        if isinstance(message, Plural):
            pairs = [
                (message.singular, english.ngettext(message.singular, message.plural, 1)),
                (message.plural, english.ngettext(message.singular, message.plural, 5)),
            ]
        else:
            pairs = [(message, english.gettext(message))]
        for polish, translated in pairs:
            assert translated != polish, key
            assert _names(translated) <= _names(polish), key


def test_polish_stays_polish() -> None:
    assert error_text(NotFound(code="invoice_not_found")) == "Nie znaleziono faktury."


def test_the_server_and_the_console_word_one_code_alike(english: None) -> None:
    """`render` with a language is what the server's detail uses; the console's language
    is what the screens use: the same words."""
    error = NotFound(code="invoice_not_found")
    assert error_text(error) == render("invoice_not_found", language="en") == "Invoice not found."
    assert render("invoice_not_found", language="pl") == "Nie znaleziono faktury."


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


def test_a_size_in_bytes_is_shown_in_megabytes() -> None:
    too_large = FieldError("content", "too_large", params={"limit": 10 * 1024 * 1024})
    assert field_text(too_large) == "Plik jest za duży (najwięcej 10 MB)."
    half = FieldError("content", "scan_bytes_limit", params={"limit": 5 * 1024 * 1024 // 2})
    assert "więcej niż 2,5 MB:" in field_text(half)


@pytest.mark.parametrize("length", [1, 2, 5, 10, 12, 22, 25])
def test_password_rules_in_english_for_any_length(english: None, length: int) -> None:
    policy = PasswordPolicy(min_length=length, max_length=max(length, 30))
    [error, *_rest] = password_errors(policy, "")
    noun = "character" if length == 1 else "characters"
    assert field_text(error) == f"The password must be at least {length} {noun} long."


@pytest.mark.parametrize(
    ("length", "polish"), [(1, "1 znak"), (3, "3 znaki"), (12, "12 znaków"), (22, "22 znaki")]
)
def test_password_rules_in_polish_agree_with_the_number(length: int, polish: str) -> None:
    policy = PasswordPolicy(min_length=1, max_length=length)
    [error] = password_errors(policy, "Ab1!" * 10)
    assert field_text(error) == f"Hasło może mieć najwyżej {polish}."


def test_validation_failed_is_shown_field_by_field(english: None) -> None:
    error = ValidationFailed([FieldError("subject", "required"), FieldError("reason", "required")])
    assert error_text(error) == "Enter the subject of the request.\nGive a reason."


def test_unknown_code_is_shown_with_the_text_that_came(english: None) -> None:
    assert error_text(LoginFailed("Coś zupełnie nowego.", code="new")) == "Coś zupełnie nowego."
    unexpected = error_text(RuntimeError("boom: FV/2026/0001"))  # its text may hold anything
    assert "boom" not in unexpected and unexpected.startswith("This could not be done")


def test_every_audit_action_is_worded_in_both_languages() -> None:
    """The audit log shows actions in words, never their codes (it once showed
    `import_reading` as it was stored: the table said `import_readings`)."""
    from ibok_tui.domain.models import AuditAction
    from ibok_tui.i18n import enum_labels
    from ibok_tui.screens.clerk.audit import action_label

    polish = dict(enum_labels(AuditAction))
    assert all(text != action.value for action, text in polish.items())
    assert action_label("import_reading") == "import odczytu"
    set_language("en")
    try:
        english = dict(enum_labels(AuditAction))
    finally:
        set_language("pl")
    assert all(english[action] != polish[action] for action in AuditAction)
