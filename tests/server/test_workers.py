"""`ibok serve --workers 2`: two processes answer on one port over one database, with the
access log and `--trusted-proxy` as in one."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.server.conftest import API
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess


def _pid(url: str) -> str:
    # a new connection each time, so the kernel hands it to either worker
    with httpx.Client(timeout=10, headers={"Connection": "close"}) as http:
        answer = http.get(f"{url}{API}/_test/pid")
        answer.raise_for_status()
        return answer.text


def test_two_workers_serve_a_new_demo_database_and_both_answer(tmp_path: Path) -> None:
    db = tmp_path / "nowa" / "ibok.sqlite"
    args = ["--demo", "--workers", "2", "--log-format", "json", "--trusted-proxy", "127.0.0.1"]
    with ServerProcess(db, args=args, env={"IBOK_TEST_CONTROL": "1"}) as server:
        assert server.process is not None
        pids: set[str] = set()
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(25):
                pids |= set(pool.map(_pid, [server.url] * 16))
                if len(pids) >= 2:
                    break
        assert len(pids) == 2 and str(server.process.pid) not in pids
        # a session and a keyed POST answered by one worker hold on the other: new
        # connections reach both
        with httpx.Client(base_url=server.url + API, timeout=30) as http:
            login = {"customer_number": "100001", "password": PASSWORDS["100001"]}
            token = http.post("/auth/login", json=login).json()["token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
            "Connection": "close",
            "X-Forwarded-For": "203.0.113.9",
        }
        draft = {"category": "other", "subject": "Dwa procesy", "body": "Jedno zgłoszenie."}

        def post(_: int) -> tuple[int, bytes]:
            answer = httpx.post(f"{server.url}{API}/me/requests", json=draft, headers=headers)
            return answer.status_code, answer.content

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = set(pool.map(post, range(12)))
        assert len(answers) == 1 and next(iter(answers))[0] == 201
        with httpx.Client(base_url=server.url + API, timeout=30) as http:
            mine = http.get("/me/requests", headers={"Authorization": f"Bearer {token}"}).json()
        assert [r["subject"] for r in mine].count("Dwa procesy") == 1
        log = server.log()
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    posted = [r for r in records if r.get("path") == f"{API}/me/requests" and r["method"] == "POST"]
    assert len(posted) == 12
    assert {r["client"] for r in posted} == {"203.0.113.9"}  # the proxy's client, as in one
