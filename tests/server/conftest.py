"""Server tests talk to a real `ibok serve` process on 127.0.0.1 over HTTP."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ibok_tui.portal.store import Store
from ibok_tui.portal.stores import open_store
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.http_server import ServerProcess
from tests.support.portal import STORES, copy_db, drop_db

API = "/api/v1"


@pytest.fixture(scope="module")
def server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of a fresh copy of the seeded demo database, for one test module."""
    folder = tmp_path_factory.mktemp("server")
    db = folder / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as process:
        yield process


@pytest.fixture
def fresh_server(template_db: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own for one test (a test that stops and starts it)."""
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as process:
        yield process


@pytest.fixture(scope="module", params=STORES)
def shared_db(
    request: pytest.FixtureRequest, template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path | str]:
    """The one database several server processes of a module share: a fresh copy of the
    seeded demo in a SQLite file, or in a PostgreSQL database of the test cluster (its URL).
    What `--db` is given."""
    db = copy_db(str(request.param), template_db, tmp_path_factory.mktemp("shared"))
    yield db
    drop_db(db)


def open_shared_store(db: Path | str) -> Store:
    """The store behind `shared_db`, opened by the test itself to check what was written."""
    return open_store(db)


@contextmanager
def server_pair(
    db: Path | str, args: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two `ibok serve` processes on their own ports over one database (the second started
    once the first answers, so the migrations ran once)."""
    with (
        ServerProcess(db, args=args, env=env) as first,
        ServerProcess(db, args=args, env=env) as second,
    ):
        yield first, second


@pytest.fixture
def http(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + API, timeout=30) as client:
        yield client


def sign_in(http: httpx.Client, number: str) -> dict[str, str]:
    """Bearer headers of a new session of the demo customer `number`."""
    answer = http.post(
        "/auth/login", json={"customer_number": number, "password": PASSWORDS[number]}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def sign_in_operator(http: httpx.Client, login: str = "bok.anna") -> dict[str, str]:
    answer = http.post("/auth/operator-login", json={"login": login, "password": OPERATORS[login]})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def assert_problem(answer: httpx.Response, status: int, code: str | None = None) -> dict:  # type: ignore[type-arg]
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:ibok:problem:")
    assert problem["title"] and problem["detail"]
    if code is not None:  # the code, or the kind it refines (invoice_not_found: not_found)
        kind = problem["type"].removeprefix("urn:ibok:problem:")
        assert code in (problem["code"], kind), problem
    return problem  # type: ignore[no-any-return]
