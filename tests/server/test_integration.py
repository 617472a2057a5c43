"""The billing system's door of a real `ibok serve` (both stores): the integration key the
server was started with opens /integration/… and nothing else does (no key, a wrong one, a
customer's or an operator's token); an import is seen at once by the customer's screens,
also when `ibok import` writes from another process; readings go out as CSV and,
confirmed, can no longer be edited; a server started without the key has no such routes.
The key is never in the log; each call is."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import API, sign_in, sign_in_operator
from tests.support.clock import PINNED_NOW
from tests.support.http_server import ROOT, ServerProcess

KEY = "k3y-of-the-billing-system-0123456789abcdef"
JAN, JAN_METER = "100001", "M-WK-2209-11873"
NDJSON = {"Content-Type": "application/x-ndjson"}


@pytest.fixture(scope="module")
def keyed(
    shared_db: Path | str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, ServerProcess, Path | str]]:
    key_file = tmp_path_factory.mktemp("key") / "integration.key"
    key_file.write_text(KEY + "\n")
    with (
        ServerProcess(shared_db, args=["--integration-key-file", str(key_file)]) as process,
        httpx.Client(base_url=process.url + API, timeout=60) as client,
    ):
        yield client, process, shared_db


def _payment(amount: int, document: str, pid: str = "BANK-IT-1") -> bytes:
    record = {
        "type": "payment",
        "id": pid,
        "customer": JAN,
        "paid_on": "2026-11-20",
        "amount": amount,
        "title": f"Zapłata {document}",
        "document": document,
    }
    return (json.dumps(record) + "\n").encode()


def _unpaid(client: httpx.Client, jan: dict[str, str]) -> dict:  # type: ignore[type-arg]
    invoices = client.get("/me/invoices", headers=jan).json()
    return [i for i in invoices if i["paid"] < i["gross"]][-1]


def test_only_the_key_opens_the_door(
    keyed: tuple[httpx.Client, ServerProcess, Path | str],
) -> None:
    client, process, _ = keyed
    jan = sign_in(client, JAN)
    clerk = sign_in_operator(client)
    body = _payment(1, "FV/100001/036", "BANK-IT-refused")
    for headers in (
        {},
        {"X-Integration-Key": KEY[:-1] + "X"},
        {"X-Integration-Key": ""},
        jan,
        clerk,
        {"X-Integration-Key": clerk["Authorization"].split()[1]},
    ):
        assert (
            client.post(
                "/integration/import", content=body, headers={**NDJSON, **headers}
            ).status_code
            == 401
        )
        assert (
            client.get(
                "/integration/readings",
                params={"since": "2026-01-01T00:00:00+01:00"},
                headers=headers,
            ).status_code
            == 401
        )
        assert (
            client.post(
                "/integration/readings/imported", json={"ids": []}, headers=headers
            ).status_code
            == 401
        )
    # and the key opens no customer's or clerk's route
    assert client.get("/me/dashboard", headers={"X-Integration-Key": KEY}).status_code == 401
    assert client.get("/operator/readings", headers={"X-Integration-Key": KEY}).status_code == 401
    assert KEY not in process.log()
    assert "integration: refused" in process.log()


def test_an_import_is_seen_at_once_and_twice_changes_nothing(
    keyed: tuple[httpx.Client, ServerProcess, Path | str],
) -> None:
    client, process, _ = keyed
    jan = sign_in(client, JAN)
    before = client.get("/me/dashboard", headers=jan).json()
    invoice = _unpaid(client, jan)
    body = _payment(invoice["gross"] - invoice["paid"], invoice["number"])
    key = {"X-Integration-Key": KEY}
    answer = client.post("/integration/import", content=body, headers={**NDJSON, **key})
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == {"payment": 1}
    after = client.get("/me/dashboard", headers=jan).json()
    assert after["balance"] != before["balance"]
    again = client.post("/integration/import", content=body, headers={**NDJSON, **key})
    assert again.json()["unchanged"] == {"payment": 1} and not again.json()["created"]
    assert client.get("/me/dashboard", headers=jan).json() == after
    log = process.log()
    assert "integration: import from 127.0.0.1: 1 records, 0 problems, applied" in log
    assert KEY not in log


def test_a_bad_file_over_http_writes_nothing_and_names_its_lines(
    keyed: tuple[httpx.Client, ServerProcess, Path | str],
) -> None:
    client, _, _ = keyed
    jan = sign_in(client, JAN)
    before = client.get("/me/settlements", headers=jan).json()
    body = (
        _payment(500, "FV/100001/036", "BANK-IT-good")
        + b'{"type": "payment", "id": "BANK-IT-bad", "customer": "100001", "paid_on":'
        b' "2026-13-01", "amount": 5, "title": "\\u001b[31m"}\n' + b"\xff\xfe\n"
    )
    answer = client.post(
        "/integration/import", content=body, headers={**NDJSON, "X-Integration-Key": KEY}
    )
    assert answer.status_code == 422, answer.text
    found = {(p["line"], p["field"], p["code"]) for p in answer.json()["problems"]}
    assert found == {
        (2, "paid_on", "invalid_date"),
        (2, "title", "unsafe_character"),
        (3, "", "not_utf8"),
    }
    assert client.get("/me/settlements", headers=jan).json() == before


def test_readings_out_and_confirmed(
    keyed: tuple[httpx.Client, ServerProcess, Path | str],
) -> None:
    client, _process, _ = keyed
    jan = sign_in(client, JAN)
    key = {"X-Integration-Key": KEY}
    since = (PINNED_NOW - timedelta(days=1)).isoformat()
    readings = client.get(f"/me/meters/{JAN_METER}/readings", headers=jan).json()
    value = f"{(max(r['index'] for r in readings) + 4000) / 1000:.3f}".replace(".", ",")
    sent = client.post("/me/readings", json={"meter_id": JAN_METER, "value": value}, headers=jan)
    assert sent.status_code == 201, sent.text
    reading = sent.json()["id"]
    out = client.get("/integration/readings", params={"since": since}, headers=key)
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(out.text)))
    mine = [r for r in rows if r["reading_id"] == reading]
    assert mine and mine[0]["status"] == "pending" and mine[0]["customer_number"] == JAN
    assert (
        client.get("/integration/readings", params={"since": since}, headers=key).text == out.text
    )
    naive = client.get("/integration/readings", params={"since": "2026-01-01T00:00"}, headers=key)
    assert naive.status_code == 422
    done = client.post("/integration/readings/imported", json={"ids": [reading]}, headers=key)
    assert done.status_code == 200 and done.json()["imported"] == [reading]
    twice = client.post("/integration/readings/imported", json={"ids": [reading]}, headers=key)
    assert twice.json() == {"imported": [], "not_pending": [reading], "unknown": []}
    edit = client.put(
        f"/me/readings/{reading}", json={"meter_id": JAN_METER, "value": value}, headers=jan
    )
    assert edit.status_code == 409, edit.text
    shown = client.get(f"/me/meters/{JAN_METER}/readings", headers=jan).json()
    assert [r["status"] for r in shown if r["id"] == reading] == ["accepted"]
    hostile = client.post(
        "/integration/readings/imported", json={"ids": ["R\u202e-1"]}, headers=key
    )
    assert hostile.status_code == 422


def _ibok(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "ibok_tui.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_ibok_import_in_another_process_is_seen_by_the_server(
    keyed: tuple[httpx.Client, ServerProcess, Path | str], tmp_path: Path
) -> None:
    client, _, db = keyed
    jan = sign_in(client, JAN)
    before = client.get("/me/dashboard", headers=jan).json()
    good = tmp_path / "pay.jsonl"
    good.write_bytes(_payment(12_345, "FV/100001/001", "BANK-CLI-1"))
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"type": "payment", "id": "BANK-CLI-2"}\n')
    refused = _ibok("import", str(good), str(bad), "--db", str(db))
    assert refused.returncode == 1, refused.stderr
    assert f"{bad}:1: customer: required: " in refused.stderr
    assert client.get("/me/dashboard", headers=jan).json() == before
    taken = _ibok("import", str(good), "--db", str(db))
    assert taken.returncode == 0, taken.stderr
    assert "payment: 1" in taken.stdout
    assert client.get("/me/dashboard", headers=jan).json()["balance"] != before["balance"]
    csv_file = tmp_path / "readings.csv"
    out = _ibok(
        "export-readings",
        "--since",
        "2020-01-01T00:00:00+00:00",
        "-o",
        str(csv_file),
        "--db",
        str(db),
    )
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(csv_file.stat().st_mode) == 0o600
    assert (
        csv_file.read_text().splitlines()[0].startswith("reading_id,customer_number,meter_serial")
    )


def test_without_the_key_file_there_is_no_integration(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url + API, timeout=30) as client:
        key = {"X-Integration-Key": KEY}
        assert client.post("/integration/import", content=b"", headers=key).status_code == 404
        since = {"since": "2026-01-01T00:00:00+01:00"}
        assert client.get("/integration/readings", params=since, headers=key).status_code == 404
        assert (
            client.post("/integration/readings/imported", json={}, headers=key).status_code == 404
        )


def test_a_short_key_stops_the_server(tmp_path: Path, template_db: Path) -> None:
    key_file = tmp_path / "short.key"
    key_file.write_text("tiny-secret")
    started = _ibok(
        "serve",
        "--db",
        str(tmp_path / "x.sqlite"),
        "--integration-key-file",
        str(key_file),
        "--port",
        "1",
    )
    assert started.returncode != 0
    assert "32" in started.stderr and "tiny-secret" not in started.stderr


def test_a_contract_end_imported_over_http_or_by_ibok_import_is_on_pulpit_at_once(
    keyed: tuple[httpx.Client, ServerProcess, Path | str], tmp_path: Path
) -> None:
    """Będzin §8.6: an end the billing system sends (the integration route, or `ibok import`
    in another process) is recorded by the portal's rule: the customer's Pulpit shows it."""
    client, _, db = keyed
    key = {"X-Integration-Key": KEY}
    for number, how in (("100003", "http"), ("100004", "cli")):
        record = {"type": "contract_end", "customer": number, "ended_on": "2026-11-20"}
        body = (json.dumps(record) + "\n").encode()
        if how == "http":
            answer = client.post("/integration/import", content=body, headers={**NDJSON, **key})
            assert answer.status_code == 200, answer.text
        else:
            ends = tmp_path / "ends.jsonl"
            ends.write_bytes(body)
            taken = _ibok("import", str(ends), "--db", str(db))
            assert taken.returncode == 0, taken.stderr
        customer = sign_in(client, number)
        shown = client.get("/me/dashboard", headers=customer).json()["customer"]["contract_end"]
        assert shown is not None and shown["ended_on"] == "2026-11-20", (how, shown)
