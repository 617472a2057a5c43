"""No word of the other language on screen: the walk over every tab and dialog of the
customer's and the clerk's console (tests/ui/walk.py), in English finding no Polish word and
in Polish no English one, outside the data the utility wrote (every word of the store's text
is allowed: names, streets, invoice lines, notices) and the words the catalogue keeps the
same in both languages (iBOK, BOK, PDF…).

What is read is what the app wrote to its terminal, with the control sequences taken out."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ibok_tui.i18n.catalogue import read
from tests.ui.console_support import Console, settle, sign_in
from tests.ui.test_operator import office_app, sign_in_operator
from tests.ui.walk import Terminal, run, walk_clerk, walk_customer

CONTROL = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]"
)
WORD = re.compile(r"[^\W\d_]+")
POLISH_LETTERS = frozenset("ąćęłńóśźż")
# common Polish words with no diacritics and no English meaning
POLISH_WORDS = frozenset(
    [
        "nie",
        "oraz",
        "lub",
        "jest",
        "dla",
        "brak",
        "przez",
        "tylko",
        "albo",
        "jako",
        "przy",
        "bez",
        "przed",
        "wszystkie",
        "zapisz",
        "anuluj",
        "wyslij",
        "zamknij",
        "wyjdz",
        "faktury",
        "odczyty",
        "wodomierze",
        "umowy",
        "dokumenty",
        "pomoc",
        "ustawienia",
        "pulpit",
        "zgloszenia",
        "analizy",
        "rozrachunki",
        "klienci",
        "kolejka",
        "saldo",
    ]
)
# common English words that are no Polish words
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "with",
        "your",
        "you",
        "press",
        "search",
        "commands",
        "command",
        "matches",
        "found",
        "focus",
        "next",
        "previous",
        "quit",
        "theme",
        "keys",
        "screenshot",
        "save",
        "cancel",
        "close",
        "send",
        "invoices",
        "settings",
        "help",
        "readings",
        "meters",
        "requests",
        "contracts",
        "documents",
        "customers",
        "queue",
        "balance",
        "back",
        "yes",
    ]
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@pytest.fixture(scope="module")
def allowed(template_db: Path) -> set[str]:
    """Every word of the utility's data in the store, and the catalogue's words that are
    the same in both languages."""
    words: set[str] = set()
    with sqlite3.connect(template_db) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        words |= _words(value)
    for message in read("en"):
        if message.id and message.string == message.id:
            words |= _words(str(message.id))
    return words


def looking_for(kind: str, allowed: set[str]) -> Callable[[str, str], list[str]]:
    def is_foreign(word: str) -> bool:
        if kind == "polish":
            return bool(POLISH_LETTERS & set(word)) or word in POLISH_WORDS
        return word in ENGLISH_WORDS

    def is_data(word: str) -> bool:
        # a frame may redraw part of a line: a piece of the utility's word is its word
        return word in allowed or any(word in known for known in allowed)

    def look(_step: str, written: str) -> list[str]:
        text = CONTROL.sub(" ", written)
        return sorted(w for w in _words(text) if is_foreign(w) and not is_data(w))

    return look


async def switch(term: Terminal, language: str) -> None:
    """The console in `language`; only what is drawn from then on is looked at (the first
    frame was drawn in Polish)."""
    await settle(term.pilot)
    if language == "en":
        term.mark = len(term.driver.written)
        await term.pilot.app.change_language("en")  # type: ignore[attr-defined]
        await settle(term.pilot)


@pytest.mark.parametrize(("language", "foreign"), [("en", "polish"), ("pl", "english")])
async def test_the_customer_s_console_shows_no_word_of_the_other_language(
    console: Console, allowed: set[str], language: str, foreign: str
) -> None:
    async with run(console.app()) as pilot:
        await settle(pilot)
        term = Terminal(pilot, look=looking_for(foreign, allowed))
        await switch(term, language)
        term.check("login screen")
        await sign_in(pilot, "200001")
        term.check("Pulpit after sign-in")
        await walk_customer(term)
        assert term.leaks == [], "\n".join(term.leaks)


def test_the_word_detectors_find_the_other_language() -> None:
    """The check can fail: Textual's untranslated prompt, a Polish sentence in English."""
    assert looking_for("english", set())("", "\x1b[2;3HSearch for commands…") == [
        "commands",
        "search",
    ]
    assert looking_for("polish", {"kowalski"})("", "Jan Kowalski: Zapłać teraz") == ["zapłać"]


@pytest.mark.parametrize(("language", "foreign"), [("en", "polish"), ("pl", "english")])
async def test_the_clerk_s_console_shows_no_word_of_the_other_language(
    console: Console, allowed: set[str], language: str, foreign: str
) -> None:
    async with run(office_app(console)) as pilot:
        await settle(pilot)
        term = Terminal(pilot, look=looking_for(foreign, allowed))
        await switch(term, language)
        term.check("login screen")
        await sign_in_operator(pilot)
        term.check("Klienci after sign-in")
        await walk_clerk(term)
        assert term.leaks == [], "\n".join(term.leaks)
