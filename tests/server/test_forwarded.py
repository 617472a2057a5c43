"""Who the client is: the peer's address, or a forwarded one only from a proxy named with
--trusted-proxy; and a lock-out per (account, address) that a stranger cannot turn against
the account's owner, who only waits a short, growing delay."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import httpx

from tests.server.conftest import API, assert_problem
from tests.support.accounts import PASSWORDS
from tests.support.captcha import proof
from tests.support.clock import PINNED_NOW
from tests.support.http_server import ServerProcess

TIGHT = ["--limit-login", "1/h,2"]


def _server(template_db: Path, folder: Path, *args: str) -> ServerProcess:
    folder.mkdir()
    db = folder / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    return ServerProcess(db, args=list(args), env={"IBOK_TEST_CONTROL": "1"})


def _login(http: httpx.Client, number: str, password: str, via: str | None = None, **extra: str):  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": via} if via else {}
    body = {"customer_number": number, "password": password, **extra}
    return http.post("/auth/login", json=body, headers=headers)


def test_a_forged_forwarded_address_does_not_escape_the_rate_limit(
    template_db: Path, tmp_path: Path
) -> None:
    with (
        _server(template_db, tmp_path / "a", *TIGHT) as server,
        httpx.Client(base_url=server.url + API) as http,
    ):
        for _ in range(2):
            assert _login(http, "100001", PASSWORDS["100001"]).status_code == 200
        for forged in ("203.0.113.7", "203.0.113.8, 198.51.100.1", "garbage"):
            assert_problem(_login(http, "100001", PASSWORDS["100001"], forged), 429)


def test_a_trusted_proxy_names_the_client(template_db: Path, tmp_path: Path) -> None:
    args = [*TIGHT, "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.0/8"]
    with (
        _server(template_db, tmp_path / "b", *args) as server,
        httpx.Client(base_url=server.url + API) as http,
    ):
        for _ in range(2):
            assert _login(http, "100001", PASSWORDS["100001"], "203.0.113.7").is_success
        assert_problem(_login(http, "100001", PASSWORDS["100001"], "203.0.113.7"), 429)
        # another client behind the proxy (and behind an inner trusted hop) has its own budget
        assert _login(http, "100001", PASSWORDS["100001"], "203.0.113.9, 10.1.2.3").is_success
        # what the client wrote before an untrusted hop is not believed: the hop is the client
        for forged in ("1.1.1.1, 203.0.113.7", "2.2.2.2, 203.0.113.7"):
            assert_problem(_login(http, "100001", PASSWORDS["100001"], forged), 429)
        log = server.log()
    # the access log names the client the proxy spoke for, not the proxy
    logins = [line for line in log.splitlines() if "ibok.access POST /api/v1/auth/login" in line]
    assert logins and all(line.endswith(("203.0.113.7", "203.0.113.9")) for line in logins)


def test_an_untrusted_peer_is_logged_as_itself(template_db: Path, tmp_path: Path) -> None:
    with (
        _server(template_db, tmp_path / "c") as server,
        httpx.Client(base_url=server.url + API) as http,
    ):
        assert _login(http, "100001", PASSWORDS["100001"], "203.0.113.7").is_success
        log = server.log()
    logins = [line for line in log.splitlines() if "ibok.access POST /api/v1/auth/login" in line]
    assert logins and all(line.endswith("127.0.0.1") for line in logins)


def test_serve_refuses_a_proxy_that_is_no_address(template_db: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    answer = subprocess.run(
        [sys.executable, "-m", "ibok_tui.cli", "serve", "--trusted-proxy", "nie-adres"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert answer.returncode == 2
    assert "nie-adres" in answer.stderr and "CIDR" in answer.stderr


def _fail_from(http: httpx.Client, number: str, via: str, times: int) -> httpx.Response:
    """`times` wrong passwords from one address, doing every proof of work asked for."""
    captcha = None
    answer = None
    for _ in range(times):
        answer = _login(http, number, "Zle!Haslo123", via, **proof(captcha))
        captcha = answer.json().get("captcha")
    assert answer is not None
    return answer


def test_a_stranger_locks_only_their_own_address(template_db: Path, tmp_path: Path) -> None:
    args = ["--trusted-proxy", "127.0.0.1", "--limit-login", "600/min,600"]
    with (
        _server(template_db, tmp_path / "c", *args) as server,
        httpx.Client(base_url=server.url + API) as http,
    ):
        stranger, owner = "203.0.113.66", "198.51.100.20"
        locked = _fail_from(http, "100001", stranger, 10)
        assert_problem(locked, 423, "account_locked")
        assert locked.headers["retry-after"] == "900"
        # the same answers for a number that does not exist
        ghost = _fail_from(http, "999997", stranger, 10)
        assert ghost.json()["detail"] == locked.json()["detail"]
        assert ghost.headers["retry-after"] == "900"

        # the owner, from elsewhere, waits the account's short delay, not the lock
        delayed = _login(http, "100001", PASSWORDS["100001"], owner)
        assert_problem(delayed, 423, "account_locked")
        assert delayed.headers["retry-after"] == "1"
        later = (PINNED_NOW + timedelta(seconds=2)).isoformat()
        http.headers["X-Ibok-Test-Clock"] = later
        asked = assert_problem(_login(http, "100001", PASSWORDS["100001"], owner), 401)
        assert asked["code"] == "captcha_required"
        proof_of_work = proof(asked["captcha"])
        signed_in = _login(http, "100001", PASSWORDS["100001"], owner, **proof_of_work)
        assert signed_in.status_code == 200, signed_in.text
        # the stranger's address stays locked, even with the right password
        assert_problem(_login(http, "100001", PASSWORDS["100001"], stranger), 423)


def test_the_accounts_delays_grow_from_any_address(template_db: Path, tmp_path: Path) -> None:
    """Guesses spread over many addresses meet the account's delays: 1 s, 2 s, 4 s …"""
    args = ["--trusted-proxy", "127.0.0.1", "--limit-login", "600/min,600"]
    with (
        _server(template_db, tmp_path / "d", *args) as server,
        httpx.Client(base_url=server.url + API) as http,
    ):
        moment = PINNED_NOW
        captcha = None
        waits = []
        for attempt in range(40):
            if len(waits) == 3:
                break
            via = f"203.0.113.{attempt + 1}"  # a fresh address each time
            http.headers["X-Ibok-Test-Clock"] = moment.isoformat()
            answer = _login(http, "100002", "Zle!Haslo123", via, **proof(captcha))
            captcha = answer.json().get("captcha")
            if answer.status_code == 423:
                waits.append(int(answer.headers["retry-after"]))
                moment += timedelta(seconds=waits[-1])
            else:
                assert answer.status_code == 401, answer.text
        assert waits[:3] == [1, 2, 4]


