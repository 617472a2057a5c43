"""Scans and files over real HTTP: what is refused, how files are served (nosniff,
attachment with a safe name), and the per-customer limits set by `ibok serve` options."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
import pytest

from tests.server.conftest import assert_problem, sign_in, sign_in_operator
from tests.support import scans
from tests.support.http_server import ServerProcess

MiB = 1024 * 1024
LIMITS = ["--scan-max-mb", "1", "--scan-quota-count", "3", "--scan-quota-mb", "2"]


@pytest.fixture(scope="module")
def server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    db = tmp_path_factory.mktemp("uploads") / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db, args=LIMITS) as process:
        yield process


def seg(value: str) -> str:
    return quote(value, safe="")


def first_contract(http: httpx.Client, bearer: dict[str, str]) -> str:
    return str(http.get("/me/contracts", headers=bearer).json()[0]["number"])


def upload(
    http: httpx.Client, bearer: dict[str, str], contract: str, name: str, content: bytes
) -> httpx.Response:
    return http.post(
        f"/me/contracts/{seg(contract)}/scans",
        params={"filename": name},
        content=content,
        headers={**bearer, "Content-Type": "application/octet-stream"},
    )


# the whole header: an ASCII quoted fallback without quotes or backslashes, the real name
# percent-encoded (RFC 6266 section 4.1, RFC 5987)
DISPOSITION = re.compile(r'attachment; filename="([ !#-\[\]-~]+)"; filename\*=UTF-8\'\'([\w%.~-]+)')


def disposition(answer: httpx.Response) -> tuple[str, str]:
    """The ASCII fallback and the real name of an attachment; fails on anything else."""
    found = DISPOSITION.fullmatch(answer.headers["content-disposition"])
    assert found is not None, answer.headers["content-disposition"]
    return found[1], unquote(found[2])


def test_files_that_only_pretend_are_refused_and_nothing_is_stored(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    contract = first_contract(http, jan)
    documents = len(http.get("/me/documents", headers=jan).json())
    for name, content in scans.fakes().items():
        problem = assert_problem(upload(http, jan, contract, name, content), 422)
        assert problem["errors"][0]["field"] == "content", name
    assert len(http.get("/me/documents", headers=jan).json()) == documents
    assert http.get(f"/me/contracts/{seg(contract)}", headers=jan).json()["scans"] == []


def test_a_scan_is_served_as_its_detected_type_as_an_attachment(http: httpx.Client) -> None:
    anna = sign_in(http, "100002")
    contract = first_contract(http, anna)
    for steering in ("umowa\r\nX-Evil: 1.pdf", "umowa\u202efdp.png", "umowa\x1b[2J.pdf"):
        refused = assert_problem(upload(http, anna, contract, steering, scans.png()), 422)
        assert refused["errors"][0]["field"] == "filename", steering
    hostile = '../umowa "ż"; filename=evil.html; X-Evil: 1.pdf'
    answer = upload(http, anna, contract, hostile, scans.png())
    assert answer.status_code == 201, answer.text
    scan = answer.json()
    assert scan["mime"] == "image/png"  # the name said .pdf
    served = http.get(f"/me/documents/{scan['id']}/content", headers=anna)
    assert served.status_code == 200
    assert served.content == scans.png()
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "x-evil" not in served.headers
    fallback, real = disposition(served)
    assert fallback == "umowa _z__ filename_evil.html_ X-Evil_ 1.pdf.png"  # ż without its dot
    assert real == scan["filename"] == 'umowa "ż"; filename=evil.html; X-Evil: 1.pdf.png'


def test_every_file_the_server_serves_is_an_attachment_with_nosniff(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    invoice = http.get("/me/invoices", headers=jan).json()[0]["number"]
    contract = first_contract(http, jan)
    document = http.get("/me/documents", headers=jan).json()[0]["id"]
    for path in (
        f"/me/invoices/{seg(invoice)}/pdf",
        f"/me/contracts/{seg(contract)}/document",
        f"/me/documents/{document}/content",
    ):
        answer = http.get(path, headers=jan)
        assert answer.status_code == 200, path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        fallback, real = disposition(answer)
        assert "/" not in fallback and "/" not in real, path


def test_every_answer_carries_nosniff(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    answers = [
        http.get("/health"),
        http.get("/me/dashboard", headers=jan),
        http.get("/me/dashboard"),  # 401
        http.get("/me/nothing-here", headers=jan),  # 404
        http.post("/me/requests", json={"body": "x" * (2 * MiB)}, headers=jan),  # 413
        http.post("/auth/login", content=b"<html>", headers={"Content-Type": "text/html"}),
    ]
    assert [a.headers.get("x-content-type-options") for a in answers] == ["nosniff"] * 6
    assert {a.status_code for a in answers} >= {200, 401, 404, 413}


def test_the_serve_options_set_the_limits(http: httpx.Client) -> None:
    """--scan-max-mb 1, --scan-quota-count 3, --scan-quota-mb 2."""
    jan = sign_in(http, "100001")
    contract = first_contract(http, jan)
    too_large = scans.png() + bytes(MiB)
    problem = assert_problem(upload(http, jan, contract, "big.png", too_large), 422)
    assert problem["errors"][0]["code"] == "too_large"
    assert "1 MB" in problem["errors"][0]["message"]
    assert_problem(upload(http, jan, contract, "huge.png", scans.png() + bytes(2 * MiB)), 413)

    sent = [upload(http, jan, contract, f"s{i}.png", scans.png()) for i in range(3)]
    assert [a.status_code for a in sent] == [201] * 3
    full = assert_problem(upload(http, jan, contract, "s4.png", scans.png()), 422)
    assert [(e["field"], e["code"], e["params"]["limit"]) for e in full["errors"]] == [
        ("content", "scan_count_limit", "3")
    ]

    firma = sign_in(http, "200001")
    contract = first_contract(http, firma)
    page = scans.png() + bytes(900 * 1024)  # 0.9 MB: two fit in 2 MB, a third does not
    assert [upload(http, firma, contract, f"p{i}.png", page).status_code for i in (1, 2)] == [
        201,
        201,
    ]
    over = assert_problem(upload(http, firma, contract, "p3.png", page), 422)
    [error] = over["errors"]
    assert (error["code"], error["params"]["limit"]) == ("scan_bytes_limit", str(2 * MiB))
    assert "2 MB" in error["message"]


def test_withdraw_and_accept_over_http(http: httpx.Client) -> None:
    ewa = sign_in(http, "100003")
    contract = first_contract(http, ewa)
    first = upload(http, ewa, contract, "a.pdf", scans.pdf()).json()
    second = upload(http, ewa, contract, "b.jpg", scans.jpeg()).json()
    assert (first["scan_status"], second["mime"]) == ("submitted", "image/jpeg")

    withdrawn = http.delete(f"/me/scans/{first['id']}", headers=ewa)
    assert withdrawn.status_code == 204 and withdrawn.content == b""
    assert_problem(http.delete(f"/me/scans/{first['id']}", headers=ewa), 404, "not_found")
    assert_problem(http.get(f"/me/documents/{first['id']}/content", headers=ewa), 404)

    staff = sign_in_operator(http)
    accepted = http.post(f"/operator/scans/{second['id']}/accept", headers=staff)
    assert accepted.status_code == 200 and accepted.json()["scan_status"] == "accepted"
    assert_problem(http.delete(f"/me/scans/{second['id']}", headers=ewa), 409, "scan_accepted")
    assert_problem(http.post(f"/operator/scans/{second['id']}/accept", headers=ewa), 403)


def test_bad_limit_options_are_refused(tmp_path: Path) -> None:
    process = ServerProcess(tmp_path / "x.sqlite", args=["--scan-quota-count", "0"])
    with pytest.raises(RuntimeError, match="scan-quota-count"):
        process.start(timeout=20)
