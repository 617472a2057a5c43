"""Captcha, lock and rate limits, enforced over HTTP."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import httpx

from tests.server.conftest import API, assert_problem
from tests.support.accounts import PASSWORDS
from tests.support.captcha import proof
from tests.support.clock import PINNED_NOW
from tests.support.http_server import ServerProcess


def login(http: httpx.Client, number: str, password: str, **extra: str) -> httpx.Response:
    return http.post("/auth/login", json={"customer_number": number, "password": password, **extra})


def test_captcha_then_lock_over_http(http: httpx.Client) -> None:
    for _ in range(2):
        assert_problem(login(http, "100004", "zle-haslo"), 401, "login_failed")
    # the third wrong password is a plain failure that brings the next try's challenge
    third = assert_problem(login(http, "100004", "zle-haslo"), 401, "login_failed")
    challenge = third["captcha"]
    assert set(challenge) == {"id", "challenge", "difficulty"}  # nothing that is the answer
    assert challenge["difficulty"] >= 15 and challenge["id"] in challenge["challenge"]
    # without the proof even the right password is not checked, and a new one is issued
    refused = assert_problem(login(http, "100004", PASSWORDS["100004"]), 401, "captcha_required")
    assert refused["type"] == "urn:ibok:problem:captcha_required"
    assert refused["captcha"]["id"] != challenge["id"]
    captcha = refused["captcha"]
    for _ in range(6):
        answer = login(http, "100004", "zle-haslo", **proof(captcha))
        captcha = assert_problem(answer, 401, "login_failed")["captcha"]
    # the work grows with the failures
    assert captcha["difficulty"] > challenge["difficulty"]
    locked_answer = login(http, "100004", "zle-haslo", **proof(captcha))
    locked = assert_problem(locked_answer, 423, "account_locked")
    until = datetime.fromisoformat(locked["locked_until"])
    assert (until - PINNED_NOW).total_seconds() == 15 * 60
    assert locked_answer.headers["retry-after"] == "900" and locked["retry_after"] == 900
    again = login(http, "100004", PASSWORDS["100004"])
    assert_problem(again, 423, "account_locked")
    assert again.headers["retry-after"] == "900"


def test_an_easy_challenge_does_not_answer_a_harder_one(http: httpx.Client) -> None:
    """A stock of first-level challenges from POST /captcha does not help a guesser
    once the failures ask for more work."""
    captcha = None
    for attempt in range(6):
        answer = login(http, "100003", "zle-haslo", **proof(captcha))
        captcha = assert_problem(answer, 401, "login_failed").get("captcha")
        assert (captcha is not None) is (attempt >= 2)
    assert captcha is not None
    easy = http.post("/captcha").json()
    assert easy["difficulty"] < captcha["difficulty"]
    cheap = login(http, "100003", PASSWORDS["100003"], **proof(easy))
    assert_problem(cheap, 401, "captcha_required")
    proper = assert_problem(cheap, 401)["captcha"]
    signed_in = login(http, "100003", PASSWORDS["100003"], **proof(proper))
    assert signed_in.status_code == 200, signed_in.text


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
