"""The session header fits the terminal: at 80 columns every tab's key and the current
tab's whole title are on the tab bar, and the date and the balance are on the first line."""

from __future__ import annotations

from datetime import date

import pytest
from textual.content import Content

from ibok_tui.i18n import _, set_language, translations
from ibok_tui.tabs import KEY_LABELS, TABS
from ibok_tui.widgets.header import SHORT_TITLES, HeaderState, session_line, tab_bar
from tests.ui.console_support import SMALL, Console, settle

DIGIT_KEYS = [key for key, *_rest in TABS if key.isdigit()]


def _lines(app: object) -> list[str]:
    header = app.screen.query_one("SessionHeader")  # type: ignore[attr-defined]
    return str(header.content).split("\n")


def _highlighted(app: object) -> list[str]:
    """The text of the tab bar's highlighted (reversed) spans."""
    header = app.screen.query_one("SessionHeader")  # type: ignore[attr-defined]
    content: Content = header.content
    return [
        content.plain[span.start : span.end].strip()
        for span in content.spans
        if "reverse" in str(span.style)
    ]


@pytest.mark.parametrize("language", ["pl", "en"])
async def test_every_tab_is_on_the_bar_at_80_columns(console: Console, language: str) -> None:
    console.config_file.parent.mkdir(parents=True, exist_ok=True)
    console.config_file.write_text(f'[settings]\nlanguage = "{language}"\n', encoding="utf-8")
    app = console.app(console.backend("200001"))  # the longest name, three properties
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key, mode, title, _module, _name in TABS:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            first, bar = _lines(app)
            assert len(first) <= SMALL[0] - 2 and len(bar) <= SMALL[0] - 2, (first, bar)
            assert _("do zapłaty {amount}", amount="").strip() in first
            assert "20.11.2026" in first or "20/11/2026" in first
            keys = bar.split()
            assert all(digit in keys for digit in DIGIT_KEYS), bar
            assert _highlighted(app) == [f"{KEY_LABELS.get(key, key)} {_(title)}"]
            assert _(title) in bar


def _tabs() -> tuple[tuple[str, str, str], ...]:
    return tuple((KEY_LABELS.get(k, k), mode, _(title)) for k, mode, title, _m, _c in TABS)


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("width", [78, 98, 118])
def test_both_lines_fit_and_keep_what_matters(language: str, width: int) -> None:
    set_language(language)
    tabs = _tabs()
    long_name = HeaderState(
        "Spółdzielnia Mieszkaniowa Zalesie Górne Południe",
        "200001",
        "ul. Leśna 12/14, lokal usługowy",
        3,
        date(2026, 11, 20),
        123456789,
        "demo",
        tabs,
    )
    first = Content.assemble(*session_line(long_name, width)).plain
    assert len(first) <= width
    assert _("do zapłaty {amount}", amount="").strip() in first
    assert "200001" in first
    for _key, mode, title in tabs:
        bar = Content.assemble(*tab_bar(tabs, mode, width)).plain
        assert len(bar) <= width, bar
        assert title in bar
        assert all(digit in bar.split() for digit in DIGIT_KEYS)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_bar_keeps_its_form_across_the_numbered_tabs(language: str) -> None:
    """At a given width the other tabs look the same whichever numbered tab is current."""
    set_language(language)
    tabs = _tabs()
    for width in (78, 98, 118):
        names: dict[str, set[str]] = {}
        for key, mode, _title in tabs:
            if key.isdigit():
                parts = tab_bar(tabs, mode, width)
                for part, following in zip(parts, [*parts[1:], ""], strict=True):
                    if isinstance(part, tuple) and "reverse" not in part[1]:
                        names.setdefault(part[0], set()).add(str(following).strip())
        assert len(names) == len(DIGIT_KEYS)
        assert all(len(found) == 1 for found in names.values()), names


def test_full_titles_at_120_columns() -> None:
    tabs = _tabs()
    bar = Content.assemble(*tab_bar(tabs, "pulpit", 118)).plain
    assert "3 Rozrachunki" in bar and "5 Wodomierze" in bar
    bar = Content.assemble(*tab_bar(tabs, "pulpit", 78)).plain
    assert "3 Roz" in bar and "Rozrachunki" not in bar


def test_short_titles_have_english() -> None:
    shorts = {text for pair in SHORT_TITLES.values() for text in pair}
    english = translations("en")._catalog  # type: ignore[attr-defined]
    assert sorted(text for text in shorts if not english.get(text)) == []
