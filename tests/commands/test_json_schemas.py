"""Every command's --json output validates against the schema `ibok schema` publishes, on
the demo and against a real server, and is the API's own document where one exists."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from ibok_tui.cli import main
from ibok_tui.commands.schema import COMMANDS, schema_of
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess
from tests.ui.console_support import MemoryKeyring

from .inprocess import ring

__all__ = ["ring"]

SMART = "SM-2402-00077"  # 100003's hourly meter
RUNS: list[tuple[str, str, list[str]]] = [
    ("dashboard", "100001", ["dashboard"]),
    ("invoices", "100001", ["invoices", "--status", "paid", "--from", "2026-01-01"]),
    ("settlements", "200001", ["settlements", "unpaid"]),
    ("readings", "100001", ["readings"]),
    ("readings", "100003", ["readings", SMART, "--resolution", "hour", "--from", "2026-11-19"]),
    ("meters", "100002", ["meters"]),
    ("requests", "100004", ["requests"]),
    ("notices", "100001", ["notices"]),
    ("consumption", "100002", ["consumption", "--resolution", "month"]),
    ("submit-reading", "100001", ["submit-reading", "WK-2209-11873", "1030,125"]),
    ("request-new", "100001", ["request", "new", "--category", "other", "--subject", "Pytanie"]),
    ("pay", "200001", ["pay"]),
    ("status", "100003", ["status"]),
]


@pytest.fixture(scope="module")
def where(
    request: pytest.FixtureRequest, template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[str]]:
    """The connection options: the demo (a data directory of its own), or a real server."""
    folder = tmp_path_factory.mktemp("schemas")
    if request.param == "demo":
        yield ["--demo", "--data-dir", str(folder)]
        return
    db = folder / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as server:
        yield ["--server", server.url]


@pytest.mark.parametrize("where", ["demo", "server"], indirect=True)
@pytest.mark.parametrize(("command", "customer", "args"), RUNS, ids=[r[0] for r in RUNS])
def test_json_output_validates_against_the_published_schema(
    where: list[str],
    ring: MemoryKeyring,
    command: str,
    customer: str,
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("IBOK_PASSWORD", PASSWORDS[customer])
    extra = []
    if command == "request-new":
        body = tmp_path / "body.txt"
        body.write_text("Czy mogę zmienić termin odczytu?\n", encoding="utf-8")
        extra = ["--body-file", str(body)]
    status = main([*args, *extra, *where, "--customer", customer, "--json"])
    out, err = capsysbinary.readouterr()
    assert status in (0, 1), err.decode()  # status: 1 means attention
    document = json.loads(out)  # exactly one document: this fails on anything more
    jsonschema.validate(document, schema_of(command))
    if command == "status":
        assert status == 1 and document["attention"] is True  # 100003: night flow
        assert [a["kind"] for a in document["alerts"]] == ["night_flow"]


def test_every_json_command_has_a_run_here() -> None:
    assert {run[0] for run in RUNS} == set(COMMANDS)


def test_a_schema_refuses_what_the_command_would_not_print() -> None:
    """The schemas are strict enough to catch a wrong shape: money as a float or a text,
    a date in the Polish form, a missing field."""
    invoices = schema_of("invoices")
    good = {
        "number": "FV/1",
        "customer_number": "100001",
        "property_id": "P-1",
        "kind": "settlement",
        "issue_date": "2026-11-05",
        "sale_date": "2026-11-05",
        "period_from": "2026-10-01",
        "period_to": "2026-10-31",
        "due_date": "2026-11-19",
        "net": 9000,
        "vat": 720,
        "gross": 9720,
        "paid": 0,
        "status": "unpaid",
    }
    jsonschema.validate([good], invoices)
    checker = jsonschema.Draft202012Validator(invoices, format_checker=jsonschema.FormatChecker())
    for bad in (
        {**good, "gross": 97.2},
        {**good, "gross": "97,20"},
        {**good, "status": "zapłacona"},
        {k: v for k, v in good.items() if k != "due_date"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([bad], invoices)
    assert not checker.is_valid([{**good, "issue_date": "05.11.2026"}])
