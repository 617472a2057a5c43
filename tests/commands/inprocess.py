"""Running `ibok` commands in this process (faster than a subprocess; the subprocess tests
prove the real entry point): a private configuration, the pinned clock, a memory keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from ibok_tui.i18n import set_language
from tests.support.clock import PINNED_NOW
from tests.ui.console_support import MemoryKeyring


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MemoryKeyring]:
    monkeypatch.setenv("IBOK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("IBOK_CLOCK", PINNED_NOW.isoformat())
    monkeypatch.delenv("IBOK_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)
    set_language("pl")
