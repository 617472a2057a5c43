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


@pytest.mark.parametrize("language", ["pl", "en"])
def test_shipped_forms_are_what_babel_writes_now(language: str) -> None:
    """locale/forms.json (written by the catalogue command) holds babel's marks and month
    names as the installed babel writes them: a new babel fails here until the command runs."""
    import json

    from ibok_tui.i18n.forms import FORMS_PATH, learn

    shipped = json.loads(FORMS_PATH.read_text(encoding="utf-8"))
    assert shipped[language] == learn(language)


@pytest.mark.parametrize(("language", "locale"), [("pl", "pl_PL"), ("en", "en_GB")])
def test_cubic_metres_and_months_are_babels_formats(language: str, locale: str) -> None:
    """`cubic_metres` writes babel's `#,##0.000` and `month` babel's `LLL yyyy`, for every
    size and sign of quantity and every month."""
    from decimal import Decimal
    from random import Random

    from babel.dates import format_date
    from babel.numbers import format_decimal

    from ibok_tui.i18n import month

    rng = Random(14)
    values = [0, 1, 9, 10, 999, 1000, 1001, 999999, 1000000, 1012814]
    values += [10**n + d for n in range(3, 19) for d in (-1, 0, 1)]
    values += [-v for v in values] + [rng.randint(-(10**15), 10**15) for _ in range(500)]
    for litres in values:
        expected = format_decimal(Decimal(litres) / 1000, format="#,##0.000", locale=locale)
        assert cubic_metres(litres, unit=False, language=language) == expected, litres
    set_language(language)
    try:
        for year in (999, 2000, 2026, 9999):
            for number in range(1, 13):
                value = date(year, number, 28)
                assert month(value) == format_date(value, "LLL yyyy", locale=locale)
                moment_ = datetime(year, number, 28, 23, 30, tzinfo=UTC)
                assert month(moment_) == format_date(moment_.date(), "LLL yyyy", locale=locale)
    finally:
        set_language("pl")


def test_a_start_formats_money_quantities_and_months_without_babel() -> None:
    """Pulpit's first data (a resumed start) writes amounts, cubic metres and months from
    the shipped forms: babel, whose locale load cost a tenth of the bare app's first frame,
    is not imported."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, datetime\n"
        "from ibok_tui.i18n import money, cubic_metres, month, day\n"
        "print(money(123456), cubic_metres(1012814), month(datetime.date(2026, 11, 1)),"
        " day(datetime.date(2026, 11, 21)))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
    )
    shown, modules = done.stdout.splitlines()
    assert shown == "1\xa0234,56\xa0zł 1\xa0012,814 m³ lis 2026 21.11.2026"
    assert modules == "[]"
