"""The one message catalogue: every message of the code is in it and translated, nothing in it
is unused, the compiled `.mo` files match their `.po`, Polish plurals agree with the number,
and every enum value has one label."""

from __future__ import annotations

import gettext
import string
from enum import StrEnum
from typing import Any

import pytest
from babel.messages.mofile import write_mo

from ibok_tui.domain import models
from ibok_tui.i18n import LANGUAGES, enum_labels, label, n_, set_language
from ibok_tui.i18n.catalogue import extracted, mo_path, read
from ibok_tui.i18n.labels import LABELS


def _key(message_id: Any, context: str | None) -> tuple[str | None, str]:
    singular = message_id[0] if isinstance(message_id, tuple) else message_id
    return context, singular


def _params(text: str) -> list[str]:
    return sorted(name for _t, name, _f, _c in string.Formatter().parse(text) if name)


def test_the_code_and_the_english_catalogue_hold_the_same_messages() -> None:
    in_code = {_key(message_id, context) for message_id, context, _where in extracted()}
    catalogue = read("en")
    in_catalogue = {_key(m.id, m.context) for m in catalogue if m.id}
    assert len(in_code) > 500
    assert sorted(in_code - in_catalogue, key=str) == []  # missing: run the catalogue tool
    assert sorted(in_catalogue - in_code, key=str) == []  # unused


def test_every_message_has_its_english_with_the_same_parameters() -> None:
    for message in read("en"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id
        for text in strings:
            assert _params(text) == _params(ids[-1]), message.id


def test_the_polish_catalogue_gives_every_plural_its_three_forms() -> None:
    plurals = {_key(m, c) for m, c, _w in extracted() if isinstance(m, tuple)}
    catalogue = read("pl")
    assert catalogue.num_plurals == 3
    assert {_key(m.id, m.context) for m in catalogue if m.id} == plurals
    for message in catalogue:
        if message.id:
            assert len(message.string) == 3 and all(message.string), message.id
            assert {tuple(_params(s)) for s in message.string} == {tuple(_params(message.id[1]))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language: str, tmp_path: Any) -> None:
    """The committed `.mo` is what its `.po` compiles to (`python -m ibok_tui.i18n.catalogue`)."""
    fresh = tmp_path / "fresh.mo"
    with fresh.open("wb") as file:
        write_mo(file, read(language))
    with fresh.open("rb") as new, mo_path(language).open("rb") as committed:
        expected = gettext.GNUTranslations(new)._catalog  # type: ignore[attr-defined]
        assert gettext.GNUTranslations(committed)._catalog == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("count", "polish", "english"),
    [
        (1, "Skopiowano 1 wiersz.", "Copied 1 row."),
        (3, "Skopiowano 3 wiersze.", "Copied 3 rows."),
        (5, "Skopiowano 5 wierszy.", "Copied 5 rows."),
        (12, "Skopiowano 12 wierszy.", "Copied 12 rows."),
        (22, "Skopiowano 22 wiersze.", "Copied 22 rows."),
        (25, "Skopiowano 25 wierszy.", "Copied 25 rows."),
    ],
)
def test_plurals_agree_with_the_number(count: int, polish: str, english: str) -> None:
    def copied() -> str:
        return n_("Skopiowano {count} wiersz.", "Skopiowano {count} wierszy.", count)

    assert copied() == polish
    set_language("en")
    try:
        assert copied() == english
    finally:
        set_language("pl")


def test_a_deadline_of_one_day_reads_in_the_singular(english: None) -> None:
    one, many = (
        "Odpowiemy w ciągu {count} dnia od złożenia.",
        "Odpowiemy w ciągu {count} dni od złożenia.",
    )
    assert n_(one, many, 1) == "We answer within 1 day of filing."
    set_language("pl")
    assert (n_(one, many, 1), n_(one, many, 2)) == (
        "Odpowiemy w ciągu 1 dnia od złożenia.",
        "Odpowiemy w ciągu 2 dni od złożenia.",
    )


def _labelled_enums() -> list[type[StrEnum]]:
    names = {key.split(".")[0] for key in LABELS}
    return [getattr(models, name) for name in sorted(names)]


def test_every_labelled_enum_has_one_label_per_value_in_both_languages() -> None:
    enums = _labelled_enums()
    assert len(enums) >= 15
    for kind in enums:
        assert sorted(f"{kind.__name__}.{v.value}" for v in kind) == sorted(
            key for key in LABELS if key.startswith(f"{kind.__name__}.")
        )
        polish = [label(value) for value in kind]
        assert len(set(polish)) == len(polish), kind
        set_language("en")
        try:
            english = [label(value) for value in kind]
            assert dict(enum_labels(kind)) == dict(zip(kind, english, strict=True))
        finally:
            set_language("pl")
        assert all(e != p or e.isascii() for e, p in zip(english, polish, strict=True)), kind


def test_the_metering_tables_are_the_labels() -> None:
    """One wording per value: the tables of Odczyty and Zgłoszenia are `label()` itself."""
    from ibok_tui.widgets import reading_format

    assert reading_format.READING_STATUS[models.ReadingStatus.PENDING] == label(
        models.ReadingStatus.PENDING
    )
    assert label(models.ReadingStatus.PENDING) == "oczekuje na import"
    assert dict(reading_format.REQUEST_STATUS) == dict(enum_labels(models.RequestStatus))


def test_every_tab_says_what_it_does_in_both_languages(english: None) -> None:
    """Pomoc's "what it does" column: each tab's own sentence, translated."""
    from ibok_tui.screens.forms.keys_help import tab_help
    from ibok_tui.tabs import TABS, tab_screen_class

    for _key, mode, *_rest in TABS:
        screen_class = tab_screen_class(mode)
        set_language("pl")
        polish = tab_help(screen_class)
        set_language("en")
        english_text = tab_help(screen_class)
        assert polish and english_text and polish != english_text, mode
