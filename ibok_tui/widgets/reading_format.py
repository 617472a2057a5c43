"""How meters, readings and requests read on screen: Polish numbers, dates and labels.

Indexes and volumes are integer litres; they are shown in m³ with three decimals and a
decimal comma ("1 234,567"). Text that came from the backend is always wrapped in
`rich.text.Text` by the caller, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from rich.text import Text

from ..domain.models import (
    LegalizationState,
    Litres,
    MeterOwner,
    MeterRole,
    MeterStatus,
    ReadingStatus,
    ReadingType,
    RequestCategory,
    RequestStatus,
    Resolution,
)
from ..domain.money import to_decimal
from ..domain.readings import litres_to_m3
from ..i18n import get_language

NBSP = "\u00a0"
POLISH_TIME = ZoneInfo("Europe/Warsaw")
K = TypeVar("K")
_DAY_FORMAT = {"pl": "%d.%m.%Y", "en": "%d/%m/%Y"}


class Messages(Mapping[K, str]):
    """A module's UI text: Polish, and English looked up when the console is in English.

    The language is read at each lookup, so a switch shows at the next redraw.
    """

    def __init__(self, polish: Mapping[K, str], english: Mapping[K, str]) -> None:
        self._polish = dict(polish)
        self._english = dict(english)

    def __getitem__(self, key: K) -> str:
        if get_language() == "en" and key in self._english:
            return self._english[key]
        return self._polish[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._polish)

    def __len__(self) -> int:
        return len(self._polish)

    def untranslated(self) -> list[K]:
        """The keys with Polish text and no English (a test keeps this empty)."""
        return [key for key in self._polish if key not in self._english]

    def pairs(self) -> list[tuple[K, str, str | None]]:
        """(key, Polish, English or None) for every entry."""
        return [(key, text, self._english.get(key)) for key, text in self._polish.items()]


READING_TYPE: Messages[Any] = Messages(
    {
        ReadingType.COLLECTOR: "inkasent",
        ReadingType.SELF: "samoodczyt iBOK",
        ReadingType.REMOTE: "zdalny, radiowy",
        ReadingType.ESTIMATE: "szacunek",
        ReadingType.INSTALLATION: "montaż",
        ReadingType.REMOVAL: "demontaż",
    },
    {
        ReadingType.COLLECTOR: "collector",
        ReadingType.SELF: "self (iBOK)",
        ReadingType.REMOTE: "remote, radio",
        ReadingType.ESTIMATE: "estimate",
        ReadingType.INSTALLATION: "installation",
        ReadingType.REMOVAL: "removal",
    },
)
READING_STATUS: Messages[Any] = Messages(
    {
        ReadingStatus.PENDING: "oczekuje na import",
        ReadingStatus.ACCEPTED: "przyjęty",
        ReadingStatus.WITHDRAWN: "wycofany",
    },
    {
        ReadingStatus.PENDING: "waiting for import",
        ReadingStatus.ACCEPTED: "accepted",
        ReadingStatus.WITHDRAWN: "withdrawn",
    },
)
METER_STATUS: Messages[Any] = Messages(
    {
        MeterStatus.ACTIVE: "czynny",
        MeterStatus.REMOVED: "zdemontowany",
        MeterStatus.DAMAGED: "uszkodzony",
    },
    {
        MeterStatus.ACTIVE: "active",
        MeterStatus.REMOVED: "removed",
        MeterStatus.DAMAGED: "damaged",
    },
)
METER_ROLE: Messages[Any] = Messages(
    {MeterRole.MAIN: "główny", MeterRole.SUB: "podlicznik"},
    {MeterRole.MAIN: "main", MeterRole.SUB: "sub-meter"},
)
METER_OWNER: Messages[Any] = Messages(
    {MeterOwner.UTILITY: "wodociągi", MeterOwner.CUSTOMER: "odbiorca"},
    {MeterOwner.UTILITY: "the utility", MeterOwner.CUSTOMER: "the customer"},
)
RESOLUTION: Messages[Any] = Messages(
    {
        Resolution.HOUR: "godzinowe",
        Resolution.DAY: "dobowe",
        Resolution.MONTH: "odczyty okresowe",
        Resolution.YEAR: "roczne",
        Resolution.BILLING_PERIOD: "okresy rozliczeniowe",
    },
    {
        Resolution.HOUR: "hourly",
        Resolution.DAY: "daily",
        Resolution.MONTH: "periodic readings",
        Resolution.YEAR: "yearly",
        Resolution.BILLING_PERIOD: "billing periods",
    },
)
LEGALIZATION_STYLE = {
    LegalizationState.VALID: "green",
    LegalizationState.EXPIRING: "yellow",
    LegalizationState.EXPIRED: "bold red",
}
LEGALIZATION: Messages[Any] = Messages(
    {
        LegalizationState.VALID: "ważna",
        LegalizationState.EXPIRING: "wygasa w ciągu 90 dni",
        LegalizationState.EXPIRED: "wygasła",
    },
    {
        LegalizationState.VALID: "valid",
        LegalizationState.EXPIRING: "expires within 90 days",
        LegalizationState.EXPIRED: "expired",
    },
)
REQUEST_CATEGORY: Messages[Any] = Messages(
    {
        RequestCategory.FAILURE: "awaria",
        RequestCategory.WATER_QUALITY: "jakość wody",
        RequestCategory.PARTY_DATA_CHANGE: "zmiana danych strony umowy",
        RequestCategory.COMPLAINT: "reklamacja",
        RequestCategory.GARDEN_METER_INSTALL: "wodomierz ogrodowy: montaż",
        RequestCategory.GARDEN_METER_REPLACE: "wodomierz ogrodowy: wymiana",
        RequestCategory.GARDEN_METER_REMOVE: "wodomierz ogrodowy: demontaż",
        RequestCategory.OTHER: "inne pismo",
    },
    {
        RequestCategory.FAILURE: "failure",
        RequestCategory.WATER_QUALITY: "water quality",
        RequestCategory.PARTY_DATA_CHANGE: "change of contract party data",
        RequestCategory.COMPLAINT: "complaint",
        RequestCategory.GARDEN_METER_INSTALL: "garden meter: installation",
        RequestCategory.GARDEN_METER_REPLACE: "garden meter: replacement",
        RequestCategory.GARDEN_METER_REMOVE: "garden meter: removal",
        RequestCategory.OTHER: "other letter",
    },
)
REQUEST_STATUS: Messages[Any] = Messages(
    {
        RequestStatus.NEW: "nowe",
        RequestStatus.IN_PROGRESS: "w realizacji",
        RequestStatus.WAITING_FOR_CUSTOMER: "czeka na klienta",
        RequestStatus.ANSWERED: "odpowiedziane",
        RequestStatus.CLOSED: "zamknięte",
        RequestStatus.REJECTED: "odrzucone",
    },
    {
        RequestStatus.NEW: "new",
        RequestStatus.IN_PROGRESS: "in progress",
        RequestStatus.WAITING_FOR_CUSTOMER: "waiting for you",
        RequestStatus.ANSWERED: "answered",
        RequestStatus.CLOSED: "closed",
        RequestStatus.REJECTED: "rejected",
    },
)
MONTHS: Messages[int] = Messages(
    dict(
        enumerate(
            (
                "styczeń",
                "luty",
                "marzec",
                "kwiecień",
                "maj",
                "czerwiec",
                "lipiec",
                "sierpień",
                "wrzesień",
                "październik",
                "listopad",
                "grudzień",
            )
        )
    ),
    dict(
        enumerate(
            (
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            )
        )
    ),
)
WEEKDAYS: Messages[int] = Messages(
    dict(enumerate(("pn", "wt", "śr", "czw", "pt", "sob", "nd"))),
    dict(enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))),
)


def m3(litres: Litres | None) -> str:
    """'1 234,567' (m³, three decimals, decimal comma; '1,234.567' in English); '—' for
    nothing."""
    if litres is None:
        return "—"
    text = f"{litres_to_m3(litres):,.3f}"
    return text if get_language() == "en" else text.replace(",", NBSP).replace(".", ",")


def zloty(grosze: int) -> str:
    """'1 234,56 zł'; 'PLN 1,234.56' in English, as `i18n.money` writes it."""
    text = f"{to_decimal(grosze):,.2f}"
    if get_language() == "en":
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}PLN{NBSP}{digits}"
    return text.replace(",", NBSP).replace(".", ",") + f"{NBSP}zł"


def local(value: datetime) -> datetime:
    """An instant in the utility's (Polish) time, as the rest of the console shows it;
    the backend's instants are in UTC. Naive datetimes are local already."""
    return value.astimezone(POLISH_TIME) if value.tzinfo is not None else value


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime(_DAY_FORMAT[get_language()])


