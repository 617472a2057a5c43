"""Requests ("zgłoszenia"): failures, complaints, garden meters and letters, with history."""

from __future__ import annotations

import secrets
from datetime import datetime

from ..domain.deadlines import due_date
from ..domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from ..domain.models import (
    CUSTOMER_AUTHOR,
    OPEN_REQUEST_STATUSES,
    AuditAction,
    RequestCategory,
    RequestDraft,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    Session,
)
from . import rows
from .base import Core
from .checks import text_error
from .dispatch import ROUTE_COLUMNS, OfficeMail, route_from_row

SUBJECT_MAX = 200
BODY_MAX = 5000


class RequestsService:
    """Requests and their history, for a resolved customer session."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store
        self.config = core.config
        self.office = OfficeMail(core)

    def requests(self, session: Session) -> list[ServiceRequest]:
        """Everything the customer has sent, newest first, each with its history."""
        return self.where("r.customer_number = ?", (session.subject,), "r.created_at DESC")

    def request(self, session: Session, request_id: str) -> ServiceRequest:
        found = self.where(
            "r.customer_number = ? AND r.id = ?", (session.subject, request_id), "r.id"
        )
        if not found:
            raise NotFound(code="request_not_found")
        return found[0]

    def where(
        self, where: str, params: tuple[object, ...], order: str, *, routes: bool = False
    ) -> list[ServiceRequest]:
        """Requests with their history; `routes`: with where each went (the office's view)."""
        query = (
            f"SELECT r.*, {ROUTE_COLUMNS} FROM requests r"
            " LEFT JOIN request_routes rr ON rr.request_id = r.id"
            if routes
            else "SELECT r.* FROM requests r"
        )
        found = self.store.all(f"{query} WHERE {where} ORDER BY {order}", params)
        if not found:
            return []
        history: dict[str, list[RequestEvent]] = {}
        ids = [r["id"] for r in found]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            for e in self.store.all(
                f"SELECT * FROM request_events WHERE request_id IN ({marks}) ORDER BY id", part
            ):
                history.setdefault(e["request_id"], []).append(rows.request_event(e))
        return [
            rows.service_request(
                r, tuple(history.get(r["id"], ())), route_from_row(r) if routes else None
            )
            for r in found
        ]

    def create_request(
        self, session: Session, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest:
        scope = f"{session.subject}:request"
        if (done := self.core.replayed(scope, idempotency_key)) is not None:
            return self.request(session, done)
        errors = []
        if not draft.subject.strip():
            errors.append(FieldError("subject", "required"))
        elif problem := text_error("subject", draft.subject, max_length=SUBJECT_MAX):
            errors.append(problem)
        if not draft.body.strip():
            errors.append(FieldError("body", "required"))
        elif problem := text_error("body", draft.body, max_length=BODY_MAX, multiline=True):
            errors.append(problem)
        if draft.meter_id:
            try:
                self.core.owned_meter(session.subject, draft.meter_id)
            except NotFound:
                errors.append(FieldError("meter_id", "unknown_meter"))
        elif draft.category in (
            RequestCategory.GARDEN_METER_REPLACE,
            RequestCategory.GARDEN_METER_REMOVE,
        ):
            errors.append(FieldError("meter_id", "required"))
        if errors:
            raise ValidationFailed(errors)
        request_id = "Z-" + secrets.token_hex(6)
        try:
            self._create(session, draft, request_id, scope, idempotency_key)
        except self.store.integrity_error:
            # the same key's other request won the race: its answer, not a second request
            if (done := self.core.replayed(scope, idempotency_key)) is not None:
                return self.request(session, done)
            raise
        self.office.send_route(request_id)  # after the commit: the mail never holds the lock
        return self.request(session, request_id)

    def _create(
        self,
        session: Session,
        draft: RequestDraft,
        request_id: str,
        scope: str,
        idempotency_key: str | None,
    ) -> None:
        now = self.core.now()
        author = f"BOK: {session.acting_operator}" if session.acting_operator else CUSTOMER_AUTHOR
        with self.store.transaction():
            # read, then written: the customer's open requests and the year's last number
            self.store.lock(f"requests:{session.subject}", f"request-number:{now.year}")
            if draft.meter_id:
                self._refuse_a_second_open(session.subject, draft)
            number = self._next_request_number(now)
            self.store.execute(
                "INSERT INTO requests (id, number, customer_number, category, subject, body,"
                " status, created_at, due_date, meter_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request_id,
                    number,
                    session.subject,
                    draft.category.value,
                    draft.subject.strip(),
                    draft.body.strip(),
                    RequestStatus.NEW.value,
                    now.isoformat(),
                    due_date(self.config.deadlines, draft.category, self.core.today()).isoformat(),
                    draft.meter_id or None,
                ),
            )
            self.add_event(request_id, now, RequestStatus.NEW, author, "")  # the status words it
            self.office.record_route(request_id, draft.category, now)
            self.core.remember(scope, idempotency_key, request_id)
            self.core.audit(
                session, AuditAction.CREATE_REQUEST, f"{number}: {draft.category.value}"
            )

    def _refuse_a_second_open(self, customer: str, draft: RequestDraft) -> None:
        """One open request of a kind for a meter: a second garden-meter replacement while the
        first is in progress is refused, naming the first (Conflict `request_already_open`)."""
        marks = ", ".join("?" for _ in OPEN_REQUEST_STATUSES)
        found = self.store.one(
            "SELECT number FROM requests WHERE customer_number = ? AND meter_id = ?"
            f" AND category = ? AND status IN ({marks}) ORDER BY created_at LIMIT 1",
            (customer, draft.meter_id, draft.category.value, *sorted(OPEN_REQUEST_STATUSES)),
        )
        if found is not None:
            raise Conflict(code="request_already_open", params={"number": found["number"]})

    def _next_request_number(self, now: datetime) -> str:
        prefix = f"ZG/{now.year}/"
        last = self.store.scalar(
            "SELECT max(number) FROM requests WHERE number LIKE ?", (prefix + "%",)
        )
        sequence = int(last.rsplit("/", 1)[1]) + 1 if last else 1
        return f"{prefix}{sequence:06d}"

    def add_event(
        self, request_id: str, at: datetime, status: RequestStatus, author: str, text: str
    ) -> None:
        self.store.execute(
            "INSERT INTO request_events (request_id, at, status, author, text)"
            " VALUES (?, ?, ?, ?, ?)",
            (request_id, at.isoformat(), status.value, author, text),
        )
