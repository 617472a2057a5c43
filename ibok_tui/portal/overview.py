"""Pulpit's dashboard and the customer's export: the calls that read every area."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..domain.analytics import (
    average_daily,
    detect_night_flow,
    detect_spikes,
    forecast_invoice,
    readings_to_daily,
)
from ..domain.dates import add_months, data_as_of
from ..domain.legalization import WARNING_DAYS, days_left
from ..domain.models import (
    Alert,
    AuditAction,
    Dashboard,
    Forecast,
    LegalizationState,
    MeterRole,
    MeterStatus,
    MeterSummary,
    ReadingStatus,
    Resolution,
    SeriesPoint,
    Session,
    Tariff,
)
from ..domain.readings import billing_period
from ..i18n.render import alert_text, anomaly_params
from .account import AccountService
from .base import Core
from .billing import BillingService
from .contracts import ContractsService
from .metering import MeteringService
from .requests import RequestsService


class OverviewService:
    """What spans the areas, for a resolved customer session: Pulpit's dashboard and the
    export of everything the iBOK holds about the customer."""

    def __init__(
        self,
        core: Core,
        account: AccountService,
        billing: BillingService,
        metering: MeteringService,
        contracts: ContractsService,
        requests: RequestsService,
    ) -> None:
        self.core = core
        self.store = core.store
        self.account = account
        self.billing = billing
        self.metering = metering
        self.contracts = contracts
        self.requests = requests

    def dashboard(self, session: Session) -> Dashboard:
        """Everything Pulpit shows, in one call."""
        today = self.core.today()
        as_of = data_as_of(today)
        customer = self.account.customer_row(session.subject)
        meters = [m for m in self.metering.meters(session) if m.status is MeterStatus.ACTIVE]
        summaries = []
        alerts: list[Alert] = []
        monthly: dict[Any, int] = {}
        year_ago = add_months(as_of.replace(day=1), -11)
        daily_rate = Decimal(0)  # litres a day over the last 90 days of data, main meters
        for meter in meters:
            readings = [
                r
                for r in self.metering.readings_of(meter.id)
                if r.status is not ReadingStatus.WITHDRAWN
            ]
            summaries.append(
                MeterSummary(
                    meter=meter,
                    last_reading=readings[-1] if readings else None,
                    days_to_legalization=days_left(meter.legalization_expires, today),
                )
            )
            if meter.legalization in (LegalizationState.EXPIRED, LegalizationState.EXPIRING):
                state = "expired" if meter.legalization is LegalizationState.EXPIRED else "expiring"
                params: dict[str, str] = {
                    "serial": meter.serial,
                    "date": meter.legalization_expires.isoformat(),
                    "state": state,
                    "days": str(WARNING_DAYS),
                }
                alerts.append(_alert("legalization", meter.id, params))
            if meter.role is not MeterRole.MAIN:
                continue
            for point in self.metering.series(session, meter.id, Resolution.MONTH, year_ago, as_of):
                monthly[point.start] = monthly.get(point.start, 0) + point.litres
            if meter.resolution is Resolution.HOUR:
                hourly = self.metering.series(
                    session, meter.id, Resolution.HOUR, as_of - timedelta(days=13), as_of
                )
                for anomaly in detect_night_flow(hourly):
                    alerts.append(
                        _alert(
                            "night_flow",
                            meter.id,
                            anomaly_params(anomaly),
                            since=anomaly.start.date(),
                        )
                    )
                start = as_of - timedelta(days=89)
                days = self.metering.series(session, meter.id, Resolution.DAY, start, as_of)
                daily_rate += average_daily(days, start, as_of)
            else:
                for anomaly in detect_spikes(readings)[-1:]:
                    if (as_of - anomaly.end.date()).days <= 120:
                        alerts.append(
                            _alert(
                                "spike",
                                meter.id,
                                anomaly_params(anomaly),
                                since=anomaly.end.date(),
                            )
                        )
                daily = readings_to_daily(readings)
                if daily:  # the readings cover days up to the last one, not up to yesterday
                    end = daily[-1].start.date()
                    start = end - timedelta(days=89)
                    recent = [p for p in daily if p.start.date() >= start]
                    daily_rate += average_daily(recent, start, end)
        balance = self.billing.balance(session)
        if balance.overdue > 0:
            alerts.insert(
                0,
                _alert("overdue", None, {}, amount=balance.overdue),
            )
        return Dashboard(
            customer=customer,
            utility=self.account.utility(),
            data_as_of=as_of,
            balance=balance,
            meters=tuple(summaries),
            monthly_use=tuple(SeriesPoint(k, v) for k, v in sorted(monthly.items())),
            alerts=tuple(alerts),
            notices=tuple(self.account.notices()),
            forecast=self._forecast(customer.billing_months, daily_rate, as_of),
        )

    def _forecast(self, billing_months: int, daily_rate: Decimal, as_of: Any) -> Forecast | None:
        tariff = self._current_tariff(as_of)
        if tariff is None or not daily_rate:
            return None
        period_from, period_to = billing_period(as_of + timedelta(days=1), billing_months)
        return forecast_invoice(tariff, daily_rate, period_from, period_to)

    def _current_tariff(self, day: Any) -> Tariff | None:
        current = [
            t
            for t in self.account.tariffs()
            if t.valid_from <= day and (t.valid_to is None or t.valid_to >= day)
        ]
        return current[-1] if current else None

    def export_data(self, session: Session) -> dict[str, Any]:
        """Everything the iBOK holds about the customer, as JSON-ready data."""
        import msgspec

        profile = self.account.profile(session)
        meters = [m for p in profile.properties for pt in p.points for m in pt.meters]
        data = {
            "exported_at": self.core.now(),
            "customer": profile.customer,
            "properties": profile.properties,
            "readings": {m.id: self.metering.readings(session, m.id) for m in meters},
            "invoices": [
                self.billing.invoice(session, i.number) for i in self.billing.invoices(session)
            ],
            "settlements": self.billing.settlements(session),
            "contracts": self.contracts.contracts(session),
            "documents": self.contracts.documents(session),
            "requests": self.requests.requests(session),
            "audit": [
                dict(r)
                for r in self.store.all(
                    "SELECT at, operator, action, detail FROM audit WHERE customer_number = ?"
                    " ORDER BY id",
                    (session.subject,),
                )
            ],
        }
        with self.store.transaction():
            self.core.audit(session, AuditAction.EXPORT_DATA)
        result: dict[str, Any] = msgspec.to_builtins(data)
        return result


def _alert(
    kind: str,
    meter_id: str | None,
    params: dict[str, str],
    *,
    since: date | None = None,
    amount: int | None = None,
) -> Alert:
    """An alert as its kind and params, with the catalogue's Polish words for clients
    without the catalogue."""
    bare = Alert(kind, meter_id, "", since, amount, params)
    return Alert(kind, meter_id, alert_text(bare, "pl"), since, amount, params)
