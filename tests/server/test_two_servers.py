"""Two `ibok serve` processes on different ports over one database behave as one server:
sessions, idempotency keys with their answers, lock-outs and rate limits are the store's."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import (
    API,
    assert_problem,
    open_shared_store,
    server_pair,
    sign_in,
    sign_in_operator,
)
from tests.support.accounts import PASSWORDS
from tests.support.captcha import proof
from tests.support.http_server import ServerProcess

# a captcha limit small enough to reach: 4 at once, then one every 30 s (per address)
CAPTCHA_LIMIT = "2/min,4"


@pytest.fixture(scope="module")
def pair(shared_db: Path | str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    with server_pair(shared_db, args=["--limit-captcha", CAPTCHA_LIMIT]) as servers:
        yield servers


@pytest.fixture
def clients(
    pair: tuple[ServerProcess, ServerProcess],
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    one, other = pair
    with (
        httpx.Client(base_url=one.url + API, timeout=30) as a,
        httpx.Client(base_url=other.url + API, timeout=30) as b,
    ):
        yield a, b


def test_a_session_opened_on_one_works_on_the_other_and_ends_on_both(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = clients
    jan = sign_in(a, "100001")
    assert b.get("/me/profile", headers=jan).json()["customer"]["number"] == "100001"
    assert a.get("/me/profile", headers=jan).status_code == 200
    assert b.post("/auth/logout", headers=jan).status_code == 204
    assert_problem(a.get("/me/profile", headers=jan), 401)
    assert_problem(b.get("/me/profile", headers=jan), 401)


def test_a_retry_on_the_other_replays_the_answer_and_writes_once(
    clients: tuple[httpx.Client, httpx.Client], shared_db: Path | str
) -> None:
    a, b = clients
    anna = sign_in(a, "100002")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    draft = {"category": "other", "subject": "Dwa serwery", "body": "Czy jedno zgłoszenie?"}
    first = a.post("/me/requests", json=draft, headers={**anna, **key})
    assert first.status_code == 201, first.text
    again = b.post("/me/requests", json=draft, headers={**anna, **key})
    assert again.status_code == 201 and again.content == first.content
    # an operation the portal keeps no key of is replayed from the stored answer too
    staff = sign_in_operator(b)
    notice = {
        "kind": "info",
        "title": "Jeden komunikat",
        "body": "Raz.",
        "valid_from": "2026-11-21",
    }
    key = {"Idempotency-Key": str(uuid.uuid4())}
    made = b.post("/operator/notices", json=notice, headers={**staff, **key})
    assert made.status_code == 201, made.text
    replayed = a.post("/operator/notices", json=notice, headers={**staff, **key})
    assert replayed.status_code == 201 and replayed.json() == made.json()
    # another body under the same key is refused on the other server as on the first
    other = a.post("/operator/notices", json={**notice, "body": "Dwa."}, headers={**staff, **key})
    assert_problem(other, 422, "idempotency_key_reused")
    store = open_shared_store(shared_db)
    try:
        assert store.scalar("SELECT count(*) FROM requests WHERE subject = 'Dwa serwery'") == 1
        assert store.scalar("SELECT count(*) FROM notices WHERE title = 'Jeden komunikat'") == 1
    finally:
        store.close()


def login(http: httpx.Client, number: str, password: str, **extra: str) -> httpx.Response:
    return http.post("/auth/login", json={"customer_number": number, "password": password, **extra})


def test_a_lock_out_seen_by_one_is_seen_by_both(
    clients: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = clients
    captcha = None
    for attempt in range(9):  # the failures alternate between the servers
        server = (a, b)[attempt % 2]
        problem = assert_problem(
            login(server, "100004", "zle-haslo", **proof(captcha)), 401, "login_failed"
        )
        captcha = problem.get("captcha")  # issued by one, answered on the other
    assert captcha is not None
    locked = assert_problem(login(b, "100004", "zle-haslo", **proof(captcha)), 423)
    assert locked["code"] == "account_locked"
    for server in (a, b):
        refused = login(server, "100004", PASSWORDS["100004"])
        assert_problem(refused, 423, "account_locked")
        assert refused.headers["retry-after"] == "900"


def test_a_rate_limit_is_shared(clients: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = clients
    for server in (a, b, a, b):  # the burst of 4, spent on both
        assert server.post("/captcha").status_code == 201
    for server in (a, b):
        refused = server.post("/captcha")
        assert_problem(refused, 429, "rate_limited")
        assert 1 <= int(refused.headers["retry-after"]) <= 30


def test_the_same_key_on_both_at_the_same_moment_writes_once(
    pair: tuple[ServerProcess, ServerProcess], shared_db: Path | str
) -> None:
    with httpx.Client(base_url=pair[0].url + API, timeout=30) as http:
        staff = sign_in_operator(http)
    titles = [f"Naraz {n}" for n in range(8)]

    def post(job: tuple[int, str, str]) -> httpx.Response:
        server, title, key = job
        notice = {"kind": "info", "title": title, "body": "Raz.", "valid_from": "2026-11-21"}
        headers = {**staff, "Idempotency-Key": key}
        start.wait()
        return httpx.post(f"{pair[server].url}{API}/operator/notices", json=notice, headers=headers)

    jobs = [
        (server, title, key) for title in titles for key in [str(uuid.uuid4())] for server in (0, 1)
    ]
    start = threading.Barrier(len(jobs))
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        answers = list(pool.map(post, jobs))
    for pair_of in zip(answers[::2], answers[1::2], strict=True):
        # one wrote; the other waited for its answer, or was told to retry: never a 2nd write
        made = {a.content for a in pair_of if a.status_code == 201}
        assert len(made) == 1, [a.text for a in pair_of]
        for busy in (a for a in pair_of if a.status_code != 201):
            assert busy.status_code == 409 and busy.headers["retry-after"] == "1", busy.text
            assert busy.json()["code"] == "idempotency_key_in_progress"
    store = open_shared_store(shared_db)
    try:
        for title in titles:
            assert store.scalar("SELECT count(*) FROM notices WHERE title = ?", (title,)) == 1
    finally:
        store.close()
