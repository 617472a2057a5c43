"""`ibok serve --workers 2`: two processes answer on one port over one database, with the
access log and `--trusted-proxy` as in one."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from ibok_tui.portal import host_cores
from tests.server.conftest import API
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ROOT, ServerProcess

TEST_CONTROL = {"IBOK_TEST_CONTROL": "1"}


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


def _pids(url: str, count: int, timeout: float = 10) -> list[str]:
    """The worker behind each of `count` new connections made one after another."""
    found = []
    for _ in range(count):
        with httpx.Client(timeout=timeout, headers={"Connection": "close"}) as http:
            answer = http.get(f"{url}{API}/_test/pid")
            answer.raise_for_status()
            found.append(answer.text)
    return found


def _pids_at_once(url: str, count: int) -> list[str]:
    """The worker behind each of `count` connections opened at once, as wrk opens them."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(url)
    address = (where.hostname or "127.0.0.1", where.port or 80)
    connections = [socket.create_connection(address, timeout=10) for _ in range(count)]
    found = []
    try:
        for conn in connections:
            conn.sendall(f"GET {API}/_test/pid HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        for conn in connections:
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = conn.recv(4096)
                assert chunk, answer
                answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            while len(body) < length:
                body += conn.recv(4096)
            found.append(body.decode())
    finally:
        for conn in connections:
            conn.close()
    return found


def test_each_worker_takes_its_share_of_connections_opened_at_once(tmp_path: Path) -> None:
    """Each worker listens on a socket of its own (SO_REUSEPORT, server/workers.py): the
    kernel spreads new connections over them, where on one shared socket the worker that
    accepted first took most of a crowd (all of wrk's 10 connections, up to 75 of 100)."""
    args = ["--demo", "--workers", "2"]
    with ServerProcess(tmp_path / "ibok.sqlite", args=args, env=TEST_CONTROL) as server:
        shares = []
        for _ in range(3):
            found = _pids_at_once(server.url, 40)
            shares.append(sorted(found.count(pid) for pid in set(found)))
    # 40 at 1/2 each: fewer than 8 on a worker is ~1e-5
    assert all(len(counts) == 2 and counts[0] >= 8 for counts in shares), shares


def test_a_killed_worker_is_replaced_on_its_socket_and_no_connection_is_refused(
    tmp_path: Path,
) -> None:
    """The parent keeps every worker's socket: the connections that reach a dead worker's
    socket wait there for its successor, none is refused."""
    args = ["--demo", "--workers", "2"]
    with ServerProcess(tmp_path / "ibok.sqlite", args=args, env=TEST_CONTROL) as server:
        before = set(_pids(server.url, 30))
        assert len(before) == 2
        killed = min(before)
        os.kill(int(killed), signal.SIGKILL)
        after = _pids(server.url, 30, timeout=60)  # a transport error would fail the test
        assert killed not in after and len(set(after)) == 2
        assert server.alive()


def test_a_second_server_on_a_taken_port_stops_rather_than_share_it(tmp_path: Path) -> None:
    """Sockets with SO_REUSEPORT would share a port with any other server that set it too:
    a second `ibok serve --workers 2` started by mistake on a running one's port must stop
    with uvicorn's message, not take half of its connections without a word."""
    args = ["--demo", "--workers", "2"]
    with ServerProcess(tmp_path / "one.sqlite", args=args, env=TEST_CONTROL) as server:
        workers = set(_pids(server.url, 30))
        command = [
            sys.executable, "-m", "ibok_tui.cli", "serve", "--db", str(tmp_path / "two.sqlite"),
            "--port", str(server.port), *args,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT), **TEST_CONTROL}
        second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        assert second.returncode == 3, second.stdout + second.stderr
        assert "address already in use" in (second.stdout + second.stderr).lower()
        assert set(_pids(server.url, 30)) == workers  # the first's workers, and only they
        assert server.alive()


def _core_files(pid: str) -> set[Path]:
    """The hashing cores' lock files (portal/host_cores.py) a process has open."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.parent.name.startswith(host_cores.PREFIX):
            found.add(target)
    return found


def test_the_workers_hash_on_the_cores_lock_files_their_supervisor_made(tmp_path: Path) -> None:
    """With several workers every hashing thread holds its core's lock file while it hashes:
    the workers' sign-ins open files in one folder of the supervisor's, gone when it stops."""
    args = ["--demo", "--workers", "2"]
    with ServerProcess(tmp_path / "ibok.sqlite", args=args, env=TEST_CONTROL) as server:
        workers = set(_pids(server.url, 30))
        login = {"customer_number": "100001", "password": PASSWORDS["100001"]}
        files: set[Path] = set()
        for _ in range(8):  # new connections: both workers sign someone in
            with httpx.Client(timeout=30, headers={"Connection": "close"}) as http:
                assert http.post(f"{server.url}{API}/auth/login", json=login).status_code == 200
        for pid in workers:
            files |= _core_files(pid)
        assert files and all(re.fullmatch(r"core-\d+", path.name) for path in files)
        (folder,) = {path.parent for path in files}
        assert folder.is_dir()
    assert not folder.exists()
