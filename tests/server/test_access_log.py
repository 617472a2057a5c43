"""The access log: one line per request, never a password, a token or a reset code."""

from __future__ import annotations

import json
import re
import shutil
import socket
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.server.conftest import API
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess
from tests.support.mail import newest_code


def test_access_log_has_no_secrets(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    new_password = "Zupelnie!Nowe2030"
    with ServerProcess(db) as server, httpx.Client(base_url=server.url + API) as http:
        session = http.post(
            "/auth/login", json={"customer_number": "100001", "password": PASSWORDS["100001"]}
        ).json()
        token = session["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert http.get("/me/dashboard", headers=bearer).status_code == 200
        # secrets in a query string (where no client should put them) are not logged either
        http.get(f"/me/invoices?token={token}&password={PASSWORDS['100001']}", headers=bearer)
        reset = {"customer_number": "100001", "email": "jan.kowalski@example.pl"}
        assert http.post("/auth/password-reset", json=reset).status_code == 202
        code = newest_code(tmp_path / "outbox", "reset")
        confirm = {"token": code, "new_password": new_password}
        assert http.post("/auth/password-reset/confirm", json=confirm).status_code == 204
        http.get(f"/reset?token={code}")
        log = server.log()
    lines = [line for line in log.splitlines() if "ibok.access" in line]
    assert any(
        re.search(r"POST /api/v1/auth/login 200 [\d.]+ms 127\.0\.0\.1$", line) for line in lines
    )
    assert any("GET /api/v1/me/dashboard 200" in line for line in lines)
    assert any("POST /api/v1/auth/password-reset/confirm 204" in line for line in lines)
    assert any(
        line.endswith("ms 127.0.0.1") and "GET /api/v1/me/invoices 200" in line for line in lines
    )
    for secret in (token, PASSWORDS["100001"], new_password, code, "Bearer", "password="):
        assert secret not in log, secret


FORGED = "\r\n2020-01-01 00:00:00,000 ibok.access GET /api/v1/operator/audit 200 1.0ms 10.0.0.1"


def _raw_request(url: str, target: bytes) -> bytes:
    """One GET with `target` sent byte for byte (no client would encode it)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def _hostile_requests(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url + API) as http:
        # percent-encoded: decoded, the path holds CR, LF, ESC and a bidi override
        encoded = quote(FORGED + "\x1b]0;pwned\x07\u202e", safe="")
        http.get(f"/me/meters/{encoded}")  # with no token
        assert http.get("/notices/%1b%5b2J%9b").status_code == 404
    # raw bytes above ASCII in the request line (C1's one-byte CSI among them): uvicorn
    # refuses the request line before the application, and logs nothing of it
    answer = _raw_request(server.url, b"/api/v1/\x9b2J\xc2\x9b\xe2\x80\xae")
    assert answer.startswith(b"HTTP/1.1 400")


def _assert_one_line_each(log: str) -> None:
    assert "\x1b" not in log and "\r" not in log and "\x9b" not in log and "\u202e" not in log
    for line in log.splitlines():
        assert not line.startswith("2020-01-01 00:00:00,000"), line  # no forged line


def test_a_hostile_path_cannot_forge_a_line(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as server:
        _hostile_requests(server)
        log = server.log()
    _assert_one_line_each(log)
    access = [line for line in log.splitlines() if " ibok.access " in line]
    # each logged as sent: percent-encoded, one line a request
    assert any("GET /api/v1/me/meters/%0D%0A2020-01-01" in line for line in access)
    assert any("GET /api/v1/notices/%1b%5b2J%9b 404 " in line for line in access)


def test_json_lines_log(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db, args=["--log-format", "json"]) as server:
        with httpx.Client(base_url=server.url + API) as http:
            http.get("/terms?token=sekret")
        _hostile_requests(server)
        log = server.log()
    _assert_one_line_each(log)
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    access = [r for r in records if r["logger"] == "ibok.access"]
    terms = next(r for r in access if r["path"] == "/api/v1/terms")
    assert terms["method"] == "GET" and terms["status"] == 200
    assert terms["client"] == "127.0.0.1" and isinstance(terms["duration_ms"], float)
    assert datetime.fromisoformat(terms["time"]).tzinfo is not None
    assert "sekret" not in log
    assert any(r["path"].startswith("/api/v1/me/meters/%0D%0A2020") for r in access)
    # uvicorn's own records come through the same formatter
    assert any(r["logger"].startswith("uvicorn") for r in records)


def test_the_error_log_line_is_escaped_too(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db, env={"IBOK_TEST_CONTROL": "1"}) as server:
        with httpx.Client(base_url=server.url + API) as http:
            assert http.get("/_test/fail").status_code == 500
        log = server.log()
    assert "\x1b" not in log and "\r" not in log
    [error] = [line for line in log.splitlines() if " ibok.server " in line]
    assert "unhandled RuntimeError on GET /api/v1/_test/fail" in error
    assert "Traceback" in error and "\\x1b[2J" in error  # the traceback, escaped, on one line
