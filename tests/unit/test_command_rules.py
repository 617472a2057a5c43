"""The commands' small rules: one table of exit statuses (the README's the same), every
backend error mapped to one, JSON that a terminal cannot obey, a request's body file."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from ibok_tui.commands.doing import MAX_BODY_FILE, read_body
from ibok_tui.commands.exits import MEANINGS, Exit, UsageError, exit_for
from ibok_tui.domain import errors as e
from ibok_tui.domain.text import json_escaped, unsafe_character

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    e.IbokError: Exit.REFUSED,
    e.AuthenticationRequired: Exit.AUTHENTICATION,
    e.SessionExpired: Exit.AUTHENTICATION,
    e.LoginFailed: Exit.AUTHENTICATION,
    e.CaptchaRequired: Exit.AUTHENTICATION,
    e.AccountLocked: Exit.AUTHENTICATION,
    e.PasswordChangeRequired: Exit.AUTHENTICATION,
    e.TermsAcceptanceRequired: Exit.AUTHENTICATION,
    e.Forbidden: Exit.REFUSED,
    e.NotFound: Exit.NOT_FOUND,
    e.ValidationFailed: Exit.VALIDATION,
    e.NeedsConfirmation: Exit.VALIDATION,
    e.Conflict: Exit.CONFLICT,
    e.RateLimited: Exit.UNAVAILABLE,
    e.Unavailable: Exit.UNAVAILABLE,
}


def test_every_error_kind_has_its_documented_status() -> None:
    assert set(EXPECTED) == set(e.ERROR_KINDS.values())
    for kind, status in EXPECTED.items():
        error = kind([]) if issubclass(kind, e.ValidationFailed) else kind()
        assert exit_for(error) is status, kind
    assert exit_for(UsageError("x")) is Exit.USAGE
    assert exit_for(RuntimeError("a bug")) is Exit.REFUSED


def test_the_readme_table_is_the_code_table() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Scripts and home dashboards", 1)[1].split("\n## ", 1)[0]
    rows = {int(n): meaning for n, meaning in re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M)}
    assert set(rows) == {int(status) for status in Exit} == {int(s) for s in MEANINGS}
    assert rows[3].startswith("authentication") and rows[6].startswith("unavailable")


@pytest.mark.parametrize("bad", ["\x9b2J", "\u202e", "\u2028", "\x1b]0;x\x07", "\x85", "\u2066"])
def test_json_escaped_keeps_the_value_and_nothing_a_terminal_obeys(bad: str) -> None:
    document = json.dumps({"title": f"a{bad}b", "n": [1, "ż"]}, ensure_ascii=False)
    escaped = json_escaped(document)
    assert json.loads(escaped) == json.loads(document)
    assert unsafe_character(escaped, multiline=True) is None


def args(**given: object) -> argparse.Namespace:
    return argparse.Namespace(**given)


def test_a_body_file_too_big_not_text_or_missing_is_a_usage_error(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BODY_FILE + 1))
    latin = tmp_path / "latin.txt"
    latin.write_bytes("zażółć".encode("iso8859_2"))
    for path in (big, latin, tmp_path / "missing.txt"):
        with pytest.raises(UsageError):
            read_body(path, args())
    with pytest.raises(UsageError, match="password-stdin"):
        read_body(Path("-"), args(password_stdin=True))
    fine = tmp_path / "fine.txt"
    fine.write_text("Wyciek pod zlewem\n", encoding="utf-8")
    assert read_body(fine, args()) == "Wyciek pod zlewem\n"


def test_the_names_that_build_only_the_commands_are_the_commands_registered() -> None:
    from ibok_tui.cli import build_parser
    from ibok_tui.commands.registry import COMMAND_NAMES

    parser = build_parser(only="invoices")
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == COMMAND_NAMES
    full = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(full.choices) > COMMAND_NAMES  # and `ibok --help` lists them with the rest


def test_a_narrow_terminal_leaves_out_the_extra_columns_never_the_rest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ibok_tui.commands import output
    from ibok_tui.i18n.tabular import Amount

    headers = ("Numer", output.Extra("Rodzaj"), "Do zapłaty", output.Extra("Okres"), "Status")
    rows = [("FV/200001/108", "nota odsetkowa", Amount(109709), "01.11–30.11.2026", "zaległa")]
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    for width, kept, left_out in ((120, ["Rodzaj", "Okres"], []), (40, [], ["Rodzaj", "Okres"])):
        monkeypatch.setenv("COLUMNS", str(width))
        output.print_table("Faktury", headers, rows, right={2})
        shown = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
        assert all(w in shown for w in ("FV/200001/108", "097,09", "Status", *kept)), shown
        assert not any(word in shown for word in left_out), shown


def test_every_published_schema_is_a_valid_draft_2020_12_schema() -> None:
    from jsonschema import Draft202012Validator

    from ibok_tui.commands.schema import COMMANDS, schema_of

    for command in COMMANDS:
        document = schema_of(command)
        Draft202012Validator.check_schema(document)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert "$ref" in document or "anyOf" in document or "type" in document, command
