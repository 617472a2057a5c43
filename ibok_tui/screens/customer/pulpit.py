"""Pulpit: the balance and the next payment, each meter's last reading, warnings and
alerts, twelve months of use, notices and the utility's contact details."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from ...domain.changes import Change
from ...i18n import N_, _, cubic_metres, day, label, moment, money, month, p_
from ...i18n.render import alert_text as render_alert
from ...i18n.render import legalization_text
from ...widgets.header import DashboardShown, balance_parts
from ...widgets.panel import Labelled, Panel, TitledBox
from ...widgets.sparkline_panel import SparklinePanel
from ...widgets.tables import ListTable, highlighted_key
from ...widgets.textual_internals import paint_now
from ..forms.base import TabScreen

if TYPE_CHECKING:  # the first frame of a resumed session comes before the models load
    from datetime import datetime

    from ...domain.models import Alert, Dashboard, Meter, MeterSummary


class PulpitScreen(TabScreen):
    """Pulpit: saldo, najbliższa płatność, ostatnie odczyty, ostrzeżenia, zużycie i komunikaty."""

    TAB_ID = "pulpit"
    TAB_TITLE = N_("Pulpit")
    NEEDS_SERVER = frozenset({"invoice_archive"})
    SHOWS = frozenset(
        {
            Change.READINGS,
            Change.REQUESTS,
            Change.BILLING,
            Change.METERS,
            Change.NOTICES,
            Change.ACCOUNT,
            Change.CONTRACTS,
        }
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "submit_reading", "Podaj odczyt", id="pulpit.submit_reading"),
        Binding("z", "pay", "Zapłać", id="pulpit.pay"),
        # only while the account closes after the end of the supply contract (check_action)
        Binding("a", "invoice_archive", "Archiwum faktur", id="pulpit.invoice_archive"),
    ]
    DEFAULT_CSS = """
    PulpitScreen #pulpit-body { height: 1fr; }
    PulpitScreen #pulpit-top { height: auto; }
    PulpitScreen #balance { width: 1fr; }
    PulpitScreen #utility { width: 1fr; }
    PulpitScreen #meters-table { height: auto; max-height: 10; }
    PulpitScreen #contract-end-banner {
        display: none; height: auto; padding: 0 1; margin: 0 0 1 0;
        border: heavy $warning; color: $text; background: $warning 15%;
    }
    PulpitScreen #contract-end-banner.shown { display: block; }
    PulpitScreen #kept-note { display: none; height: auto; padding: 0 1; color: $text-muted; }
    PulpitScreen #kept-note.shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        # the customer's last Pulpit, shown while their remembered session resumes
        # (backends/start_view.py): when it was the live one; None once the live one is in
        self.kept_from: datetime | None = None

    def compose_body(self) -> ComposeResult:
        # The panels come with the first data (`panels`): the first frame, which a resumed
        # session shows at once, is only the frame and a loading indicator.
        yield VerticalScroll(id="pulpit-body")

    def panels(self) -> ComposeResult:
        # A panel is one widget (widgets/panel.py): its border, title and content; the
        # meters' table is in a box that draws its title itself.
        yield Static(id="kept-note", markup=False)
        yield Static(id="contract-end-banner")
        with Horizontal(id="pulpit-top"):
            yield Panel(_("Saldo i płatności"), id="balance")
            yield Panel(_("Kontakt z wodociągami"), id="utility")
        yield Panel(_("Ostrzeżenia i alarmy"), id="alerts")
        with TitledBox(_("Wodomierze: ostatnie odczyty (o: podaj odczyt)"), id="meters-panel"):
            yield ListTable(id="meters-table", cursor_type="row", zebra_stripes=True)
        yield SparklinePanel(_("Zużycie w ostatnich 12 miesiącach"), id="use")
        yield Panel(_("Komunikaty"), id="notices")

    async def show_start_view(self, dashboard: Dashboard, taken_at: datetime) -> None:
        """The customer's last Pulpit (backends/start_view.py), said to be that, until the
        remembered session is in and the live one replaces it (`load`).

        The panels are mounted and filled in one batch: laid out and painted once, with
        their content (each step painted apart took a layout and a paint of its own)."""
        body = self.query_one("#pulpit-body")
        with self.app.batch_update():
            if not self.query("#pulpit-top"):
                await body.mount_compose(self.panels())
            self.kept_from = taken_at
            self.dashboard = dashboard
            self.fill(dashboard)
            note = self.query_one("#kept-note", Static)
            note.update(_("Dane z poprzedniej wizyty ({when}): odświeżam…", when=moment(taken_at)))
            note.add_class("shown")
            body.loading = False
        paint_now(self)  # the data the user waits for: at once, not at the timer's next tick

    def ensure_loaded(self) -> None:
        if self.kept_from is not None and self.backend.session is None:
            return  # the last Pulpit stays in view while the session resumes
        if self.host.start_view_coming and self.backend.session is None:
            # the last Pulpit follows the first frame at once: a loading indicator for
            # that moment would only flash, and its frames delayed the data
            return
        super().ensure_loaded()

    def load(self) -> None:
        body = self.query_one("#pulpit-body")
        body.loading = self.kept_from is None  # the last Pulpit stays until the live one

        async def done(dashboard: Dashboard) -> None:
            if not self.query("#pulpit-top"):
                await body.mount_compose(self.panels())
            self.kept_from = None
            note = self.query_one("#kept-note", Static)
            note.update("")
            note.remove_class("shown")
            self.show(dashboard)
            body.loading = False
            self.refresh_bindings()  # the meters table brings its keys (export, copy)

        def failed(error: BaseException) -> bool:
            body.loading = False
            return False

        self.call(self.backend.dashboard, done, on_error=failed)

    def show(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.post_message(DashboardShown(dashboard))  # the header shows name and balance
        self.fill(dashboard)

    def property_changed(self) -> None:
        # only this screen's view: the app's data stays as it is (it is cleared on logout)
        dashboard = getattr(self, "dashboard", None)
        if dashboard is not None and self.query("#pulpit-top"):
            self.fill(dashboard)

    def fill(self, dashboard: Dashboard) -> None:
        self.show_contract_end(dashboard)
        balance = dashboard.balance
        text = Text()
        words, style = balance_parts(balance.balance)
        mine = self.of_property(dashboard.meters, lambda s: s.meter.property_id)
        account_wide = self.property_narrowed
        if account_wide:
            text.append(_("Całe konto (wszystkie posesje)"), style="dim")
            text.append("\n")
        text.append(_("Saldo: "))
        text.append(words, style=style.replace("$error", "red").replace("$success", "green"))
        text.append("\n")
        if balance.overdue:
            text.append(_("Zaległości: {amount}", amount=money(balance.overdue)), style="bold red")
            text.append("\n")
        if balance.next_due_date is not None:
            text.append(
                _(
                    "Najbliższa płatność: {amount} do {date}",
                    amount=money(balance.next_due_amount),
                    date=day(balance.next_due_date),
                )
            )
        elif balance.to_pay:
            text.append(_("Termin płatności minął: zapłać {amount}", amount=money(balance.to_pay)))
        else:
            text.append(_("Brak płatności do zrobienia."))
        if dashboard.forecast is not None:
            forecast = dashboard.forecast
            text.append("\n")
            text.append(
                _(
                    "Prognoza następnej faktury ({start}–{end}):\n{amount}, {volume}",
                    start=day(forecast.period_from),
                    end=day(forecast.period_to),
                    amount=money(forecast.gross),
                    volume=cubic_metres(forecast.litres),
                ),
                style="dim",
            )
        text.append("\n")
        text.append(_("z: zapłać"), style="dim")
        self.query_one("#balance", Static).update(text)
        utility = dashboard.utility
        contact = Labelled(
            [
                ("", Content.styled(utility.name, "bold")),
                (_("Adres"), Content(utility.address.one_line())),
                (_("Telefon"), Content(utility.phone)),
                (_("Pogotowie"), Content.styled(utility.emergency_phone, "bold")),
                (_("E-mail"), Content(utility.email)),
                (_("Godziny"), Content("; ".join(utility.office_hours))),
            ]
        )
        self.query_one("#utility", Static).update(contact)
        self.show_meters(dashboard, mine)
        use = self.query_one("#use", SparklinePanel)
        use_title = _("Zużycie w ostatnich 12 miesiącach")
        use.title = use_title + " " + _("(wszystkie posesje)") if account_wide else use_title
        litres = [point.litres for point in dashboard.monthly_use]
        use.data = [float(v) for v in litres] or [0.0]
        if dashboard.monthly_use:
            first, last = dashboard.monthly_use[0], dashboard.monthly_use[-1]
            summary_text = _(
                "{start} – {end}: razem {total}, średnio {average} na miesiąc",
                start=month(first.start),
                end=month(last.start),
                total=cubic_metres(sum(litres)),
                average=cubic_metres(sum(litres) // len(litres)),
            )
        else:
            summary_text = _("Brak danych o zużyciu.")
        use.update(Text(summary_text))
        notices = Text()
        for notice in dashboard.notices:
            notices.append(f"{label(notice.kind)}: ", style="bold")
            notices.append(notice.title, style="bold")
            period = day(notice.valid_from)
            if notice.valid_to:
                period += f"–{day(notice.valid_to)}"
            notices.append(f" ({period})\n", style="dim")
            notices.append(notice.body + "\n")
        if not dashboard.notices:
            notices.append(_("Brak komunikatów."))
        notices.rstrip()
        self.query_one("#notices", Static).update(notices)

    def show_contract_end(self, dashboard: Dashboard) -> None:
        """The banner of an ended supply contract: when the account closes, and the key
        that saves every invoice before then."""
        banner = self.query_one("#contract-end-banner", Static)
        end = dashboard.customer.contract_end
        banner.set_class(end is not None, "shown")
        self.refresh_bindings()
        if end is None:
            return
        text = Text()
        text.append("⚠ ", style="bold")
        text.append(
            _(
                "Umowa na dostawę wody zakończyła się {ended}. Konto iBOK zostanie wyłączone"
                " {deadline}.",
                ended=day(end.ended_on),
                deadline=moment(end.deactivates_at),
            ),
            style="bold",
        )
        text.append("\n")
        text.append(
            _(
                "Do tego czasu pobierz swoje faktury: a: archiwum wszystkich faktur PDF (ZIP)."
                " Potem dane kontaktowe, zgody i hasło zostaną usunięte; faktury wyda BOK."
            )
        )
        banner.update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit_reading", "pay", "invoice_archive") and self.kept_from is not None:
            return None  # the last Pulpit: its keys wait for the session (shown dimmed)
        if action == "invoice_archive":
            dashboard = getattr(self, "dashboard", None)
            if dashboard is None or dashboard.customer.contract_end is None:
                return False
        return super().check_action(action, parameters)

    def action_invoice_archive(self) -> None:
        if self.policy_takes("invoice_archive"):  # a kiosk writes no files
            return
        from .invoice_archive import save_invoice_archive

        save_invoice_archive(self)

    def show_meters(self, dashboard: Dashboard, mine: list[MeterSummary]) -> None:
        """The chosen property's meters and their warnings; the account's own alerts stay."""
        self.show_property_note(len(mine), len(dashboard.meters))
        properties = {s.meter.id: s.meter.property_id for s in dashboard.meters}
        shown_alerts = self.of_property(
            dashboard.alerts, lambda a: properties.get(a.meter_id or "")
        )
        meters = {s.meter.id: s.meter for s in dashboard.meters}
        alerts = Text()
        for alert in shown_alerts:
            alerts.append("⚠ ", style="bold yellow" if alert.kind == "legalization" else "bold red")
            message = alert_text(alert, meters.get(alert.meter_id or ""))
            if alert.amount is not None:
                message = f"{message} ({money(alert.amount)})"
            alerts.append(message + "\n")
        if not shown_alerts:
            alerts.append(_("Brak ostrzeżeń."), style="green")
        alerts.rstrip()
        self.query_one("#alerts", Static).update(alerts)
        table = self.query_one("#meters-table", ListTable)
        table.clear(columns=True)
        # narrow (ListTable.column_priorities): the serial, the index and the date stay
        # longest, the kind and the place go first
        table.column_priorities = (9, 2, 3, 7, 8, 4, 6)
        table.add_columns(
            _("Wodomierz"),
            _("Rodzaj"),
            _("Miejsce"),
            _("Ostatni odczyt"),
            p_("meter index", "Stan"),
            _("Zużycie"),
            _("Legalizacja do"),
        )
        for summary in mine:
            meter, reading = summary.meter, summary.last_reading
            table.add_row(
                Text(meter.serial),
                label(meter.role),
                Text(meter.location),
                day(reading.read_on) if reading else "",
                cubic_metres(reading.index) if reading else "",
                cubic_metres(reading.consumption)
                if reading and reading.consumption is not None
                else "",
                day(meter.legalization_expires),
                key=meter.id,
            )

    def action_submit_reading(self) -> None:
        """The reading dialog for the highlighted meter; the accepted reading shows here, and
        on every tab that shows readings, by the backend's change notice (records_changed)."""
        from ..forms.reading_form import ReadingForm

        meter_id = highlighted_key(self.query_one("#meters-table", DataTable))
        self.app.push_screen(ReadingForm(meter_id=meter_id))

    async def action_pay(self) -> None:
        await self.app.run_action("app.switch_tab('rozrachunki')")
        screen = self.app.screen
        pay = getattr(screen, "action_pay", None)
        if pay is not None:
            self.app.call_later(pay)


def alert_text(alert: Alert, meter: Meter | None) -> str:
    """An alert in the console's language, from its kind and params; a legalization alert
    without them (a server of another version) from the meter's own data."""
    from ...domain.legalization import WARNING_DAYS
    from ...domain.models import LegalizationState

    if alert.kind == "legalization" and not alert.params and meter is not None:
        expired = meter.legalization is LegalizationState.EXPIRED
        return legalization_text(meter.serial, meter.legalization_expires, expired, WARNING_DAYS)
    return render_alert(alert)