def stamp(value: datetime) -> str:
    return local(value).strftime(_DAY_FORMAT[get_language()] + " %H:%M")


def decimal_text(value: object) -> str:
    """A decimal number as text in the language's notation: `478,4` / `478.4`."""
    text = str(value)
    return text if get_language() == "en" else text.replace(".", ",")


def legalization(state: LegalizationState, expires: date) -> Text:
    """The expiry date coloured by state: green valid, yellow expiring, red expired."""
    return Text(f"{day(expires)} ({LEGALIZATION[state]})", style=LEGALIZATION_STYLE[state])


def literal(value: object) -> Text:
    """Backend text shown exactly as it is (never markup)."""
    return Text(str(value))


# The domain's problems (by code) in English; in Polish the domain's own message is shown.
PROBLEMS_EN = {
    "empty": "Enter the meter index.",
    "not_a_number": "The meter index must be a number, e.g. 123.456 (m³).",
    "too_many_decimals": "The meter index may have at most 3 decimal places.",
    "negative": "The meter index cannot be negative.",
    "too_large": "The meter index cannot exceed 99999.999 m³.",
    "out_of_range": "The meter index must be between 0 and 99999.999 m³.",
    "future_date": "The reading date cannot be later than today.",
    "before_last_reading": (
        "The reading date cannot be earlier than the last reading ({last_read_on})."
    ),
    "same_period": (
        "A reading has already been submitted in this billing period. "
        "The next reading can be submitted from {next_possible}."
    ),
    "lower_than_previous": (
        "The index given ({index} m³) is lower than the previous one ({previous} m³). "
        "Confirm if the meter was replaced or the counter rolled over."
    ),
    "implausible_jump": (
        "Use of {consumption} m³ over {days} days since the last reading is unusually high. "
        "Check the index and confirm if it is right."
    ),
}


def problem_text(code: str, message: str, params: Mapping[str, str] | None = None) -> str:
    """A domain problem in the console's language (the domain writes Polish)."""
    template = PROBLEMS_EN.get(code) if get_language() == "en" else None
    if template is None:
        return message
    values = {name: _param(value) for name, value in (params or {}).items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return message


def _param(value: str) -> str:
    try:
        return day(date.fromisoformat(value))
    except ValueError:
        return value


def editable_index(litres: int) -> str:
    """The index as typed back into the form: '1 234,567', or '1234.567' in English."""
    text = m3(litres)
    return text.replace(",", "") if get_language() == "en" else text.replace("\u00a0", " ")