def test_a_storm_from_one_address_is_refused_at_the_door(template_db: Path, tmp_path: Path) -> None:
    """Past its failures over many accounts, an address's bare tries are answered with a
    challenge before the route: the same answer the route gives, but no rate-limit token
    is spent on it (the bucket of 25 outlives 60 such tries). A solved challenge still
    goes to the route, and another address is not touched."""
    args = ["--trusted-proxy", "127.0.0.1", "--limit-login", "25/h,25"]
    with (
        _server(template_db, tmp_path / "d", *args) as server,
        httpx.Client(base_url=server.url + API) as http,
    ):
        stranger = "203.0.113.77"
        for number in range(20):  # the address's threshold, over 20 accounts
            _login(http, f"9{number:05d}", "Zle!Haslo123", stranger)
        by_route = _login(http, "900100", "Zle!Haslo123", stranger)
        asked = assert_problem(by_route, 401)
        assert asked["code"] == "captcha_required"
        for number in range(60):
            at_door = _login(http, f"8{number:05d}", "Zle!Haslo123", stranger)
            assert at_door.status_code == 401, at_door.text
            assert at_door.headers["www-authenticate"] == "Bearer"
            assert at_door.headers["x-content-type-options"] == "nosniff"
            door = at_door.json()
            assert door.keys() == asked.keys() and door["code"] == "captcha_required"
            assert door["detail"] == asked["detail"]
        assert at_door.json()["captcha"]["id"] != asked["captcha"]["id"]
        # a solved challenge is the route's: the owner's password signs in from there
        solved = _login(http, "100001", PASSWORDS["100001"], stranger, **proof(door["captcha"]))
        assert solved.status_code == 200, solved.text
        # another address meets the route as before
        assert _login(http, "100002", PASSWORDS["100002"], "198.51.100.30").status_code == 200
        # what a hostile client sends past the door goes to the route: refused, never a 5xx
        for forged in ("a.b.c.d", "x." * 40, ".".join(["9" * 12] * 4), "\u202e.1.2.3"):
            refused = _login(http, "100001", "Zle!Haslo123", stranger, captcha_id=forged)
            assert refused.status_code in (401, 422, 429), refused.text
        not_json = http.post(
            "/auth/login",
            content=b"{",
            headers={"X-Forwarded-For": stranger, "Content-Type": "application/json"},
        )
        assert not_json.status_code in (422, 429), not_json.text
        typed = http.post(
            "/auth/login",
            json={"customer_number": "100001", "password": "x", "captcha_id": 7},
            headers={"X-Forwarded-For": stranger},
        )
        assert typed.status_code in (422, 429), typed.text
        # the door sits before the body limit and the input check: a body too large to be a
        # sign-in, or one of no declared length, passes it and meets them
        padded = {"customer_number": "100001", "password": "x", "note": "\x1b" * 5000}
        large = http.post("/auth/login", json=padded, headers={"X-Forwarded-For": stranger})
        assert assert_problem(large, 422)["errors"][0]["field"] == "note"
        streamed = http.post(
            "/auth/login",
            content=iter([b'{"customer_number": "100001", ', rb'"password": "\u001b"}']),
            headers={"X-Forwarded-For": stranger, "Content-Type": "application/json"},
        )
        assert assert_problem(streamed, 422)["errors"][0]["field"] == "password"
