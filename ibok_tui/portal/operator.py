"""The customer office's (BOK) operations: search, registrations, the request queue,
readings to import, blocking, notices, acting for a customer and the audit log."""

from __future__ import annotations

import secrets
from datetime import date

from ..domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from ..domain.models import (
    ACCOUNT_REASON_MAX,
    SYSTEM_AUTHOR,
    AccountStatus,
    AuditAction,
    AuditEntry,
    CustomerSummary,
    Notice,
    NoticeDraft,
    PendingReading,
    PendingRegistration,
    ReadingEventKind,
    ReadingStatus,
    RequestStatus,
    Role,
    ServiceRequest,
    Session,
)
from ..i18n.render import mail_text
from . import rows, search
from .auth import AuthService
from .base import Core, parse_dt
from .checks import date_error, is_email, text_error
from .lifecycle import LifecycleService
from .metering import add_reading_event
from .requests import RequestsService
from .sessions import Sessions

SEARCH_LIMIT = 50  # one page of results
SEARCH_PAGE_MAX = 500


class OperatorService:
    """The customer office's operations, for a resolved operator session."""

    def __init__(
        self,
        core: Core,
        sessions: Sessions,
        auth: AuthService,
        requests: RequestsService,
        lifecycle: LifecycleService,
    ) -> None:
        self.core = core
        self.store = core.store
        self.config = core.config
        self.sessions = sessions
        self.auth = auth
        self.requests = requests
        self.lifecycle = lifecycle

    def search_customers(
        self, operator: Session, query: str, *, offset: int = 0, limit: int = SEARCH_LIMIT
    ) -> list[CustomerSummary]:
        """By customer number, name, street (correspondence or property) or meter serial,
        case and diacritics aside, every word of the query somewhere in them; paged."""
        problem = text_error("q", query, max_length=search.SEARCH_MAX)
        if problem is not None:
            raise ValidationFailed([problem])
        text = query.strip()
        if len(text) < 2:
            return []
        numbers = search.find(
            self.store, text, offset=max(0, offset), limit=max(1, min(limit, SEARCH_PAGE_MAX))
        )
        if not numbers:
            return []
        marks = ",".join("?" * len(numbers))
        by_number = {
            r["number"]: r
            for r in self.store.all(f"SELECT * FROM customers WHERE number IN ({marks})", numbers)
        }
        found = [by_number[n] for n in numbers if n in by_number]
        serials: dict[str, list[str]] = {}
        for r in self.store.all(
            "SELECT p.customer_number, m.serial FROM meters m JOIN properties p"
            f" ON p.id = m.property_id WHERE p.customer_number IN ({marks}) ORDER BY m.serial",
            numbers,
        ):
            serials.setdefault(r["customer_number"], []).append(r["serial"])
        return [
            CustomerSummary(
                number=r["number"],
                name=r["name"],
                address=rows.address(r).one_line(),
                status=AccountStatus(r["status"]),
                meter_serials=tuple(serials.get(r["number"], ())),
            )
            for r in found
        ]

    # --- registrations ------------------------------------------------------------------

    def pending_registrations(self, operator: Session) -> list[PendingRegistration]:
        found = []
        for r in self.store.all(
            "SELECT c.number, c.name, c.email, c.registered_at, g.full_name, g.last_invoice,"
            " g.email_on_record, (SELECT i.number FROM invoices i"
            "  WHERE i.customer_number = c.number AND i.kind <> 'interest_note'"
            "  ORDER BY i.issue_date DESC, i.number DESC LIMIT 1) AS newest"
            " FROM customers c LEFT JOIN registrations g ON g.customer_number = c.number"
            " WHERE c.status = ? ORDER BY c.registered_at",
            (AccountStatus.PENDING.value,),
        ):
            registered = parse_dt(r["registered_at"])
            found.append(
                PendingRegistration(
                    customer_number=r["number"],
                    name=r["name"],
                    email=r["email"],
                    registered_at=registered,
                    activate_by=registered + self.config.activation_ttl,
                    given_name=r["full_name"] or "",
                    given_invoice=r["last_invoice"] or "",
                    last_invoice=r["newest"] or "",
                    email_on_record=r["email_on_record"] or "",
                )
            )
        return found

    def activate_registration(self, operator: Session, customer_number: str) -> None:
        self._set_pending(
            operator, customer_number, AccountStatus.ACTIVE, AuditAction.ACTIVATE_REGISTRATION, ""
        )

    def reject_registration(self, operator: Session, customer_number: str, reason: str) -> None:
        self._require_reason(reason)
        self._set_pending(
            operator,
            customer_number,
            AccountStatus.REJECTED,
            AuditAction.REJECT_REGISTRATION,
            reason,
        )

    def _set_pending(
        self,
        operator: Session,
        number: str,
        status: AccountStatus,
        action: AuditAction,
        reason: str,
    ) -> None:
        with self.store.transaction():
            updated = self.store.execute(
                "UPDATE customers SET status = ?, status_reason = ?"
                " WHERE number = ? AND status = ?",
                (status.value, reason, number, AccountStatus.PENDING.value),
            ).rowcount
            if not updated:
                raise Conflict(code="not_pending")
            if status is AccountStatus.REJECTED:
                self.store.execute(
                    "UPDATE customers SET password_hash = NULL WHERE number = ?", (number,)
                )
            self.store.execute(
                "UPDATE tokens SET used_at = ? WHERE subject = ? AND purpose = 'activate'",
                (self.core.now().isoformat(), number),
            )
            self.store.execute("DELETE FROM registrations WHERE customer_number = ?", (number,))
            self.core.operator_audit(operator.subject, number, action, reason)

    # --- the request queue ----------------------------------------------------------------

    def request_queue(
        self, operator: Session, *, include_closed: bool = False
    ) -> list[ServiceRequest]:
        """Requests by due date, earliest first: overdue ones come first."""
        if include_closed:
            return self.requests.where("1 = 1", (), "r.due_date, r.created_at", routes=True)
        open_statuses = (
            RequestStatus.NEW.value,
            RequestStatus.IN_PROGRESS.value,
            RequestStatus.WAITING_FOR_CUSTOMER.value,
        )
        return self.requests.where(
            "r.status IN (?, ?, ?)", open_statuses, "r.due_date, r.created_at", routes=True
        )

    def reply_request(
        self, operator: Session, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest:
        if not text.strip():
            raise ValidationFailed.single("text", "required")
        if problem := text_error("text", text, max_length=10_000, multiline=True):
            raise ValidationFailed([problem])
        row = self.store.one("SELECT * FROM requests WHERE id = ?", (request_id,))
        if row is None:
            raise NotFound(code="request_not_found")
        if row["status"] in (RequestStatus.CLOSED.value, RequestStatus.REJECTED.value):
            raise Conflict(code="request_closed")
        with self.store.transaction():
            self.store.execute(
                "UPDATE requests SET status = ? WHERE id = ?", (status.value, request_id)
            )
            self.requests.add_event(
                request_id, self.core.now(), status, operator.name, text.strip()
            )
            self.core.operator_audit(
                operator.subject,
                row["customer_number"],
                AuditAction.REPLY_REQUEST,
                f"{row['number']}: {status.value}",
            )
        # in the console at once (its history); by e-mail too with the customer's consent
        self.requests.office.mail_reply(request_id, text, status)
        return self.requests.where("r.id = ?", (request_id,), "r.id", routes=True)[0]

    # --- readings waiting for import ---------------------------------------------------

    def pending_readings(self, operator: Session) -> list[PendingReading]:
        return [
            PendingReading(
                reading=rows.reading(r),
                customer_number=r["customer_number"],
                customer_name=r["customer_name"],
                meter_serial=r["serial"],
            )
            for r in self.store.all(
                "SELECT r.*, p.customer_number, c.name AS customer_name, m.serial FROM readings r"
                " JOIN meters m ON m.id = r.meter_id JOIN properties p ON p.id = m.property_id"
                " JOIN customers c ON c.number = p.customer_number WHERE r.status = ?"
                " ORDER BY r.submitted_at",
                (ReadingStatus.PENDING.value,),
            )
        ]

    def import_readings(self, operator: Session, reading_ids: list[str]) -> int:
        """Take readings into billing: from now on they cannot be edited or withdrawn."""
        return len(take_into_billing(self.core, reading_ids, operator.subject))

    # --- accounts -------------------------------------------------------------------------

    def block_account(self, operator: Session, customer_number: str, reason: str) -> None:
        self._require_reason(reason)
        with self.store.transaction():
            updated = self.store.execute(
                "UPDATE customers SET status = ?, status_reason = ?"
                " WHERE number = ? AND status = ?",
                (
                    AccountStatus.BLOCKED_BY_OPERATOR.value,
                    reason.strip(),
                    customer_number,
                    AccountStatus.ACTIVE.value,
                ),
            ).rowcount
            if not updated:
                self._missing_or_conflict(customer_number, "not_active")
            self.sessions.end_all(Role.CUSTOMER, customer_number)
            self.core.operator_audit(
                operator.subject, customer_number, AuditAction.BLOCK_ACCOUNT, reason.strip()
            )

    def unblock_account(self, operator: Session, customer_number: str, reason: str) -> None:
        self._require_reason(reason)
        with self.store.transaction():
            updated = self.store.execute(
                "UPDATE customers SET status = ?, status_reason = ? WHERE number = ?"
                " AND status IN (?, ?)",
                (
                    AccountStatus.ACTIVE.value,
                    "",
                    customer_number,
                    AccountStatus.BLOCKED_BY_OPERATOR.value,
                    AccountStatus.BLOCKED_BY_CUSTOMER.value,
                ),
            ).rowcount
            if not updated:
                self._missing_or_conflict(customer_number, "not_blocked")
            self.auth.forget_failures(f"customer:{customer_number}")
            self.core.operator_audit(
                operator.subject, customer_number, AuditAction.UNBLOCK_ACCOUNT, reason.strip()
            )

    def issue_password(self, operator: Session, customer_number: str) -> None:
        """Send the customer a single-use link to set a new password (valid as long as an
        activation's): the old password stops working and every session ends at once. No
        password is made, mailed or known to anyone, the office included."""
        row = self.store.one(
            "SELECT * FROM customers WHERE number = ? AND status = ?",
            (customer_number, AccountStatus.ACTIVE.value),
        )
        if row is None or not is_email(row["email"]):
            self._missing_or_conflict(customer_number, "not_active_or_no_email")
        assert row is not None
        with self.store.transaction():
            self.store.execute(
                "UPDATE customers SET password_hash = NULL, must_change_password = 0"
                " WHERE number = ?",
                (customer_number,),
            )
            self.sessions.end_all(Role.CUSTOMER, customer_number)
            token = self.lifecycle.issue_token("reset", customer_number, self.config.activation_ttl)
            self.core.operator_audit(
                operator.subject, customer_number, AuditAction.ISSUE_PASSWORD, ""
            )
        url = self.config.public_url
        self.core.mailer.send(row["email"], *mail_text("password_link", token=token, url=url))

    def _missing_or_conflict(self, number: str, code: str) -> None:
        if self.store.scalar("SELECT 1 FROM customers WHERE number = ?", (number,)) is None:
            raise NotFound(code="customer_not_found")
        raise Conflict(code=code)

    @staticmethod
    def _require_reason(reason: str) -> None:
        if not reason.strip():
            raise ValidationFailed([FieldError("reason", "required")])
        if problem := text_error("reason", reason, max_length=ACCOUNT_REASON_MAX, multiline=True):
            raise ValidationFailed([problem])

    # --- notices, acting for a customer, audit --------------------------------------------

    def publish_notice(self, operator: Session, draft: NoticeDraft) -> Notice:
        # no key of its own: under the server's claim of a keyed request (replays.py) the
        # notice is recorded in its transaction, so a retry after a crash never publishes twice
        scope = f"{operator.subject}:notice"
        if (done := self.core.replayed(scope, None)) is not None:
            return self._notice(done)
        errors = []
        if not draft.title.strip():
            errors.append(FieldError("title", "required"))
        if not draft.body.strip():
            errors.append(FieldError("body", "required"))
        for problem in (
            text_error("title", draft.title),
            text_error("body", draft.body, max_length=10_000, multiline=True),
            text_error("area", draft.area),
            date_error("valid_from", draft.valid_from),
            date_error("valid_to", draft.valid_to),
        ):
            if problem is not None:
                errors.append(problem)
        if draft.valid_to and draft.valid_to < draft.valid_from:
            errors.append(FieldError("valid_to", "before_start"))
        if errors:
            raise ValidationFailed(errors)
        notice_id = "N-" + secrets.token_hex(6)
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO notices (id, kind, title, body, published_at, valid_from, valid_to,"
                " area) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    notice_id,
                    draft.kind.value,
                    draft.title.strip(),
                    draft.body.strip(),
                    self.core.now().isoformat(),
                    draft.valid_from.isoformat(),
                    draft.valid_to.isoformat() if draft.valid_to else None,
                    draft.area.strip(),
                ),
            )
            self.core.remember(scope, None, notice_id)
            self.core.operator_audit(
                operator.subject, "", AuditAction.PUBLISH_NOTICE, draft.title.strip()
            )
        return self._notice(notice_id)

    def _notice(self, notice_id: str) -> Notice:
        row = self.store.one("SELECT * FROM notices WHERE id = ?", (notice_id,))
        assert row is not None
        return rows.notice(row)

    def act_for(self, operator: Session, customer_number: str) -> Session:
        """A customer session for the operator; everything done in it is audited."""
        row = self.store.one(
            "SELECT * FROM customers WHERE number = ? AND status <> ?",
            (customer_number, AccountStatus.TERMINATED.value),
        )
        if row is None:
            raise NotFound(code="customer_not_found")
        with self.store.transaction():
            session = self.sessions.create(
                Role.CUSTOMER,
                customer_number,
                row["name"],
                acting_operator=operator.subject,
                opened_by=operator.token,
            )
            self.core.operator_audit(
                operator.subject, customer_number, AuditAction.ACT_FOR, operator.name
            )
        return session

    def audit_log(
        self, operator: Session, customer_number: str | None = None, limit: int = 500
    ) -> list[AuditEntry]:
        where, params = (
            ("customer_number = ?", [customer_number]) if customer_number else ("1 = 1", [])
        )
        return [
            AuditEntry(
                id=r["id"],
                at=parse_dt(r["at"]),
                operator=r["operator"],
                customer_number=r["customer_number"],
                action=r["action"],
                detail=r["detail"],
            )
            for r in self.store.all(
                f"SELECT * FROM audit WHERE {where} ORDER BY id DESC LIMIT ?",
                [*params, max(1, min(limit, 5000))],
            )
        ]

    def overdue_requests(
        self, operator: Session, today: date | None = None
    ) -> list[ServiceRequest]:
        day = today or self.core.today()
        return [r for r in self.request_queue(operator) if r.due_date < day]


