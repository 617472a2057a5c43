import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.text import codepoint, unsafe_character, visible, without_unsafe

HOSTILE = [
    "\x1b]0;PWNED\x07",  # window title
    "\x1b]52;c;cHduZWQ=\x07",  # clipboard (OSC 52)
    "\x1b[2J",  # clear screen
    "\x9b2J",  # the one-byte CSI of C1
    "\x00",
    "\x7f",
    "abc\u202edcba",  # right-to-left override
    "\u2066isolate\u2069",
    "line\u2028separator",
    "\ud800",  # a lone surrogate
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_steering_character_is_refused_shown_and_removed(text: str) -> None:
    assert unsafe_character(text) is not None
    assert unsafe_character(text, multiline=True) is not None
    shown = visible(text)
    assert unsafe_character(shown, multiline=True) is None
    assert len(shown) == len(text)  # one stand-in per character: nothing silently dropped
    assert unsafe_character(without_unsafe(text), multiline=True) is None


def test_escape_is_shown_as_its_control_picture() -> None:
    assert visible("\x1b[2J") == "\u241b[2J"
    assert visible("a\x00b\x7f") == "a\u2400b\u2421"
    assert visible("\x9b") == "\ufffd"


def test_newline_and_tab_belong_to_multiline_text_only() -> None:
    assert unsafe_character("a\nb\tc", multiline=True) is None
    assert unsafe_character("a\nb") == "\n"
    assert visible("a\nb\tc") == "a\nb\tc"
    assert visible("a\nb", multiline=False) == "a\u240ab"
    assert without_unsafe("a\n\x1bb") == "a\nb"


def test_ordinary_polish_text_passes_untouched() -> None:
    text = "Wiśniewski, ul. Źródlana 7/3, 1\u00a0234,56\u00a0zł — „cudzysłów” 🚰"
    assert unsafe_character(text) is None
    assert visible(text) is text
    assert without_unsafe(text) is text


def test_codepoint_names_the_character() -> None:
    assert codepoint("\x1b") == "U+001B"
    assert codepoint("\u202e") == "U+202E"


@given(st.text())
def test_what_is_shown_or_removed_is_always_safe(text: str) -> None:
    assert unsafe_character(visible(text), multiline=True) is None
    assert unsafe_character(without_unsafe(text), multiline=True) is None
