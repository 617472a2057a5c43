"""The reading commands: dashboard, invoices, settlements, readings, meters, requests,
notices and consumption. Each prints what the API answers: --json the same document,
--csv (where the console exports CSV) and the terminal a table of it."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..i18n import _, cubic_metres, day, label, moment
from ..i18n.columns import invoice_headers, settlement_headers
from ..i18n.tabular import Amount
from .exits import UsageError
from .output import Extra, Rows, add_output_options, money_text, show
from .parsers import command_parser
from .runner import Action, run

if TYPE_CHECKING:
    from ..backends.base import Backend
    from ..domain.models import Meter


def command(sub: Any, name: str, help_text: str, action: Action, *, csv: bool = True) -> Any:
    """A reading command's parser: the connection and output options, its action."""
    parser = command_parser(sub, name, help_text)
    add_output_options(parser, csv=csv)
    parser.set_defaults(run_command=lambda args: run(action, args))
    return parser


def add(sub: Any) -> None:
    command(sub, "dashboard", _("Pulpit: saldo, wodomierze, alerty"), _dashboard, csv=False)
    invoices = command(sub, "invoices", _("faktury (filtry jak w zakładce Faktury)"), _invoices)
    invoices.add_argument("--number", default="", help=_("fragment numeru faktury"))
    invoices.add_argument("--from", dest="date_from", type=day_argument, help=_("wystawione od"))
    invoices.add_argument("--to", dest="date_to", type=day_argument, help=_("wystawione do"))
    invoices.add_argument("--status", choices=enum_values("InvoiceStatus"))
    invoices.add_argument("--kind", choices=enum_values("InvoiceKind"))
    invoices.add_argument("--property", default="", help=_("tylko posesja o tym ID"))
    settlements = command(sub, "settlements", _("rozrachunki: dokumenty i wpłaty"), _settlements)
    settlements.add_argument(
        "which", nargs="?", default="all", choices=enum_values("SettlementFilter")
    )
    readings = command(sub, "readings", _("odczyty wodomierza (albo wszystkich)"), _readings)
    readings.add_argument("meter", nargs="?", default="", help=_("numer lub ID wodomierza"))
    add_series_options(readings, _("szereg wodomierza zdalnego odczytu zamiast odczytów"))
    command(sub, "meters", _("wodomierze klienta"), _meters)
    command(sub, "requests", _("zgłoszenia klienta"), _requests)
    command(sub, "notices", _("komunikaty wodociągów"), _notices)
    consumption = command(sub, "consumption", _("zużycie wody (szeregi Analiz)"), _consumption)
    consumption.add_argument("meter", nargs="?", default="", help=_("numer lub ID wodomierza"))
    add_series_options(consumption, _("rozdzielczość (domyślnie month)"))


def enum_values(name: str) -> list[str]:
    from ..domain import models

    return [item.value for item in getattr(models, name)]


def day_argument(text: str) -> date:
    """A date as ISO 8601 (2026-11-20) or as the console shows it (20.11.2026)."""
    from ..domain.dates import parse_day

    try:
        found = parse_day(text)
    except ValueError:
        found = None
    if found is None:
        raise argparse.ArgumentTypeError(_("zła data: {text} (RRRR-MM-DD)", text=repr(text)))
    return found


def add_series_options(parser: argparse.ArgumentParser, resolution_help: str) -> None:
    parser.add_argument("--resolution", choices=enum_values("Resolution"), help=resolution_help)
    parser.add_argument("--from", dest="date_from", type=day_argument, help=_("od dnia"))
    parser.add_argument("--to", dest="date_to", type=day_argument, help=_("do dnia"))


def extra(headers: Sequence[str], optional: set[int]) -> tuple[str, ...]:
    """The headers, those at `optional` marked as columns a narrow terminal may leave out."""
    return tuple(Extra(h) if i in optional else h for i, h in enumerate(headers))


def litres(value: int | None) -> str:
    return "" if value is None else cubic_metres(value)


