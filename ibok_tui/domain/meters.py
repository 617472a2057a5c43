"""Meters, their readings and their series (the types; the rules are domain/readings.py)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from .units import Litres
from .value import value


class MeterRole(StrEnum):
    MAIN = "main"
    SUB = "sub"  # e.g. a garden meter under a main meter


class MeterStatus(StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"
    DAMAGED = "damaged"


class MeterOwner(StrEnum):
    UTILITY = "utility"
    CUSTOMER = "customer"


class Resolution(StrEnum):
    """How fine a meter's or a series' data is."""

    HOUR = "hour"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    BILLING_PERIOD = "billing_period"


class ReadingType(StrEnum):
    COLLECTOR = "collector"  # read by the utility's collector (inkasent)
    SELF = "self"  # submitted by the customer via iBOK
    REMOTE = "remote"  # remote / radio read-out
    ESTIMATE = "estimate"
    INSTALLATION = "installation"
    REMOVAL = "removal"


class ReadingStatus(StrEnum):
    PENDING = "pending"  # submitted, waiting for the utility to import it
    ACCEPTED = "accepted"  # imported / taken into billing
    WITHDRAWN = "withdrawn"


class ReadingEventKind(StrEnum):
    """What happened to a reading, in its history."""

    SUBMITTED = "submitted"  # by the customer, or by a clerk at the desk for them
    EDITED = "edited"  # corrected while pending: the index before and after
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"  # taken into billing (a clerk's import, the billing system's)
    RECORDED = "recorded"  # the utility's own reading, from the billing system's import


class LegalizationState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"  # within the warning window (90 days)
    EXPIRED = "expired"


@value
class Meter:
    id: str
    serial: str
    property_id: str
    point_id: str
    role: MeterRole
    diameter_mm: int
    location: str
    status: MeterStatus
    owner: MeterOwner
    installed_on: date
    legalization_expires: date
    resolution: Resolution = Resolution.MONTH  # finest data: MONTH (manual), DAY or HOUR (smart)
    parent_id: str | None = None  # a sub-meter's main meter
    legalization: LegalizationState = LegalizationState.VALID  # computed for "today"


SYSTEM_AUTHOR = "system"  # an event written by the billing system's import or confirmation


SENT_FROM = "Ibok-Sent-From"  # the HTTP header by which the outbox says a reading waited in it


@value
class ReadingEvent:
    """One step of a reading's history: what, when, by whom (CUSTOMER_AUTHOR, "BOK: <login>"
    for a clerk, SYSTEM_AUTHOR for the billing system), the index after it and, for an
    edit, before it; `via` "outbox" when the outbox sent it later."""

    at: datetime
    kind: ReadingEventKind
    author: str
    index: Litres | None = None
    previous_index: Litres | None = None
    via: str = ""
    day_only: bool = False  # only the day of `at` is known (the utility's reading on its day)


@value
class Reading:
    id: str
    meter_id: str
    read_on: date
    index: Litres
    consumption: Litres | None  # since the previous reading; None for the first one
    type: ReadingType
    status: ReadingStatus = ReadingStatus.ACCEPTED
    submitted_at: datetime | None = None
    meter_change: bool = False  # the index restarted: a new meter or a roll-over
    note: str = ""
    history: tuple[ReadingEvent, ...] = ()  # oldest first


@value
class SeriesPoint:
    start: datetime  # start of the bucket, naive local (Polish) time
    litres: Litres


@value
class ReadingSubmission:
    meter_id: str
    value: str  # as typed: "123,456" is accepted
    read_on: date | None = None  # defaults to today
    confirm_meter_change: bool = False
    confirm_jump: bool = False
