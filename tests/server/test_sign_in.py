"""Captcha, lock and rate limits, enforced over HTTP."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import httpx

from tests.server.conftest import API, assert_problem
from tests.support.accounts import PASSWORDS
from tests.support.captcha import read_captcha
from tests.support.clock import PINNED_NOW
from tests.support.http_server import ServerProcess


def login(http: httpx.Client, number: str, password: str, **extra: str) -> httpx.Response:
    return http.post("/auth/login", json={"customer_number": number, "password": password, **extra})


def test_captcha_then_lock_over_http(http: httpx.Client) -> None:
    for _ in range(2):
        assert_problem(login(http, "100004", "zle-haslo"), 401, "login_failed")
    third = assert_problem(login(http, "100004", "zle-haslo"), 401, "captcha_required")
    assert third["type"] == "urn:ibok:problem:captcha_required"
    assert third["captcha"]["id"] and "\n" in third["captcha"]["art"]
    # without the captcha even the right password is refused, and a new one is drawn
    refused = assert_problem(login(http, "100004", PASSWORDS["100004"]), 401, "captcha_required")
    assert refused["captcha"]["id"] != third["captcha"]["id"]
    captcha = refused["captcha"]
    for _ in range(6):
        answer = login(
            http,
            "100004",
            "zle-haslo",
            captcha_id=captcha["id"],
            captcha_answer=read_captcha(captcha["art"]),
        )
        captcha = assert_problem(answer, 401, "captcha_required")["captcha"]
    locked = assert_problem(
        login(
            http,
            "100004",
            "zle-haslo",
            captcha_id=captcha["id"],
            captcha_answer=read_captcha(captcha["art"]),
        ),
        423,
        "account_locked",
    )
    until = datetime.fromisoformat(locked["locked_until"])
    assert (until - PINNED_NOW).total_seconds() == 15 * 60
    assert_problem(login(http, "100004", PASSWORDS["100004"]), 423, "account_locked")


def test_rate_limits_per_client(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    limits = [
        "--limit-login", "1/h,3",
        "--limit-registration", "1/h,2",
        "--limit-password-reset", "1/h,2",
    ]  # fmt: skip
    with ServerProcess(db, args=limits) as server, httpx.Client(base_url=server.url + API) as http:
        for _ in range(3):
            assert login(http, "100001", PASSWORDS["100001"]).status_code == 200
        limited = login(http, "100001", PASSWORDS["100001"])
        assert_problem(limited, 429, "rate_limited")
        assert int(limited.headers["retry-after"]) > 60
        assert limited.json()["retry_after"] == int(limited.headers["retry-after"])
        # the operators' sign-in shares the client's login budget
        operator = {"login": "bok.anna", "password": "Operator!2026a"}
        assert_problem(http.post("/auth/operator-login", json=operator), 429, "rate_limited")
        reset = {"customer_number": "100001", "email": "jan.kowalski@example.pl"}
        for _ in range(2):
            assert http.post("/auth/password-reset", json=reset).status_code == 202
        assert_problem(http.post("/auth/password-reset", json=reset), 429, "rate_limited")
        for _ in range(2):
            assert http.post("/auth/register", json={}).status_code == 422
        assert_problem(http.post("/auth/register", json={}), 429, "rate_limited")
        # other endpoints are not limited
        for _ in range(5):
            assert http.get("/terms").status_code == 200
