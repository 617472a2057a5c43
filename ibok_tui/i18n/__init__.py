"""The one message catalogue (Polish, the default, and English) and the one set of formats.

Polish text is the message id: `_("Faktury")` is "Faktury" in Polish and the English
catalogue's entry in English, so code reads in the product's words (the domain's terms stay
Polish in both). The catalogue is gettext's: `locale/<language>/LC_MESSAGES/ibok.po` in the
repository, compiled to `ibok.mo` beside it (a test keeps the two in step). The Polish
catalogue holds only plural forms (one, few, many); every other Polish message is its own id.
Money, numbers and months go through babel with the pl_PL / en_GB locale. This package sits
below the portal in the layers, so the server's texts and PDFs can use the same catalogue;
gettext's files and babel are read on first use (start-up time).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from .locales import LOCALE_DIR
from .locales import LOCALES as _LOCALES
from .markers import N_, P_, InContext

if TYPE_CHECKING:
    import gettext

LANGUAGES = ("pl", "en")
DOMAIN = "ibok"
_DAY_SEPARATOR = {"pl": ".", "en": "/"}
NBSP = "\u00a0"
_state = {"language": "pl"}
K = TypeVar("K")
E = TypeVar("E", bound=StrEnum)


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language: {language!r}")
    _state["language"] = language


def get_language() -> str:
    return _state["language"]


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of a language (gettext is imported here: start-up time)."""
    import gettext

    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        return gettext.GNUTranslations(file)


def _filled(text: str, params: dict[str, object]) -> str:
    return text.format(**params) if params else text


def translated(message: str, language: str | None = None) -> str:
    """The message in `language` (else the console's), its parameters left unfilled: for a
    text written below the UI, e.g. by the portal or the server."""
    language = language or _state["language"]
    # gettext's "" is the catalogue's header, never a message
    return message if language == "pl" or not message else translations(language).gettext(message)


def _(message: str, **params: object) -> str:
    """The message in the current language, with `{name}` parameters filled in."""
    return _filled(translated(message), params)


def p_(context: str, message: str, **params: object) -> str:
    """A message whose Polish words mean different things in different places."""
    language = _state["language"]
    text = message if language == "pl" else translations(language).pgettext(context, message)
    return _filled(text, params)


def n_(
    singular: str, plural: str, count: int, *, language: str | None = None, **params: object
) -> str:
    """A message that agrees with a number: Polish has one, few and many
    ("1 wiersz, 3 wiersze, 5 wierszy"), English one and other. `{count}` is the number;
    `language` (else the console's) for a text written below the UI, e.g. by the portal."""
    text = translations(language or _state["language"]).ngettext(singular, plural, count)
    return text.format(count=count, **params)


class Messages(Mapping[K, str]):
    """A module's UI text by key, each a Polish message id translated at each lookup, so a
    language switch shows at the next redraw."""

    def __init__(self, messages: Mapping[K, str]) -> None:
        self._messages = dict(messages)

    def __getitem__(self, key: K) -> str:
        message = self._messages[key]
        return p_(message.context, message) if isinstance(message, InContext) else _(message)

    def __iter__(self) -> Iterator[K]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)


def label(value: StrEnum) -> str:
    """The human name of an enum value (a status, a kind, a category): one per value."""
    from .labels import LABELS

    return _(LABELS.get(f"{type(value).__name__}.{value.value}", value.value))


def enum_labels(kind: type[E]) -> Messages[E]:
    """Every value of an enum with its label, in the enum's order."""
    from .labels import LABELS

    return Messages({value: LABELS[f"{kind.__name__}.{value.value}"] for value in kind})


def money(grosze: int, language: str | None = None) -> str:
    """`1 234,56 zł` in Polish, `PLN 1,234.56` in English (non-breaking spaces); in
    `language`, else the console's.

    Babel applies the locale's pattern anew at every call (0.2–0.3 ms): the tables of a
    tab's first visit, a few hundred amounts, spent tens of milliseconds there. So the marks
    and the symbol's place are babel's, learnt from its samples (forms.py)."""
    from .forms import forms, grouped

    group, mark, positive, negative = forms(language or _state["language"])["money"]
    before, after = positive if grosze >= 0 else negative
    return f"{before}{grouped(grosze, 2, group, mark)}{after}"


def amount(grosze: int) -> str:
    """The amount without the currency: `1 234,56`."""
    from babel.numbers import format_decimal

    value = Decimal(grosze) / 100
    return format_decimal(value, format="#,##0.00", locale=_LOCALES[_state["language"]])


def _locale(language: str | None) -> str:
    return _LOCALES[language or _state["language"]]


def decimal(value: Decimal, language: str | None = None) -> str:
    """A quantity in the language's notation: `6,668` in Polish."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(language), decimal_quantization=False)


def cubic_metres(
    litres: int | None, unit: bool = True, missing: str = "—", language: str | None = None
) -> str:
    """Litres as m³ with three decimals: `1 234,567 m³` (`unit=False`: `1 234,567`)."""
    if litres is None:
        return missing
    from .forms import forms, grouped  # babel's `#,##0.000`, learnt (forms.py)

    group, mark, positive, negative = forms(language or _state["language"])["quantity"]
    before, after = positive if litres >= 0 else negative
    text = f"{before}{grouped(litres, 3, group, mark)}{after}"
    return f"{text} m³" if unit else text


def local(value: datetime) -> datetime:
    """An instant in the utility's (Polish) time; naive datetimes are local already."""
    if value.tzinfo is None:
        return value
    from zoneinfo import ZoneInfo

    return value.astimezone(ZoneInfo("Europe/Warsaw"))


def day(value: date | datetime | None, missing: str = "", language: str | None = None) -> str:
    """`21.11.2026` in Polish, `21/11/2026` in English (an instant in Polish time);
    `missing` for None; in `language`, else the console's."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = local(value).date()
    separator = _DAY_SEPARATOR[language or _state["language"]]
    return f"{value.day:02d}{separator}{value.month:02d}{separator}{value.year}"


def moment(value: datetime | None, language: str | None = None) -> str:
    """A date and time in the utility's (Polish) time: `21.11.2026 10:00`; in `language`,
    else the console's."""
    if value is None:
        return ""
    value = local(value)
    return f"{day(value, language=language)} {value:%H:%M}"


def month(value: date | datetime) -> str:
    """`lis 2026` / `Nov 2026`: a month for a chart's axis or a table (babel's `LLL yyyy`,
    learnt: forms.py)."""
    from .forms import forms

    before, after = forms(_state["language"])["months"][value.month - 1]
    return f"{before}{value.year:04d}{after}"


__all__ = [
    "LANGUAGES",
    "N_",
    "P_",
    "Messages",
    "_",
    "amount",
    "cubic_metres",
    "day",
    "decimal",
    "enum_labels",
    "get_language",
    "label",
    "local",
    "moment",
    "money",
    "month",
    "n_",
    "p_",
    "set_language",
    "translated",
    "translations",
]
