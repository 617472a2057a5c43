"""credentials.py: the keyring entries of a profile; and once through a real Secret Service."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from ibok_tui.credentials import SERVICE, CredentialStore
from tests.ui.console_support import MemoryKeyring

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def test_save_load_forget_token_and_forget(ring: MemoryKeyring) -> None:
    store = CredentialStore("dom")
    assert store.available()
    assert store.load() is None
    store.save("100001", "Woda!Kowalski1", "token-1")
    assert ring.entries[(SERVICE, "dom/100001/password")] == "Woda!Kowalski1"
    loaded = store.load()
    assert loaded is not None
    assert (loaded.customer, loaded.password, loaded.token) == (
        "100001",
        "Woda!Kowalski1",
        "token-1",
    )
    assert CredentialStore("praca").load() is None  # profiles do not share entries
    store.forget_token("100001")
    after = store.load()
    assert after is not None and after.token is None and after.password == "Woda!Kowalski1"
    store.forget_token("100001")  # forgetting twice is fine
    store.forget("100001")
    assert store.load() is None
    assert ring.entries == {}


def test_no_keyring_backend_is_not_available() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = CredentialStore("dom")
        assert not store.available()
        assert store.load() is None
    finally:
        keyring.set_keyring(previous)


REAL_SCRIPT = textwrap.dedent(
    """
    import json, keyring
    from ibok_tui.credentials import CredentialStore
    store = CredentialStore("real-test")
    result = {"backend": type(keyring.get_keyring()).__module__, "available": store.available()}
    store.save("100001", "Woda!Kowalski1", "token-xyz")
    loaded = store.load()
    result["loaded"] = [loaded.customer, loaded.password, loaded.token] if loaded else None
    store.forget("100001")
    result["after"] = store.load() is None
    print(json.dumps(result))
    """
)


@pytest.mark.keyring_real
def test_real_secret_service_round_trip(tmp_path: Path) -> None:
    """gnome-keyring under a private D-Bus session stores and returns the secrets."""
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install dbus gnome-keyring"
    env = {
        "HOME": str(tmp_path),
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "LANG": "C.UTF-8",
    }
    command = (
        "echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
        f'exec "{sys.executable}" -c "$IBOK_SCRIPT"'
    )
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", command],
        env={**env, "IBOK_SCRIPT": REAL_SCRIPT},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["backend"] == "keyring.backends.SecretService"
    assert result["available"] is True
    assert result["loaded"] == ["100001", "Woda!Kowalski1", "token-xyz"]
    assert result["after"] is True
