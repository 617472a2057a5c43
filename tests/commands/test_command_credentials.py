"""Where a command's password comes from (#15): the session the console remembered in the
keyring (its token first, then its password, the new token saved), stdin or IBOK_PASSWORD;
never an argument. Against a real server."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ibok_tui.cli import main
from ibok_tui.commands.exits import Exit
from ibok_tui.credentials import SERVICE, CredentialStore
from tests.server.conftest import API, sign_in
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess
from tests.ui.console_support import MemoryKeyring

from .inprocess import ring

__all__ = ["ring"]


@pytest.fixture(scope="module")
def server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    db = tmp_path_factory.mktemp("credentials") / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as process:
        yield process


@pytest.fixture
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + API, timeout=30) as client:
        yield client


def add_profile(server: ServerProcess, customer: str = "") -> None:
    more = ["--customer", customer] if customer else []
    assert main(["profile", "add", "dom", "--server", server.url, *more]) == 0


def token_works(api: httpx.Client, token: str) -> bool:
    return api.get("/me/meters", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_remembered_session_is_resumed_and_kept(
    server: ServerProcess,
    api: httpx.Client,
    ring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_profile(server)
    token = sign_in(api, "100001")["Authorization"].removeprefix("Bearer ")
    CredentialStore("dom").save("100001", PASSWORDS["100001"], token)
    assert main(["meters", "--profile", "dom", "--json"]) == Exit.OK
    assert "WK-2209-11873" in capsys.readouterr().out
    assert ring.entries[(SERVICE, "dom/100001/token")] == token  # resumed, not replaced
    assert token_works(api, token)  # and not logged out: the console resumes it next


def test_a_stale_token_falls_back_to_the_remembered_password_and_saves_the_new_one(
    server: ServerProcess,
    api: httpx.Client,
    ring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_profile(server)
    CredentialStore("dom").save("100002", PASSWORDS["100002"], "stale-token")
    assert main(["meters", "--profile", "dom", "--json"]) == Exit.OK
    new = ring.entries[(SERVICE, "dom/100002/token")]
    assert new != "stale-token" and token_works(api, new)
    assert "OG-2104-00518" in capsys.readouterr().out  # 100002's garden meter


def test_without_credentials_or_for_another_customer_it_says_how_to_sign_in(
    server: ServerProcess, ring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    add_profile(server)
    assert main(["meters", "--profile", "dom", "--customer", "100001"]) == Exit.AUTHENTICATION
    err = capsys.readouterr().err
    assert "--password-stdin" in err and "IBOK_PASSWORD" in err
    CredentialStore("dom").save("100001", PASSWORDS["100001"], "t")
    # the keyring's password is 100001's: never tried for 100002
    assert main(["meters", "--profile", "dom", "--customer", "100002"]) == Exit.AUTHENTICATION
    assert ring.entries[(SERVICE, "dom/100001/token")] == "t"


def test_the_password_from_stdin_or_the_environment(
    server: ServerProcess,
    ring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_profile(server, customer="100001")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS["100001"] + "\nnot read\n"))
    assert main(["meters", "--profile", "dom", "--password-stdin", "--json"]) == Exit.OK
    assert "WK-2209-11873" in capsys.readouterr().out
    assert ring.entries == {}  # a given password is not remembered
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["meters", "--profile", "dom", "--password-stdin"]) == Exit.USAGE
    assert "--password-stdin" in capsys.readouterr().err
    monkeypatch.setenv("IBOK_PASSWORD", "Nie!ToHaslo1")
    assert main(["meters", "--profile", "dom"]) == Exit.AUTHENTICATION
    monkeypatch.setenv("IBOK_PASSWORD", PASSWORDS["100001"])
    assert main(["--profile", "dom", "status"]) in (Exit.OK, Exit.ATTENTION)


def test_a_password_is_never_an_argument(ring: MemoryKeyring) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["meters", "--demo", "--customer", "100001", "--password", PASSWORDS["100001"]])
    assert stopped.value.code == Exit.USAGE


def test_no_backend_named_and_an_unknown_profile_are_usage_errors(
    ring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["meters"]) == Exit.USAGE
    assert "--demo" in capsys.readouterr().err
    assert main(["meters", "--profile", "nikt"]) == Exit.USAGE
    assert "nikt" in capsys.readouterr().err