def take_into_billing(core: Core, reading_ids: list[str], by: str) -> list[str]:
    """Take the pending readings of `reading_ids` into billing (an operator's import, or the
    billing system's confirmation): from now on they cannot be edited or withdrawn. Each is
    audited as imported by `by` (an operator's login, or "system:…"), and its history says
    who took it; returns the ids it took (the others were not pending)."""
    author = SYSTEM_AUTHOR if by.startswith(SYSTEM_AUTHOR) else f"BOK: {by}"
    taken: list[str] = []
    with core.store.transaction():
        for reading_id in reading_ids:
            row = core.store.one(
                "SELECT p.customer_number, r.idx FROM readings r JOIN meters m ON m.id = r.meter_id"
                " JOIN properties p ON p.id = m.property_id WHERE r.id = ? AND r.status = ?",
                (reading_id, ReadingStatus.PENDING.value),
            )
            if row is None:
                continue
            if not core.store.execute(  # conditional: another import may have taken it
                "UPDATE readings SET status = ? WHERE id = ? AND status = ?",
                (ReadingStatus.ACCEPTED.value, reading_id, ReadingStatus.PENDING.value),
            ).rowcount:
                continue
            add_reading_event(core, reading_id, ReadingEventKind.ACCEPTED, author, index=row["idx"])
            core.operator_audit(by, row["customer_number"], AuditAction.IMPORT_READING, reading_id)
            taken.append(reading_id)
    return taken
