"""The commands that do something: submit-reading, request new, invoice pdf, pay."""

from __future__ import annotations

from typing import Any


def add(sub: Any) -> None:
    return None
