"""Analizy: consumption charts for a chosen meter and range, charges and payments,
average daily use, leak and spike markers and the forecast of the next invoice."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Select, Static

from ...domain.analytics import (
    Anomaly,
    aggregate,
    average_daily,
    detect_night_flow,
    detect_spikes,
    readings_to_daily,
    year_over_year,
)
from ...domain.changes import Change
from ...domain.models import (
    Resolution,
    SeriesPoint,
)
from ...i18n import N_, Messages, label, n_
from ...i18n.render import anomaly_text
from ...widgets.chart import Chart
from ...widgets.chart_data import (
    CustomerData,
    MeterData,
    anomaly_days,
    charges_by_kind,
    in_range,
    latest_billed,
    marks_hour,
    money_by_month,
    range_start,
    short_label,
    tick_label,
)
from ...widgets.pie import Pie
from ...widgets.reading_format import MONTHS, day, decimal_text, m3, zloty
from ..forms.base import TabScreen

TEXT: Messages[str] = Messages(
    {
        "meter": N_("Wodomierz"),
        "range": N_("Zakres"),
        "kind": N_("Wykres"),
        "hour": N_("Zużycie godzinowe (linia)"),
        "day": N_("Zużycie dobowe (linia)"),
        "month": N_("Zużycie miesięczne (linia)"),
        "year": N_("Zużycie roczne (linia)"),
        "period": N_("Okresy rozliczeniowe (słupki)"),
        "charges": N_("Struktura opłat (kołowy)"),
        "yoy": N_("Rok do roku"),
        "payments": N_("Naliczenia a wpłaty"),
        "m3": N_("m³"),
        "zl": N_("zł"),
        "leak": N_("możliwy wyciek / skok"),
        "spread": N_(" (rozłożone równo między odczytami)"),
        "average": N_("Średnie zużycie: {litres} l/dobę"),
        "range_use": N_("W zakresie: {total} m³ ({start} – {end})"),
        "forecast": N_("Prognoza następnej faktury\n{start} – {end}: {volume} m³, {gross} brutto"),
        "no_forecast": N_("Brak prognozy następnej faktury."),
        "anomalies": N_("Ostrzeżenia"),
        "no_anomalies": N_("Brak nietypowego zużycia w zakresie."),
        "loading": N_("Wczytywanie danych…"),
        "yoy_title": N_("Rok do roku: {year} wobec {last}, {serial}"),
        "charged": N_("naliczono"),
        "paid": N_("wpłacono"),
        "account": N_(" (całe konto)"),
    },
)
RANGE_LABELS: Messages[int] = Messages(
    {3: N_("3 miesiące"), 12: N_("12 miesięcy"), 24: N_("24 miesiące"), 0: N_("całość")},
)
RANGES = (3, 12, 24, 0)
KINDS = ("hour", "day", "month", "year", "period", "charges", "yoy", "payments")
LINE_RESOLUTION = {
    "hour": Resolution.HOUR,
    "day": Resolution.DAY,
    "month": Resolution.MONTH,
    "year": Resolution.YEAR,
}
INVOICES_FOR_SHARES = 6


class AnalysesScreen(TabScreen):
    """Analizy: wykresy zużycia w wybranym zakresie (liniowe i kolumnowe), wykres kołowy
    struktury opłat (woda, ścieki, abonament), porównanie okresów i ostrzeżenia o możliwym
    wycieku."""

    TAB_ID = "analizy"
    TAB_TITLE = N_("Analizy")
    SHOWS = frozenset({Change.READINGS, Change.METERS})
    AUTO_FOCUS = "#chart-kind"
    DEFAULT_CSS = """
    AnalysesScreen #analysis-controls { height: 3; }
    AnalysesScreen #analysis-controls Select { width: 1fr; }
    AnalysesScreen #chart-range { max-width: 22; }
    AnalysesScreen #analysis-main { height: 1fr; }
    AnalysesScreen #pie { display: none; }
    AnalysesScreen #analysis-side { width: 36; border-left: vkey $foreground 20%; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "next_kind", "Następny wykres", id="analyses.next_kind"),
        Binding("z", "next_range", "Zakres", id="analyses.next_range"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.customer: CustomerData | None = None
        self.data: MeterData | None = None
        self.kind = "day"
        self.months = 12

    def compose_body(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="analysis-controls"):
                yield Select[str]([], prompt=TEXT["meter"], id="chart-meter")
                yield Select[int](
                    [(RANGE_LABELS[v], v) for v in RANGES],
                    value=self.months,
                    allow_blank=False,
                    id="chart-range",
                )
                yield Select[str](
                    [(TEXT[k], k) for k in KINDS if k != "hour"],
                    value=self.kind,
                    allow_blank=False,
                    id="chart-kind",
                )
            with Horizontal(id="analysis-main"):
                yield Chart(id="chart")
                yield Pie(id="pie")
                with VerticalScroll(id="analysis-side"):
                    yield Static(TEXT["loading"], id="analysis-stats")

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        async def fetch() -> CustomerData:
            dashboard, meters, settlements, invoices = await asyncio.gather(
                self.backend.dashboard(),
                self.backend.meters(),
                self.backend.settlements(),
                self.backend.invoices(),
            )
            latest = await asyncio.gather(
                *(
                    self.backend.invoice(i.number)
                    for i in latest_billed(invoices, INVOICES_FOR_SHARES)
                )
            )
            return CustomerData(dashboard, meters, settlements, list(latest))

        self.call(fetch, self._got_customer)

    def _got_customer(self, customer: CustomerData) -> None:
        self.customer = customer
        chosen = self._offer_meters()
        if chosen is not None:
            self.open_meter(chosen)

    def property_changed(self) -> None:
        shown = self.data.meter.id if self.data else None
        chosen = self._offer_meters()
        if chosen is not None and chosen != shown:
            self.open_meter(chosen)
        else:
            self.redraw()

    def _offer_meters(self) -> str | None:
        """Offer the chosen property's meters; the one to show: the shown one if offered."""
        if self.customer is None:
            return None
        meters = self.customer.meters
        mine = self.of_property(meters, lambda m: m.property_id)
        self.show_property_note(len(mine), len(meters))
        select = self.query_one("#chart-meter", Select)
        with self.prevent(Select.Changed):
            select.set_options([(short_label(f"{m.serial}, {m.location}"), m.id) for m in mine])
            if not mine:
                return None
            shown = self.data.meter.id if self.data else None
            chosen = shown if shown in {m.id for m in mine} else mine[0].id
            select.value = chosen
        return chosen

    def open_meter(self, meter_id: str) -> None:
        meter = next(m for m in self.customer.meters if m.id == meter_id)  # type: ignore[union-attr]

        async def fetch() -> MeterData:
            readings = await self.backend.readings(meter.id)
            hourly: list[SeriesPoint] = []
            if meter.resolution is Resolution.HOUR:
                hourly = await self.backend.series(meter.id, Resolution.HOUR)
                daily = await asyncio.to_thread(aggregate, hourly, Resolution.DAY)
            elif meter.resolution is Resolution.DAY:
                daily = await self.backend.series(meter.id, Resolution.DAY)
            else:
                daily = readings_to_daily(readings)
            found = await asyncio.to_thread(detect_night_flow, hourly)
            return MeterData(meter, readings, daily, hourly, found + detect_spikes(readings))

        self.call(fetch, self._got_meter, group="meter")

    def _got_meter(self, data: MeterData) -> None:
        self.data = data
        kinds = [k for k in KINDS if k != "hour" or data.hourly]
        select = self.query_one("#chart-kind", Select)
        with self.prevent(Select.Changed):
            select.set_options([(TEXT[k], k) for k in kinds])
            if self.kind not in kinds:
                self.kind = "day"
            select.value = self.kind
        self.redraw()

    # --- choosing --------------------------------------------------------------------------

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        value = event.value
        if event.select.id == "chart-meter" and isinstance(value, str):
            if self.data is None or self.data.meter.id != value:
                self.open_meter(value)
        elif event.select.id == "chart-range" and isinstance(value, int):
            self.months = value
            self.redraw()
        elif event.select.id == "chart-kind" and isinstance(value, str):
            self.kind = value
            self.redraw()

    def action_next_kind(self) -> None:
        kinds = [k for k in KINDS if k != "hour" or (self.data and self.data.hourly)]
        self.query_one("#chart-kind", Select).value = kinds[
            (kinds.index(self.kind) + 1) % len(kinds)
        ]

    def action_next_range(self) -> None:
        values = list(RANGES)
        self.query_one("#chart-range", Select).value = values[
            (values.index(self.months) + 1) % len(values)
        ]

    def show_kind(self, kind: str) -> None:
        """Switch to a chart kind (the same as choosing it in the list)."""
        self.query_one("#chart-kind", Select).value = kind

    # --- drawing -----------------------------------------------------------------------------

    @property
    def last_day(self) -> date:
        assert self.customer is not None
        return self.customer.dashboard.data_as_of

    def anomalies(self) -> list[Anomaly]:
        if self.data is None:
            return []
        start = range_start(self.last_day, self.months)
        return [a for a in self.data.anomalies if start is None or a.end.date() >= start]

    def redraw(self) -> None:
        if self.customer is None or self.data is None:
            return
        chart = self.query_one(Chart)
        pie = self.query_one(Pie)
        chart.display = self.kind != "charges"
        pie.display = self.kind == "charges"
        start = range_start(self.last_day, self.months)
        daily = in_range(self.data.daily, start, self.last_day)
        found = self.anomalies()
        marked_days = anomaly_days(found)
        title_suffix = (
            ""
            if self.data.meter.resolution in (Resolution.HOUR, Resolution.DAY)
            else TEXT["spread"]
        )
        if self.kind in LINE_RESOLUTION:
            resolution = LINE_RESOLUTION[self.kind]
            source = (
                in_range(self.data.hourly, start, self.last_day) if self.kind == "hour" else daily
            )
            points = (
                source
                if resolution in (Resolution.HOUR, Resolution.DAY)
                else aggregate(daily, resolution)
            )

            def marked(point: SeriesPoint) -> bool:
                if resolution is Resolution.HOUR:  # the night hours, not the whole days
                    return marks_hour(found, point.start)
                if resolution is Resolution.DAY:
                    return point.start.date() in marked_days
                if resolution is Resolution.MONTH:
                    return any(
                        (d.year, d.month) == (point.start.year, point.start.month)
                        for d in marked_days
                    )
                return any(d.year == point.start.year for d in marked_days)

            chart.line(
                points,
                title=f"{TEXT[self.kind]}, {self.data.meter.serial}{title_suffix}",
                ylabel=TEXT["m3"],
                tick=tick_label(resolution),
                marked=marked,
                marker_label=TEXT["leak"],
            )
        elif self.kind == "period":
            periods = aggregate(
                daily, Resolution.BILLING_PERIOD, self.customer.dashboard.customer.billing_months
            )
            chart.bars(
                [p.start.strftime("%m.%Y") for p in periods],
                [p.litres / 1000 for p in periods],
                title=f"{TEXT['period']}, {self.data.meter.serial}{title_suffix}",
                ylabel=TEXT["m3"],
            )
        elif self.kind == "charges":
            sums = charges_by_kind(self.customer.latest)
            pie.show(
                [label(k) for k in sums],
                list(sums.values()),
                amount=zloty,
                title=n_(
                    "Struktura opłat brutto z {count} ostatniej faktury: {total}",
                    "Struktura opłat brutto z {count} ostatnich faktur: {total}",
                    len(self.customer.latest),
                    total=zloty(sum(sums.values())),
                )
                + self._account_wide(),
            )
        elif self.kind == "yoy":
            year = self.last_day.year
            rows = year_over_year(self.data.daily, year)
            chart.grouped(
                [MONTHS[r.month - 1][:3] for r in rows],
                [
                    (str(year - 1), [r.last_year / 1000 for r in rows]),
                    (str(year), [r.this_year / 1000 for r in rows]),
                ],
                title=TEXT["yoy_title"].format(
                    year=year, last=year - 1, serial=self.data.meter.serial
                ),
                ylabel=TEXT["m3"],
            )
        elif self.kind == "payments":
            months = money_by_month(self.customer.settlements, start, self.last_day)
            chart.grouped(
                [m.month.strftime("%m.%y") for m in months],
                [
                    (TEXT["charged"], [m.charged / 100 for m in months]),
                    (TEXT["paid"], [m.paid / 100 for m in months]),
                ],
                title=TEXT["payments"] + self._account_wide(),
                ylabel=TEXT["zl"],
            )
        self._show_stats(daily, start, found)

    def _account_wide(self) -> str:
        """A chart of the whole account's money says so while a property is chosen."""
        return TEXT["account"] if self.property_narrowed else ""

    def _show_stats(
        self, daily: list[SeriesPoint], start: date | None, found: list[Anomaly]
    ) -> None:
        assert self.customer is not None
        first = start or (daily[0].start.date() if daily else self.last_day)
        out = Text()
        average = average_daily(daily, first, self.last_day)
        out.append(TEXT["average"].format(litres=decimal_text(average)) + "\n", style="bold")
        total = sum(p.litres for p in daily)
        out.append(
            TEXT["range_use"].format(total=m3(total), start=day(first), end=day(self.last_day))
            + "\n\n"
        )
        forecast = self.customer.dashboard.forecast
        if forecast is not None:
            out.append(
                TEXT["forecast"].format(
                    start=day(forecast.period_from),
                    end=day(forecast.period_to),
                    volume=m3(forecast.litres),
                    gross=zloty(forecast.gross),
                )
                + self._account_wide()
                + "\n\n"
            )
        else:
            out.append(TEXT["no_forecast"] + "\n\n")
        out.append(TEXT["anomalies"] + "\n", style="bold")
        for anomaly in found:
            out.append(f"⚠ {day(anomaly.start)}–{day(anomaly.end)}: ", style="bold red")
            out.append(anomaly_text(anomaly) + "\n")
        if not found:
            out.append(TEXT["no_anomalies"] + "\n")
        out.rstrip()
        self.query_one("#analysis-stats", Static).update(out)
