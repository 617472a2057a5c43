"""What Pulpit shows: the balance, each meter's last reading, alerts, notices, the
forecast (`Dashboard`)."""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from enum import StrEnum

from .customers import Customer, Utility
from .meters import Meter, Reading, SeriesPoint
from .units import Grosze, Litres
from .value import value


class NoticeKind(StrEnum):
    MAINTENANCE = "maintenance"  # planned works
    FAILURE = "failure"
    INFO = "info"


@value
class Balance:
    owed: Grosze  # all documents
    paid: Grosze  # all payments
    balance: Grosze  # owed - paid: positive is to pay, negative is an overpayment
    overdue: Grosze  # past due and unpaid
    next_due_date: date | None
    next_due_amount: Grosze

    @property
    def overpayment(self) -> Grosze:
        return max(-self.balance, 0)

    @property
    def to_pay(self) -> Grosze:
        return max(self.balance, 0)


@value
class Notice:
    id: str
    kind: NoticeKind
    title: str
    body: str
    published_at: datetime
    valid_from: date
    valid_to: date | None
    area: str = ""


@value
class MeterSummary:
    meter: Meter
    last_reading: Reading | None
    days_to_legalization: int


@value
class Alert:
    """A warning on Pulpit: its `kind` and `params` (numbers, ISO dates, a meter's serial)
    are what a client words (i18n/render.py `alert_text`); `message` is the same in Polish,
    for a client without the catalogue."""

    kind: str  # "night_flow", "spike", "legalization", "overdue"
    meter_id: str | None
    message: str
    since: date | None = None
    amount: Grosze | None = None
    params: dict[str, str] = field(default_factory=dict)


@value
class Forecast:
    period_from: date
    period_to: date
    litres: Litres
    net: Grosze
    gross: Grosze


@value
class Dashboard:
    customer: Customer
    utility: Utility
    data_as_of: date
    balance: Balance
    meters: tuple[MeterSummary, ...]
    monthly_use: tuple[SeriesPoint, ...]  # the last 12 months, all main meters
    alerts: tuple[Alert, ...]
    notices: tuple[Notice, ...]
    forecast: Forecast | None = None