# --- Pulpit ------------------------------------------------------------------------------


async def _dashboard(backend: Backend, args: argparse.Namespace) -> None:
    from ..i18n.render import alert_text

    board = await backend.dashboard()

    def table() -> Rows:
        balance = board.balance
        rows: list[tuple[object, ...]] = [
            (_("Klient"), f"{board.customer.number} {board.customer.name}"),
            (_("Saldo"), money_text(balance.balance)),
            (_("Zaległe"), money_text(balance.overdue)),
            (
                _("Najbliższa płatność"),
                f"{money_text(balance.next_due_amount)} {day(balance.next_due_date)}".strip()
                if balance.next_due_date
                else "",
            ),
        ]
        rows += [(_("Wodomierz"), f"{m.meter.serial}: {litres_last(m)}") for m in board.meters]
        rows += [(_("Alert"), alert_text(alert)) for alert in board.alerts]
        rows += [(_("Komunikat"), notice.title) for notice in board.notices]
        return _("Pulpit ({date})", date=day(board.data_as_of)), ("", ""), rows, set()

    show(args, board, table)


def litres_last(summary: Any) -> str:
    last = summary.last_reading
    if last is None:
        return _("brak odczytów")
    return f"{litres(last.index)} ({day(last.read_on)})"


# --- Faktury and Rozrachunki ---------------------------------------------------------------


async def _invoices(backend: Backend, args: argparse.Namespace) -> None:
    from ..domain.models import InvoiceKind, InvoiceQuery, InvoiceStatus

    query = InvoiceQuery(
        number=args.number,
        date_from=args.date_from,
        date_to=args.date_to,
        status=InvoiceStatus(args.status) if args.status else None,
        kind=InvoiceKind(args.kind) if args.kind else None,
    )
    found = await backend.invoices(query)
    if args.property:
        found = [i for i in found if i.property_id == args.property]

    def table() -> Rows:
        headers = extra(invoice_headers(), {1, 3, 5, 6})  # kind, period, gross, paid
        rows = [
            (
                i.number,
                label(i.kind),
                i.issue_date,
                f"{day(i.period_from)[:5]}–{day(i.period_to)}",  # as Faktury shows it
                i.due_date,
                Amount(i.gross),
                Amount(i.paid),
                Amount(i.to_pay),
                label(i.status),
            )
            for i in found
        ]
        return _("Faktury"), headers, rows, {5, 6, 7}

    show(args, found, table)


async def _settlements(backend: Backend, args: argparse.Namespace) -> None:
    from ..domain.models import SettlementFilter

    found = await backend.settlements(SettlementFilter(args.which))

    def table() -> Rows:
        headers = extra((*settlement_headers(), _("Po terminie")), {1, 4, 5})
        rows = [
            (
                r.number,
                label(r.kind),
                r.issue_date,
                r.due_date,
                Amount(r.owed),
                Amount(r.paid),
                Amount(r.to_pay),
                _("tak") if r.overdue else "",
            )
            for r in found.rows
        ]
        title = _("Rozrachunki: saldo {balance}", balance=money_text(found.balance.balance))
        return title, headers, rows, {4, 5, 6}

    show(args, found, table)


# --- meters, readings, consumption ---------------------------------------------------------


async def chosen_meters(backend: Backend, wanted: str) -> list[Meter]:
    """The customer's meters, or the one `wanted` names by its ID or serial number."""
    from ..domain.errors import NotFound

    meters = await backend.meters()
    if not wanted:
        return meters
    found = [m for m in meters if wanted in (m.id, m.serial)]
    if not found:
        raise NotFound(code="meter_not_found", params={"meter": wanted})
    return found


async def _meters(backend: Backend, args: argparse.Namespace) -> None:
    found = await backend.meters()

    def table() -> Rows:
        rows = [
            (
                m.serial,
                m.location,
                label(m.status),
                label(m.resolution),
                m.legalization_expires,
                m.id,
            )
            for m in found
        ]
        headers = extra(
            (_("Numer"), _("Miejsce"), _("Stan"), _("Dane"), _("Legalizacja do"), "ID"), {5, 3}
        )
        return _("Wodomierze"), headers, rows, set()

    show(args, found, table)


