"""Meters, readings and consumption series, and the customer's own readings."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta

from ..domain.analytics import aggregate, readings_to_daily
from ..domain.errors import Conflict, NotFound, ValidationFailed
from ..domain.models import (
    CUSTOMER_AUTHOR,
    AuditAction,
    Meter,
    MeterStatus,
    Reading,
    ReadingEvent,
    ReadingEventKind,
    ReadingStatus,
    ReadingSubmission,
    ReadingType,
    Resolution,
    SeriesPoint,
    Session,
)
from ..domain.readings import ReadingInputError, billing_period, check_reading, parse_index
from . import rows
from .base import Core
from .checks import dates_checked, text_error
from .history_schema import DESK_NOTE

_HOURLY_BUCKET = {
    Resolution.HOUR: (13, ":00"),
    Resolution.DAY: (10, "T00:00"),
    Resolution.MONTH: (7, "-01T00:00"),
    Resolution.YEAR: (4, "-01-01T00:00"),
}


class MeteringService:
    """Meters, readings and consumption series, for a resolved customer session."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store

    def meters(self, session: Session) -> list[Meter]:
        today = self.core.today()
        return [
            rows.meter(r, today)
            for r in self.store.all(
                "SELECT m.* FROM meters m JOIN properties p ON p.id = m.property_id"
                " WHERE p.customer_number = ? ORDER BY p.id, m.role, m.serial",
                (session.subject,),
            )
        ]

    def meter(self, session: Session, meter_id: str) -> Meter:
        self.core.owned_meter(session.subject, meter_id)
        return self._meter(meter_id)

    def _meter(self, meter_id: str) -> Meter:
        """A meter whose ownership the caller has checked."""
        row = self.store.one("SELECT * FROM meters WHERE id = ?", (meter_id,))
        assert row is not None
        return rows.meter(row, self.core.today())

    def readings(self, session: Session, meter_id: str) -> list[Reading]:
        """The meter's readings, oldest first (withdrawn ones included, marked as such),
        each with its history."""
        self.core.owned_meter(session.subject, meter_id)
        history: dict[str, list[ReadingEvent]] = {}
        for e in self.store.all(
            "SELECT e.* FROM reading_events e JOIN readings r ON r.id = e.reading_id"
            " WHERE r.meter_id = ? ORDER BY e.id",
            (meter_id,),
        ):
            history.setdefault(e["reading_id"], []).append(rows.reading_event(e))
        return [
            replace(r, history=tuple(history.get(r.id, ()))) for r in self.readings_of(meter_id)
        ]

    def readings_of(self, meter_id: str) -> list[Reading]:
        """A meter's readings, whose ownership the caller has checked."""
        return [
            rows.reading(r)
            for r in self.store.all(
                "SELECT * FROM readings WHERE meter_id = ? ORDER BY read_on, submitted_at",
                (meter_id,),
            )
        ]

    def series(
        self,
        session: Session,
        meter_id: str,
        resolution: Resolution,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[SeriesPoint]:
        """Consumption summed per hour, day, month, year or billing period."""
        dates_checked(("date_from", date_from), ("date_to", date_to))
        self.core.owned_meter(session.subject, meter_id)
        meter = self._meter(meter_id)
        if meter.resolution is Resolution.HOUR:
            return self._hourly_series(meter_id, resolution, date_from, date_to)
        if resolution is Resolution.HOUR or (
            resolution is Resolution.DAY and meter.resolution is not Resolution.DAY
        ):
            raise ValidationFailed.single(
                "resolution",
                "not_available",
            )
        readings = [
            r for r in self.readings_of(meter_id) if r.status is not ReadingStatus.WITHDRAWN
        ]
        if date_from is not None:  # spread only the readings the range needs, and the one before
            first = next((i for i, r in enumerate(readings) if r.read_on >= date_from), None)
            readings = readings[max(0, first - 1) :] if first is not None else readings[-1:]
        daily = [
            p
            for p in readings_to_daily(readings)
            if (date_from is None or p.start.date() >= date_from)
            and (date_to is None or p.start.date() <= date_to)
        ]
        return aggregate(daily, resolution, self._billing_months(meter_id))

    def _hourly_series(
        self,
        meter_id: str,
        resolution: Resolution,
        date_from: date | None,
        date_to: date | None,
    ) -> list[SeriesPoint]:
        params: list[object] = [meter_id]
        where = "meter_id = ?"
        if date_from:
            where += " AND ts >= ?"
            params.append(date_from.isoformat())
        if date_to:
            where += " AND ts < ?"
            params.append((date_to + timedelta(days=1)).isoformat())
        if resolution is Resolution.BILLING_PERIOD:
            daily = self._hourly_series(meter_id, Resolution.DAY, date_from, date_to)
            return aggregate(daily, Resolution.BILLING_PERIOD, self._billing_months(meter_id))
        width, suffix = _HOURLY_BUCKET[resolution]
        found = self.store.all(
            f"SELECT substr(ts, 1, {width}) AS bucket, sum(litres) AS litres FROM hourly"
            f" WHERE {where} GROUP BY bucket ORDER BY bucket",
            params,
        )
        return [
            SeriesPoint(start=datetime.fromisoformat(r["bucket"] + suffix), litres=r["litres"])
            for r in found
        ]

    def _billing_months(self, meter_id: str) -> int:
        return int(
            self.store.scalar(
                "SELECT c.billing_months FROM customers c JOIN properties p"
                " ON p.customer_number = c.number JOIN meters m ON m.property_id = p.id"
                " WHERE m.id = ?",
                (meter_id,),
            )
        )

    # --- the customer's own readings ----------------------------------------------------

    def submit_reading(
        self,
        session: Session,
        submission: ReadingSubmission,
        *,
        idempotency_key: str | None = None,
        from_outbox: bool = False,
    ) -> Reading:
        """Check the reading against the rules and store it as waiting for import;
        `from_outbox`: the console's outbox sent it later (its history says so)."""
        self.core.owned_meter(session.subject, submission.meter_id)
        scope = f"{session.subject}:reading"
        if (done := self.core.replayed(scope, idempotency_key)) is not None:
            return self._reading(done)
        meter = self._meter(submission.meter_id)
        if meter.status is not MeterStatus.ACTIVE:
            raise Conflict(code="meter_not_active")
        reading = self._checked(session, submission, editing=None)
        try:
            with self.store.transaction():
                self.store.execute(
                    "INSERT INTO readings (id, meter_id, read_on, idx, consumption, type,"
                    " status, submitted_at, meter_change, note, submitted_period)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        reading.id,
                        reading.meter_id,
                        reading.read_on.isoformat(),
                        reading.index,
                        reading.consumption,
                        reading.type.value,
                        reading.status.value,
                        reading.submitted_at.isoformat() if reading.submitted_at else None,
                        int(reading.meter_change),
                        reading.note,
                        self._period_of(reading),
                    ),
                )
                add_reading_event(
                    self.core,
                    reading.id,
                    ReadingEventKind.SUBMITTED,
                    author_of(session),
                    index=reading.index,
                    via="outbox" if from_outbox else "",
                )
                self.core.remember(scope, idempotency_key, reading.id)
                self.core.audit(
                    session, AuditAction.SUBMIT_READING, f"{meter.serial}: {reading.index} l"
                )
        except self.store.integrity_error:
            # another submission won the race: the same key's (replayed), or the period's
            # (refused as the check refuses it, now that it sees the other one)
            if (done := self.core.replayed(scope, idempotency_key)) is not None:
                return self._reading(done)
            self._checked(session, submission, editing=None)
            raise
        return self._reading(reading.id)  # with its history

    def _period_of(self, reading: Reading) -> str:
        """The first day of the billing period the reading is counted in."""
        start, _end = billing_period(reading.read_on, self._billing_months(reading.meter_id))
        return start.isoformat()

    def edit_reading(
        self, session: Session, reading_id: str, submission: ReadingSubmission
    ) -> Reading:
        current = self._own_pending_reading(session, reading_id)
        if submission.meter_id != current.meter_id:
            submission = ReadingSubmission(
                meter_id=current.meter_id,
                value=submission.value,
                read_on=submission.read_on,
                confirm_meter_change=submission.confirm_meter_change,
                confirm_jump=submission.confirm_jump,
            )
        reading = self._checked(session, submission, editing=current)
        with self.store.transaction():
            updated = self.store.execute(
                "UPDATE readings SET read_on = ?, idx = ?, consumption = ?, meter_change = ?,"
                " submitted_at = ?, submitted_period = ? WHERE id = ? AND status = ?",
                (
                    reading.read_on.isoformat(),
                    reading.index,
                    reading.consumption,
                    int(reading.meter_change),
                    self.core.now().isoformat(),
                    self._period_of(reading),
                    reading_id,
                    ReadingStatus.PENDING.value,
                ),
            ).rowcount
            if not updated:
                raise Conflict(code="reading_imported")
            add_reading_event(
                self.core,
                reading_id,
                ReadingEventKind.EDITED,
                author_of(session),
                index=reading.index,
                previous=current.index,
            )
            self.core.audit(session, AuditAction.EDIT_READING, f"{reading_id}: {reading.index} l")
        return self._reading(reading_id)

    def withdraw_reading(self, session: Session, reading_id: str) -> Reading:
        current = self._own_pending_reading(session, reading_id)
        with self.store.transaction():
            updated = self.store.execute(
                "UPDATE readings SET status = ?, submitted_period = NULL"
                " WHERE id = ? AND status = ?",
                (ReadingStatus.WITHDRAWN.value, reading_id, ReadingStatus.PENDING.value),
            ).rowcount
            if not updated:
                raise Conflict(code="reading_imported_withdraw")
            add_reading_event(
                self.core,
                reading_id,
                ReadingEventKind.WITHDRAWN,
                author_of(session),
                index=current.index,
            )
            self.core.audit(session, AuditAction.WITHDRAW_READING, reading_id)
        return self._reading(reading_id)

    def _reading(self, reading_id: str) -> Reading:
        """A reading with its history (the caller has checked whose it is)."""
        row = self.store.one("SELECT * FROM readings WHERE id = ?", (reading_id,))
        if row is None:
            raise NotFound(code="reading_not_found")
        history = tuple(
            rows.reading_event(e)
            for e in self.store.all(
                "SELECT * FROM reading_events WHERE reading_id = ? ORDER BY id", (reading_id,)
            )
        )
        return replace(rows.reading(row), history=history)

    def _own_pending_reading(self, session: Session, reading_id: str) -> Reading:
        row = self.store.one(
            "SELECT r.* FROM readings r JOIN meters m ON m.id = r.meter_id"
            " JOIN properties p ON p.id = m.property_id WHERE r.id = ? AND p.customer_number = ?",
            (reading_id, session.subject),
        )
        if row is None:
            raise NotFound(code="reading_not_found")
        reading = rows.reading(row)
        if reading.status is not ReadingStatus.PENDING:
            raise Conflict(code="reading_not_pending")
        return reading

    def _checked(
        self, session: Session, submission: ReadingSubmission, editing: Reading | None
    ) -> Reading:
        if (problem := text_error("value", submission.value, max_length=32)) is not None:
            raise ValidationFailed([problem])
        dates_checked(("read_on", submission.read_on))
        try:
            index = parse_index(submission.value)
        except ReadingInputError as exc:
            raise ValidationFailed.single("value", exc.code) from exc
        today = self.core.today()
        read_on = submission.read_on or today
        billing_months = self._billing_months(submission.meter_id)
        verdict = check_reading(
            index,
            read_on,
            self.readings_of(submission.meter_id),
            today=today,
            billing_months=billing_months,
            confirm_meter_change=submission.confirm_meter_change,
            confirm_jump=submission.confirm_jump,
            editing_id=editing.id if editing else None,
        )
        verdict.raise_if_refused()
        return Reading(
            id=editing.id if editing else "R-" + secrets.token_hex(8),
            meter_id=submission.meter_id,
            read_on=read_on,
            index=index,
            consumption=verdict.consumption,
            type=ReadingType.SELF,
            status=ReadingStatus.PENDING,
            submitted_at=self.core.now(),
            meter_change=verdict.meter_change,
            note=DESK_NOTE if session.acting_operator else "",
        )


def author_of(session: Session) -> str:
    """Who a customer session's step is by: the customer, or the clerk acting for them."""
    return f"BOK: {session.acting_operator}" if session.acting_operator else CUSTOMER_AUTHOR


def add_reading_event(
    core: Core,
    reading_id: str,
    kind: ReadingEventKind,
    author: str,
    index: int | None = None,
    previous: int | None = None,
    via: str = "",
) -> None:
    core.store.execute(
        "INSERT INTO reading_events (reading_id, at, kind, author, idx, previous_idx, via)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (reading_id, core.now().isoformat(), kind.value, author, index, previous, via),
    )
