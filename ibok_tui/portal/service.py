"""`PortalService`: the iBOK's rules applied to its state. One instance serves the demo
(through the local backend) and the reference server alike."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
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
    Dashboard,
    Forecast,
    LegalizationState,
    MeterRole,
    MeterStatus,
    MeterSummary,
    ReadingStatus,
    Resolution,
    SeriesPoint,
    Tariff,
)
from ..domain.readings import billing_period
from ..i18n.render import anomaly_text
from .base import Clock, PortalConfig, config_from_policy, utc_now
from .billing import BillingMixin
from .contracts import ContractsMixin
from .lifecycle import LifecycleMixin
from .mail import Mailer, OutboxMailer
from .operator import OperatorMixin
from .store import Store


class PortalService(OperatorMixin, ContractsMixin, BillingMixin, LifecycleMixin):
    """Every customer and operator operation. Customer operations take the session token
    and are scoped to that session's customer; nothing else is ever returned."""

    def dashboard(self, token: str) -> Dashboard:
        """Everything Pulpit shows, in one call."""
        session = self._customer(token)
        today = self.today()
        as_of = data_as_of(today)
        customer = self._customer_row(session.subject)
        meters = [m for m in self.meters(token) if m.status is MeterStatus.ACTIVE]
        summaries = []
        alerts: list[Alert] = []
        monthly: dict[Any, int] = {}
        year_ago = add_months(as_of.replace(day=1), -11)
        daily_rate = Decimal(0)  # litres a day over the last 90 days of data, main meters
        for meter in meters:
            readings = [
                r for r in self._readings(meter.id) if r.status is not ReadingStatus.WITHDRAWN
            ]
            summaries.append(
                MeterSummary(
                    meter=meter,
                    last_reading=readings[-1] if readings else None,
                    days_to_legalization=days_left(meter.legalization_expires, today),
                )
            )
            if meter.legalization is LegalizationState.EXPIRED:
                alerts.append(
                    Alert(
                        "legalization",
                        meter.id,
                        f"Legalizacja wodomierza {meter.serial} wygasła"
                        f" {meter.legalization_expires.isoformat()}: wodociągi wymienią go.",
                    )
                )
            elif meter.legalization is LegalizationState.EXPIRING:
                alerts.append(
                    Alert(
                        "legalization",
                        meter.id,
                        f"Legalizacja wodomierza {meter.serial} wygasa"
                        f" {meter.legalization_expires.isoformat()} (za mniej niż"
                        f" {WARNING_DAYS} dni).",
                    )
                )
            if meter.role is not MeterRole.MAIN:
                continue
            for point in self.series(token, meter.id, Resolution.MONTH, year_ago, as_of):
                monthly[point.start] = monthly.get(point.start, 0) + point.litres
            if meter.resolution is Resolution.HOUR:
                hourly = self.series(
                    token, meter.id, Resolution.HOUR, as_of - timedelta(days=13), as_of
                )
                for anomaly in detect_night_flow(hourly):
                    alerts.append(
                        Alert(
                            "night_flow",
                            meter.id,
                            anomaly_text(anomaly, "pl"),
                            anomaly.start.date(),
                        )
                    )
                start = as_of - timedelta(days=89)
                days = self.series(token, meter.id, Resolution.DAY, start, as_of)
                daily_rate += average_daily(days, start, as_of)
            else:
                for anomaly in detect_spikes(readings)[-1:]:
                    if (as_of - anomaly.end.date()).days <= 120:
                        alerts.append(
                            Alert(
                                "spike", meter.id, anomaly_text(anomaly, "pl"), anomaly.end.date()
                            )
                        )
                daily = readings_to_daily(readings)
                if daily:  # the readings cover days up to the last one, not up to yesterday
                    end = daily[-1].start.date()
                    start = end - timedelta(days=89)
                    recent = [p for p in daily if p.start.date() >= start]
                    daily_rate += average_daily(recent, start, end)
        balance = self.balance(token)
        if balance.overdue > 0:
            alerts.insert(
                0,
                Alert("overdue", None, "Masz zaległe płatności.", amount=balance.overdue),
            )
        return Dashboard(
            customer=customer,
            utility=self.utility(),
            data_as_of=as_of,
            balance=balance,
            meters=tuple(summaries),
            monthly_use=tuple(SeriesPoint(k, v) for k, v in sorted(monthly.items())),
            alerts=tuple(alerts),
            notices=tuple(self.notices()),
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
            for t in self.tariffs()
            if t.valid_from <= day and (t.valid_to is None or t.valid_to >= day)
        ]
        return current[-1] if current else None

    def export_data(self, token: str) -> dict[str, Any]:
        """Everything the iBOK holds about the customer, as JSON-ready data."""
        import msgspec

        session = self._customer(token)
        profile = self.profile(token)
        meters = [m for p in profile.properties for pt in p.points for m in pt.meters]
        data = {
            "exported_at": self.now(),
            "customer": profile.customer,
            "properties": profile.properties,
            "readings": {m.id: self.readings(token, m.id) for m in meters},
            "invoices": [self.invoice(token, i.number) for i in self.invoices(token)],
            "settlements": self.settlements(token),
            "contracts": self.contracts(token),
            "documents": self.documents(token),
            "requests": self.requests(token),
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
            self._audit(session, "export_data")
        result: dict[str, Any] = msgspec.to_builtins(data)
        return result


def open_portal(
    path: Path | str,
    *,
    outbox: Path | None = None,
    mailer: Mailer | None = None,
    config: PortalConfig | None = None,
    clock: Clock = utc_now,
    seed_demo: bool = False,
) -> PortalService:
    """Open (creating and migrating) the store at `path`; seed the demo data if asked and empty."""
    store = Store(path)
    if seed_demo and store.is_empty():
        from .fixtures import load_demo

        load_demo(store, clock)
    if config is None:
        policy = store.scalar("SELECT value FROM settings WHERE key = 'policy'")
        config = config_from_policy(json.loads(policy)) if policy else PortalConfig()
    return PortalService(
        store,
        mailer=mailer or OutboxMailer(outbox or Path(path).parent / "outbox"),
        config=config,
        clock=clock,
    )
