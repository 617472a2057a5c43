"""Fixtures of the console's tests (see console_support.py)."""

from tests.ui.console_support import (  # noqa: F401
    console,
    console_service,
    memory_keyring,
    no_keyring,
    polish_by_default,
)
