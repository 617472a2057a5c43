"""What a hostile or odd `Accept-Language` makes of the server's words: only a language the
catalogue has is ever chosen, anything else is Polish."""

from __future__ import annotations

import pytest

from ibok_tui.server.problems import accepted_language, scope_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("en-GB,en;q=0.8", "en"),
        ("de-DE, en;q=0.5", "en"),
        ("de", "pl"),
        ("", "pl"),
        ("\x1b]0;x\x07", "pl"),
        ("../../etc/passwd", "pl"),
        ("en" * 5000, "pl"),  # a primary tag is the whole subtag, not its first letters
        ("english", "pl"),
        (",,,;;;", "pl"),
        ("EN", "en"),
    ],
)
def test_only_a_known_language_is_chosen(header: str, language: str) -> None:
    assert accepted_language(header) == language
    raw = header.encode("latin-1", "replace")
    assert scope_language({"headers": [(b"Accept-Language", raw)]}) == language
