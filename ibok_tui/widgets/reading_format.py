"""How meters, readings and requests read on screen: Polish numbers, dates and labels.

Indexes and volumes are integer litres; they are shown in m³ with three decimals and a
decimal comma ("1 234,567"). Text that came from the backend is always wrapped in
`rich.text.Text` by the caller, never parsed as markup.
"""

from __future__ import annotations

from datetime import date, datetime

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
    RequestRoute,
    RequestStatus,
    Resolution,
    RouteState,
)
from ..i18n import N_, Messages, _, cubic_metres, enum_labels, get_language, label
from ..i18n import day as i18n_day
from ..i18n import moment as stamp
from ..i18n import money as zloty

__all__ = ["Messages", "stamp", "zloty"]

READING_TYPE = enum_labels(ReadingType)
READING_STATUS = enum_labels(ReadingStatus)
METER_STATUS = enum_labels(MeterStatus)
METER_ROLE = enum_labels(MeterRole)
METER_OWNER = enum_labels(MeterOwner)
RESOLUTION = enum_labels(Resolution)
LEGALIZATION_STYLE = {
    LegalizationState.VALID: "green",
    LegalizationState.EXPIRING: "yellow",
    LegalizationState.EXPIRED: "bold red",
}
LEGALIZATION = enum_labels(LegalizationState)
REQUEST_CATEGORY = enum_labels(RequestCategory)
REQUEST_STATUS = enum_labels(RequestStatus)
MONTHS: Messages[int] = Messages(
    dict(
        enumerate(
            (
                N_("styczeń"),
                N_("luty"),
                N_("marzec"),
                N_("kwiecień"),
                N_("maj"),
                N_("czerwiec"),
                N_("lipiec"),
                N_("sierpień"),
                N_("wrzesień"),
                N_("październik"),
                N_("listopad"),
                N_("grudzień"),
            )
        )
    )
)
WEEKDAYS: Messages[int] = Messages(
    dict(enumerate((N_("pn"), N_("wt"), N_("śr"), N_("czw"), N_("pt"), N_("sob"), N_("nd"))))
)


def m3(litres: Litres | None) -> str:
    """'1 234,567' (m³, three decimals, decimal comma; '1,234.567' in English); '—' for
    nothing."""
    return cubic_metres(litres, unit=False)


def day(value: date | datetime | None) -> str:
    """A date, or '—' for none."""
    return i18n_day(value, missing="—")


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
def editable_index(litres: int) -> str:
    """The index as typed back into the form: '1 234,567', or '1234.567' in English."""
    text = m3(litres)
    return text.replace(",", "") if get_language() == "en" else text.replace("\u00a0", " ")


ROUTE_STYLE = {
    RouteState.SENT: "",
    RouteState.PENDING: "yellow",
    RouteState.FAILED: "bold red",
    RouteState.UNROUTED: "yellow",
}


ROUTE_MARK = {
    RouteState.SENT: "✓",
    RouteState.PENDING: "…",
    RouteState.FAILED: "✗",
    RouteState.UNROUTED: "!",
}


def route_mail(route: RequestRoute) -> Text:
    """How a request's mail to its group went: sent when, waiting, or failed after how
    many tries; or that its category has no group."""
    state = label(route.state)
    if route.state is RouteState.SENT and route.sent_at is not None:
        state = f"{state} {stamp(route.sent_at)}"
    elif route.state is RouteState.FAILED:
        state = _("{state} (prób: {count})", state=state, count=route.attempts)
    return Text(state, style=ROUTE_STYLE[route.state])


def route_cell(route: RequestRoute | None) -> Text:
    """A request's group with a mark of its mail (✓ sent, … waiting, ✗ failed), for a
    table; "—" for a request from before the routing."""
    if route is None:
        return Text("—")
    return Text(
        f"{route.group or label(route.state)} {ROUTE_MARK[route.state]}",
        style=ROUTE_STYLE[route.state],
    )


def route_line(route: RequestRoute | None) -> Text:
    """Where a request went, in full: the group, its addresses, when, and the mail."""
    if route is None:
        return Text(
            _("Zgłoszenie złożone, zanim wodociągi zaczęły przekazywać zgłoszenia e-mailem.")
        )
    line = Text(_("Przekazano: "))
    line.append(route.group or "—")
    if route.recipients:
        line.append(" (" + ", ".join(route.recipients) + ")")
    line.append(" " + stamp(route.routed_at) + " · ")
    line.append_text(route_mail(route))
    return line
