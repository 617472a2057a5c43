"""The access log: one line per request, never a password, a token or a reset code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
    assert any(re.search(r"POST /api/v1/auth/login 200 [\d.]+ms$", line) for line in lines)
    assert any("GET /api/v1/me/dashboard 200" in line for line in lines)
    assert any("POST /api/v1/auth/password-reset/confirm 204" in line for line in lines)
    assert any(line.endswith("ms") and "GET /api/v1/me/invoices 200" in line for line in lines)
    for secret in (token, PASSWORDS["100001"], new_password, code, "Bearer", "password="):
        assert secret not in log, secret
