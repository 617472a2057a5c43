"""i18n: Polish and English formats through babel, keys and domain problems in English."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ibok_tui.domain.models import InvoiceStatus
from ibok_tui.i18n import _, cubic_metres, day, label, moment, money, set_language

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"


def test_polish_formats() -> None:
    assert money(123456) == "1\xa0234,56\xa0zł"
    assert money(-5) == "-0,05\xa0zł"
    assert day(date(2026, 11, 21)) == "21.11.2026"
    assert cubic_metres(1012814) == "1\xa0012,814 m³"
    assert moment(datetime(2026, 11, 21, 9, 15, tzinfo=UTC)) == "21.11.2026 10:15"
    assert label(InvoiceStatus.OVERDUE) == "zaległa"
    assert _("dane na dzień {date}", date="20.11.2026") == "dane na dzień 20.11.2026"


def test_english_formats(english: None) -> None:
    assert money(123456) == "PLN\xa01,234.56"
    assert money(-5) == "-PLN\xa00.05"
    assert day(date(2026, 11, 21)) == "21/11/2026"
    assert label(InvoiceStatus.OVERDUE) == "overdue"
    assert _("dane na dzień {date}", date="20/11/2026") == "data as of 20/11/2026"


@pytest.mark.parametrize(
    ("language", "locale", "pattern"), [("pl", "pl_PL", None), ("en", "en_GB", "¤\xa0#,##0.00")]
)
def test_money_is_babels_currency_format(language: str, locale: str, pattern: str | None) -> None:
    """`money` writes what babel's `format_currency` writes (it learns the marks and the
    symbol's place from babel once), for every size and sign of amount."""
    from decimal import Decimal
    from random import Random

    from babel.numbers import format_currency

    rng = Random(14)
    values = [0, 1, -1, 9, 10, -10, 99, 100, -100, 999, 1000, 99999, 100000, -100000]
    values += [10**n + d for n in range(3, 19) for d in (-1, 0, 1)]
    values += [-v for v in values] + [rng.randint(-(10**15), 10**15) for _ in range(500)]
    for grosze in values:
        expected = format_currency(Decimal(grosze) / 100, "PLN", pattern, locale=locale)
        assert money(grosze, language) == expected, grosze


def _descriptions(node: Any) -> set[str]:
    return {b.description for bs in node._bindings.key_to_bindings.values() for b in bs}


def test_dialog_and_widget_keys_follow_the_language(english: None) -> None:
    """Modal forms and widgets translate their own keys (they are not tab screens)."""
    from ibok_tui.screens.account.new_terms import NewTermsScreen
    from ibok_tui.screens.forms.dialogs import ConfirmDialog
    from ibok_tui.screens.forms.reading_form import ReadingForm
    from ibok_tui.screens.forms.request_form import RequestForm
    from ibok_tui.widgets.reading_series import ReadingSeries

    assert {"Close", "Send"} <= _descriptions(ReadingForm())
    assert {"Close", "Send"} <= _descriptions(RequestForm())
    assert "Back" in _descriptions(ReadingSeries())
    assert {"Close", "Send"} <= _descriptions(ConfirmDialog("?", "?", "Withdraw"))
    new_terms = NewTermsScreen(None)  # type: ignore[arg-type]  # its keys, not its terms
    assert {"I accept", "I do not accept"} <= _descriptions(new_terms)
    set_language("pl")
    assert {"Zamknij", "Wyślij"} <= _descriptions(ConfirmDialog("?", "?", "Wycofaj"))


def test_metering_formats_follow_the_language() -> None:
    from ibok_tui.widgets.reading_format import day as reading_day
    from ibok_tui.widgets.reading_format import editable_index, m3, zloty

    assert (m3(1234567), zloty(123456), reading_day(date(2026, 11, 21))) == (
        "1\xa0234,567",
        "1\xa0234,56\xa0zł",
        "21.11.2026",
    )
    assert editable_index(1234567) == "1 234,567"
    set_language("en")
    try:
        assert (m3(1234567), zloty(123456), reading_day(date(2026, 11, 21))) == (
            "1,234.567",
            "PLN\xa01,234.56",
            "21/11/2026",
        )
        assert editable_index(1234567) == "1234.567"
        assert zloty(-5) == money(-5) == "-PLN\xa00.05"
    finally:
        set_language("pl")


def test_domain_problems_are_shown_in_english(english: None) -> None:
    """The live check's refusals are worded by their code, as the server words them."""
    from ibok_tui.domain.readings import ReadingInputError, check_reading, parse_index
    from ibok_tui.i18n.problems import field_text, render
    from ibok_tui.widgets.reading_format import editable_index

    with pytest.raises(ReadingInputError) as raised:
        parse_index("abc")
    assert render(raised.value.code, field="value") == (
        "The meter index must be a number, e.g. 123.456 (m³)."
    )
    assert parse_index(editable_index(1234567)) == 1234567
    verdict = check_reading(1000, date(2026, 11, 22), [], today=date(2026, 11, 21))
    [error] = verdict.errors
    assert field_text(error) == "The reading date cannot be later than today."
    set_language("pl")
    assert error.message == ""  # the domain writes codes, never sentences
    assert field_text(error) == "Data odczytu nie może być późniejsza niż dzisiejsza."
    assert render(raised.value.code, field="value") == (
        "Stan wodomierza musi być liczbą, np. 123,456 (m³)."
    )
