"""How babel writes money, cubic metres and months in each language, learnt from babel and
shipped beside the catalogue (`locale/forms.json`).

Babel's first format in a process loads its locale (the pickles of root, pl and pl_PL,
merged) and parses the pattern: about a tenth of the bare Textual app's first frame, spent
on a resumed start between Pulpit's first frame and its data. So `learn` asks babel for
samples of each language (an amount, a quantity, every month) and keeps what it wrote: the
group and decimal marks, what stands before and after the digits, the month's words around
the year. The catalogue command (catalogue.py) writes that file with the `.mo` files, and a
test checks that it is what babel writes now (a new babel: run the catalogue command).
The formats in i18n/__init__.py fill the digits in; babel stays the source of every mark.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from .locales import LOCALE_DIR, LOCALES

FORMS_PATH = LOCALE_DIR / "forms.json"
# CLDR separates a letter symbol from the digits ("currency spacing"); babel does not
# apply that rule, so English would read "PLN1,234.56".
CURRENCY_PATTERNS = {"en": "¤\xa0#,##0.00"}
QUANTITY_PATTERN = "#,##0.000"  # cubic metres: three decimals, grouped
MONTH_PATTERN = "LLL yyyy"  # a chart's axis, a table: "lis 2026"
_SAMPLE_YEAR = 2000


def grouped(value: int, places: int, group: str, mark: str) -> str:
    """`value` / 10**places, without its sign: the whole part grouped by threes, then
    `places` decimals."""
    whole, fraction = divmod(abs(value), 10**places)
    return f"{whole:,}".replace(",", group) + f"{mark}{fraction:0{places}d}"


def _around(text: str, digits_from: str, digits_to: str) -> tuple[str, str, str]:
    start, end = text.index(digits_from), text.rindex(digits_to) + 1
    return text[:start], text[start:end], text[end:]


def _signed(format_one: Any, positive: str, places: int) -> list[Any]:
    """[group, mark, [before, after] of a positive value, [before, after] of a negative],
    from babel's writing of `positive` (its digits begin with 1 and end with 9) and of its
    negative."""
    before, digits, after = _around(format_one(Decimal(positive)), "1", "9")
    n_before, n_digits, n_after = _around(format_one(-Decimal(positive)), "1", "9")
    group, mark = digits[1], digits[-(places + 1)]  # "1 234 567,89"
    whole = int(positive.replace(".", ""))
    if digits != n_digits or grouped(whole, places, group, mark) != digits:
        raise ValueError(f"unexpected number format: {digits!r}")
    return [group, mark, [before, after], [n_before, n_after]]


def learn(language: str) -> dict[str, Any]:
    """What babel writes in `language` (babel is imported here)."""
    from babel.dates import format_date
    from babel.numbers import format_currency, format_decimal

    locale = LOCALES[language]
    pattern = CURRENCY_PATTERNS.get(language)
    year = str(_SAMPLE_YEAR)
    months = []
    for number in range(1, 13):
        text = format_date(date(_SAMPLE_YEAR, number, 1), MONTH_PATTERN, locale=locale)
        if text.count(year) != 1:
            raise ValueError(f"unexpected month format in {language}: {text!r}")
        months.append(text.split(year))
    return {
        "money": _signed(
            lambda v: format_currency(v, "PLN", pattern, locale=locale), "1234567.89", 2
        ),
        "quantity": _signed(
            lambda v: format_decimal(v, format=QUANTITY_PATTERN, locale=locale), "1234567.899", 3
        ),
        "months": months,
    }


@cache
def _shipped() -> dict[str, Any]:
    import msgspec  # the backend's and the last Pulpit's decoder: json is not imported

    try:
        found: dict[str, Any] = msgspec.json.decode(FORMS_PATH.read_bytes())
    except FileNotFoundError:  # a checkout before the catalogue command: babel tells
        return {}
    return found


@cache
def forms(language: str) -> dict[str, Any]:
    """The forms of `language`: the shipped ones, else learnt from babel now."""
    return _shipped().get(language) or learn(language)


def write() -> None:
    """The catalogue command's step: every language's forms, as babel writes them now."""
    import json

    learnt = {language: learn(language) for language in LOCALES}
    text = json.dumps(learnt, indent=1, sort_keys=True) + "\n"
    FORMS_PATH.write_text(text, encoding="utf-8")
