from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.clock import FakeClock
from tests.support.portal import seed_template

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
os.environ.setdefault("TZ", "Europe/Warsaw")


@pytest.fixture(scope="session", autouse=True)
def _stop_postgresql() -> Iterator[None]:
    """The PostgreSQL cluster some tests start lives for the session; stop it at the end
    (after the servers over it, whose fixtures are torn down first)."""
    yield
    from tests.support.postgres import stop_cluster

    stop_cluster()


@pytest.fixture(autouse=True)
def _private_data_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console's private files (the outbox, backends/private_files.py) go to the user
    data directory: each test gets its own, never the real one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo data seeded once per test run (pinned clock); tests copy it."""
    yield seed_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
