"""Polish (the default) and English messages, and formats through babel.

Polish text is the message key: `_("Faktury")` is "Faktury" in Polish and the entry of
`ENGLISH` in English, so code reads in the product's words and a test checks that every
message the console uses has its English translation. babel, the English messages and the
labels are imported on first use (start-up time).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

LANGUAGES = ("pl", "en")
_LOCALES = {"pl": "pl_PL", "en": "en_GB"}
_state = {"language": "pl"}


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language: {language!r}")
    _state["language"] = language


def get_language() -> str:
    return _state["language"]


def _english() -> dict[str, str]:
    from .en import ENGLISH

    return ENGLISH


def _(message: str, **params: object) -> str:
    """The message in the current language, with `{name}` parameters filled in."""
    text = _english().get(message, message) if _state["language"] == "en" else message
    return text.format(**params) if params else text


def label(value: StrEnum) -> str:
    """The human name of an enum value (a status, a kind, a category)."""
    from .labels import LABELS

    key = f"{type(value).__name__}.{value.value}"
    return _(LABELS.get(key, value.value))


def money(grosze: int) -> str:
    """`1 234,56 zł` in Polish, `PLN 1,234.56` in English (non-breaking spaces)."""
    from babel.numbers import format_currency

    amount = Decimal(grosze) / 100
    language = _state["language"]
    # CLDR separates a letter symbol from the digits ("currency spacing"); babel does not
    # apply that rule, so English would read "PLN1,234.56".
    pattern = "¤\xa0#,##0.00" if language == "en" else None
    return format_currency(amount, "PLN", pattern, locale=_LOCALES[language])


def amount(grosze: int) -> str:
    """The amount without the currency: `1 234,56`."""
    from babel.numbers import format_decimal

    value = Decimal(grosze) / 100
    return format_decimal(value, format="#,##0.00", locale=_LOCALES[_state["language"]])


def decimal(value: Decimal) -> str:
    """A quantity in the language's notation: `6,668` in Polish."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_LOCALES[_state["language"]], decimal_quantization=False)


def cubic_metres(litres: int) -> str:
    """Litres as m³ with three decimals: `123,456 m³`."""
    from babel.numbers import format_decimal

    value = Decimal(litres) / 1000
    text = format_decimal(value, format="#,##0.000", locale=_LOCALES[_state["language"]])
    return f"{text} m³"


def day(value: date | datetime | None) -> str:
    """`21.11.2026` in Polish, `21/11/2026` in English; an empty string for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    separator = "." if _state["language"] == "pl" else "/"
    return f"{value.day:02d}{separator}{value.month:02d}{separator}{value.year}"


def moment(value: datetime | None) -> str:
    """A date and time in the utility's (Polish) time: `21.11.2026 10:00`."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo("Europe/Warsaw")) if value.tzinfo is not None else value
    return f"{day(local)} {local:%H:%M}"


def month(value: date | datetime) -> str:
    """`lis 2026` / `Nov 2026`: a month for a chart's axis or a table."""
    from babel.dates import format_date

    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "LLL yyyy", locale=_LOCALES[_state["language"]])


__all__ = [
    "LANGUAGES",
    "_",
    "amount",
    "cubic_metres",
    "day",
    "decimal",
    "get_language",
    "label",
    "moment",
    "money",
    "month",
    "set_language",
]
