"""The commands run as a user runs them: `ibok …` in a subprocess (a private HOME, config
directory and no keyring), against a real `ibok serve` of the seeded demo data or the demo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.clock import PINNED_NOW
from tests.support.http_server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Done:
    status: int
    out: bytes
    err: str

    def json(self) -> object:
        return json.loads(self.out)


class User:
    """A user's shell: `ibok` on PATH (this checkout's), a private home and configuration,
    the keyring's null backend (a script has none unless the console remembered one)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.bin = home / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        ibok = self.bin / "ibok"
        ibok.write_text(f'#!/bin/sh\nexec {sys.executable} -m ibok_tui.cli "$@"\n')
        ibok.chmod(0o755)
        self.env = {
            "PATH": f"{self.bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "IBOK_CONFIG_DIR": str(home / ".config/ibok"),
            "PYTHONPATH": str(ROOT),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "IBOK_CLOCK": PINNED_NOW.isoformat(),
            "TZ": "Europe/Warsaw",
            "LANG": "C.UTF-8",
        }

    def run(
        self,
        *args: str,
        stdin: str = "",
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 60,
    ) -> Done:
        done = subprocess.run(
            list(args),
            input=stdin.encode(),
            capture_output=True,
            env={**self.env, **(env or {})},
            cwd=cwd or self.home,
            timeout=timeout,
        )
        return Done(done.returncode, done.stdout, done.stderr.decode(errors="replace"))

    def ibok(self, *args: str, **options: object) -> Done:
        return self.run(str(self.bin / "ibok"), *args, **options)  # type: ignore[arg-type]


@pytest.fixture
def user(tmp_path: Path) -> User:
    return User(tmp_path / "home")


@pytest.fixture
def fresh_server(template_db: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own copy of the seeded demo database (a test may stop it)."""
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as process:
        yield process


def schema(user: User, command: str) -> dict[str, object]:
    done = user.ibok("schema", command)
    assert done.status == 0, done.err
    found = json.loads(done.out)
    assert isinstance(found, dict)
    return found
