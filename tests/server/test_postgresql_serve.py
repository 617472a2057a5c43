"""`ibok migrate` and `ibok serve` over PostgreSQL: a new database migrated by several
processes at once, the demo served from it, and a database that cannot be reached said so
without the password."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from ibok_tui.portal.schema import SCHEMA
from tests.server.conftest import API
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ROOT, ServerProcess
from tests.support.postgres import cluster


@pytest.fixture
def database() -> Iterator[str]:
    url = cluster().new_database()
    yield url
    cluster().drop(url)


def _ibok(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ibok_tui.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_migrate_started_by_several_processes_at_once_migrates_once(database: str) -> None:
    started = [_ibok("migrate", "--db", database) for _ in range(3)]
    done = [(p.wait(120), *p.communicate()) for p in started]
    assert [code for code, _out, _err in done] == [0, 0, 0], done
    for _code, out, _err in done:
        assert f"schemat w wersji {len(SCHEMA)}" in out
    again = _ibok("migrate", "--db", database)
    assert again.wait(60) == 0


def test_serve_demo_on_an_empty_postgresql_database(database: str) -> None:
    with ServerProcess(database, args=["--demo"]) as server:
        answer = httpx.post(
            f"{server.url}{API}/auth/login",
            json={"customer_number": "100001", "password": PASSWORDS["100001"]},
        )
        assert answer.status_code == 200 and answer.json()["name"] == "Jan Kowalski"
        token = answer.json()["token"]
        board = httpx.get(
            f"{server.url}{API}/me/dashboard", headers={"Authorization": f"Bearer {token}"}
        )
        assert board.status_code == 200, board.text
    assert "baza postgresql://postgres@/" in server.log()


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_a_database_out_of_reach_is_named_without_its_password(command: str) -> None:
    url = "postgresql://ibok:Tajne!Haslo@/ibok?host=/nonexistent-ibok-socket-dir"
    process = _ibok(command, "--db", url)
    code = process.wait(60)
    out, err = process.communicate()
    assert code == 2, (out, err)
    assert "postgresql://ibok:***@/ibok" in err and "niedostępna" in err, err
    assert "Tajne" not in out + err


def test_generate_fills_an_empty_postgresql_database_and_refuses_a_filled_one(
    database: str,
) -> None:
    args = ("generate", "--db", database, "--customers", "2", "--years", "1", "--workers", "1")
    first = _ibok(*args)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert "Gotowe: postgresql://postgres@/" in err
    again = _ibok(*args)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 2 and "nie jest pusta" in err, (out, err)
