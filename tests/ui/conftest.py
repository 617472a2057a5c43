"""Fixtures of the console's tests (see console_support.py)."""

from collections.abc import Iterator

import pytest
from textual.widgets import Input

from tests.ui.console_support import (  # noqa: F401
    console,
    console_service,
    memory_keyring,
    no_keyring,
    polish_by_default,
)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A blinking cursor makes a snapshot depend on how long the machine took: under
    load the capture can fall in the half-second the cursor is hidden. Tests keep it on."""
    monkeypatch.setattr(Input.__dict__["cursor_blink"], "_default", False)
    yield