async def _readings(backend: Backend, args: argparse.Namespace) -> None:
    meters = await chosen_meters(backend, args.meter)
    if args.resolution:
        await _series_of_one(backend, args, meters)
        return
    start, end = args.date_from, args.date_to
    found = [
        r
        for m in meters
        for r in await backend.readings(m.id)
        if (start is None or r.read_on >= start) and (end is None or r.read_on <= end)
    ]
    serials = {m.id: m.serial for m in meters}

    def table() -> Rows:
        headers = extra(
            (
                _("Wodomierz"),
                _("Data"),
                _("Wskazanie [m³]"),
                _("Zużycie [m³]"),
                _("Rodzaj"),
                _("Status"),
            ),
            {4},
        )
        rows = [
            (
                serials.get(r.meter_id, r.meter_id),
                r.read_on,
                litres(r.index),
                litres(r.consumption),
                label(r.type),
                label(r.status),
            )
            for r in found
        ]
        return _("Odczyty"), headers, rows, {2, 3}

    show(args, found, table)


async def _series_of_one(backend: Backend, args: argparse.Namespace, meters: list[Meter]) -> None:
    from ..domain.models import Resolution

    if len(meters) != 1:
        raise UsageError(_("--resolution: podaj wodomierz (ibok meters)."))
    points = await backend.series(
        meters[0].id, Resolution(args.resolution), args.date_from, args.date_to
    )
    hourly = args.resolution == Resolution.HOUR
    serial = meters[0].serial
    show(args, points, lambda: _series_rows(serial, {serial: points}, hourly))


def _series_rows(title: str, series: Mapping[str, Sequence[Any]], hourly: bool) -> Rows:
    headers = (_("Wodomierz"), _("Od"), _("Zużycie [m³]"))
    rows = [
        (
            serial,
            moment(point.start) if hourly else day(point.start),
            litres(point.litres),
        )
        for serial, points in series.items()
        for point in points
    ]
    return title, headers, rows, {2}


async def _consumption(backend: Backend, args: argparse.Namespace) -> None:
    from ..domain.models import MeterRole, Resolution

    meters = await chosen_meters(backend, args.meter)
    if not args.meter:  # the Analizy default: the main meters (a sub-meter is inside one)
        meters = [m for m in meters if m.role is MeterRole.MAIN]
    resolution = Resolution(args.resolution or Resolution.MONTH)
    series = {
        m.id: await backend.series(m.id, resolution, args.date_from, args.date_to) for m in meters
    }
    serials = {m.id: m.serial for m in meters}
    shown = {serials[key]: points for key, points in series.items()}
    show(
        args,
        series,
        lambda: _series_rows(
            _("Zużycie ({resolution})", resolution=label(resolution)),
            shown,
            resolution is Resolution.HOUR,
        ),
    )


# --- requests and notices ------------------------------------------------------------------


async def _requests(backend: Backend, args: argparse.Namespace) -> None:
    found = await backend.requests()

    def table() -> Rows:
        headers = extra(
            (_("Numer"), _("Kategoria"), _("Temat"), _("Status"), _("Złożono"), _("Termin")),
            {1, 5},
        )
        rows = [
            (
                r.number,
                label(r.category),
                r.subject,
                label(r.status),
                r.created_at,
                r.due_date,
            )
            for r in found
        ]
        return _("Zgłoszenia"), headers, rows, set()

    show(args, found, table)


async def _notices(backend: Backend, args: argparse.Namespace) -> None:
    found = await backend.notices()

    def table() -> Rows:
        headers = (_("Rodzaj"), _("Tytuł"), _("Od"), _("Do"), _("Obszar"))
        rows = [(label(n.kind), n.title, n.valid_from, n.valid_to, n.area) for n in found]
        return _("Komunikaty"), headers, rows, set()

    show(args, found, table)
