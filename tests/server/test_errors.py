"""An unhandled error in a route: a 500 problem, and the connection goes on serving."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import API, assert_problem
from tests.support.http_server import ServerProcess


@pytest.fixture(scope="module")
def control(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with the test-only routes (one that fails, one that names the peer)."""
    db = tmp_path_factory.mktemp("errors") / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db, env={"IBOK_TEST_CONTROL": "1"}) as process:
        yield process


def test_an_unhandled_error_keeps_the_connection(control: ServerProcess) -> None:
    # one connection at most: were it closed, the peer's port would change
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with httpx.Client(base_url=control.url + API, limits=limits) as http:
        before = http.get("/_test/peer").text
        failed = http.get("/_test/fail")
        problem = assert_problem(failed, 500, "error")
        assert problem["detail"] == "Wewnętrzny błąd serwera."
        assert failed.headers.get("connection", "").lower() != "close"
        after = http.get("/_test/peer").text
        assert after == before
        again = http.get("/health")
        assert again.status_code == 200
        assert http.get("/_test/peer").text == before
    log = control.log()
    assert "Exception in ASGI application" not in log  # answered, not crashed through
    assert control.alive()
