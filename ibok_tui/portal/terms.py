"""The e-service terms' life cycle: the utility publishes a version (text, version,
effective day, what changed), customers with consent to e-mail notices are told
(Krapkowice §10.3); from its effective day a customer must accept it before anything else
(Będzin §1.5; using the iBOK after a change means accepting it, §10.2), or may terminate the
agreement instead (Będzin §8.3). Every version is kept; one dated in the future does not
apply yet. The acceptance is recorded with its version and time, and in the audit log."""

from __future__ import annotations

from datetime import date

from ..domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from ..domain.models import (
    AccountStatus,
    AuditAction,
    Session,
    Terms,
    TermsDraft,
    TermsPublished,
    TermsStatus,
)
from ..i18n import day
from ..i18n.render import mail_text
from .base import Core, parse_dt
from .checks import date_error, is_email, text_error
from .store import Row

VERSION_MAX = 50
CHANGES_MAX = 5_000
TEXT_MAX = 100_000  # characters: the longest regulations seen are about a third of it

# the version in force on a day (its one parameter): the newest effective day not after it
IN_FORCE_VERSION = (
    "SELECT version FROM terms_versions WHERE effective_from <= ?"
    " ORDER BY effective_from DESC, published_at DESC LIMIT 1"
)
_IN_FORCE = IN_FORCE_VERSION.replace("SELECT version", "SELECT *", 1)


def version_due(accepted: str | None, in_force: str | None) -> str | None:
    """The version in force if the customer accepted another (or none), else None; None
    too when no version is kept at all. The session's lookup reads both (sessions.py)."""
    if in_force is None or accepted == in_force:
        return None
    return in_force


def _terms(row: Row) -> Terms:
    return Terms(
        version=row["version"],
        effective_from=date.fromisoformat(row["effective_from"]),
        text=row["text"],
        changes=row["changes"],
        published_at=parse_dt(row["published_at"]),
    )


class TermsService:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store

    # --- public ---------------------------------------------------------------------------

    def in_force(self) -> Terms:
        """The version that applies today (the newest whose effective day has come)."""
        row = self.store.one(_IN_FORCE, (self.core.today().isoformat(),))
        if row is None:
            raise NotFound(code="setting_missing", params={"key": "terms"})
        return _terms(row)

    def versions(self) -> list[Terms]:
        """Every version published, the latest effective first (future ones included)."""
        return [
            _terms(r)
            for r in self.store.all(
                "SELECT * FROM terms_versions ORDER BY effective_from DESC, published_at DESC"
            )
        ]

    # --- the customer ---------------------------------------------------------------------

    def status(self, session: Session) -> TermsStatus:
        in_force = self.in_force()
        row = self.store.one(
            "SELECT terms_version, registered_at FROM customers WHERE number = ?",
            (session.subject,),
        )
        accepted = row["terms_version"] if row is not None else None
        at = self.store.scalar(
            "SELECT accepted_at FROM terms_acceptances WHERE customer_number = ? AND version = ?",
            (session.subject, accepted),
        )
        if at is None and accepted is not None and row is not None and row["registered_at"]:
            at = row["registered_at"]  # accepted at registration
        return TermsStatus(
            in_force=in_force,
            accepted_version=accepted,
            accepted_at=parse_dt(at) if at else None,
            must_accept=accepted != in_force.version,
        )

    def accept(self, session: Session, version: str) -> TermsStatus:
        """The customer accepts the version in force (only that one: a version shown
        before another came into force is refused, so nobody accepts what they did not
        read). An operator acting for the customer cannot accept for them."""
        if session.acting_operator is not None:
            raise Forbidden(code="terms_customer_only")
        in_force = self.in_force()
        if version.strip() != in_force.version:
            raise Conflict(code="terms_not_current", params={"version": in_force.version})
        now = self.core.now().isoformat()
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO terms_acceptances (customer_number, version, accepted_at)"
                " VALUES (?, ?, ?) ON CONFLICT (customer_number, version) DO NOTHING",
                (session.subject, in_force.version, now),
            )
            updated = self.store.execute(
                "UPDATE customers SET terms_version = ? WHERE number = ?"
                " AND (terms_version IS NULL OR terms_version <> ?)",
                (in_force.version, session.subject, in_force.version),
            ).rowcount
            if updated:
                self.core.operator_audit(
                    "", session.subject, AuditAction.ACCEPT_TERMS, in_force.version
                )
        return self.status(session)

    # --- the utility ----------------------------------------------------------------------

    def publish(self, operator: Session, draft: TermsDraft) -> TermsPublished:
        """A new version: kept beside the others, in force from its effective day (today
        or later), and told by e-mail to every active customer who consented to notices."""
        errors = self._draft_errors(draft)
        if errors:
            raise ValidationFailed(errors)
        version = draft.version.strip()
        with self.store.transaction():
            inserted = self.store.execute(
                "INSERT INTO terms_versions (version, effective_from, text, changes,"
                " published_at, published_by) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (version) DO NOTHING",
                (
                    version,
                    draft.effective_from.isoformat(),
                    draft.text.strip(),
                    draft.changes.strip(),
                    self.core.now().isoformat(),
                    operator.subject,
                ),
            ).rowcount
            if not inserted:
                raise Conflict(code="terms_version_exists", params={"version": version})
            self.core.operator_audit(operator.subject, "", AuditAction.PUBLISH_TERMS, version)
        row = self.store.one("SELECT * FROM terms_versions WHERE version = ?", (version,))
        assert row is not None
        terms = _terms(row)
        return TermsPublished(terms=terms, notified=self._notify(terms))

    def _draft_errors(self, draft: TermsDraft) -> list[FieldError]:
        errors = [
            FieldError(name, "required")
            for name, value in (("version", draft.version), ("text", draft.text))
            if not value.strip()
        ]
        for problem in (
            text_error("version", draft.version, max_length=VERSION_MAX),
            text_error("text", draft.text, max_length=TEXT_MAX, multiline=True),
            text_error("changes", draft.changes, max_length=CHANGES_MAX, multiline=True),
            date_error("effective_from", draft.effective_from),
        ):
            if problem is not None:
                errors.append(problem)
        today = self.core.today()
        if draft.effective_from < today:
            # a change takes effect when published at the earliest (Będzin §10.2)
            errors.append(
                FieldError("effective_from", "in_the_past", params={"today": today.isoformat()})
            )
        return errors

    def _notify(self, terms: Terms) -> int:
        """Mail the customers who consented to e-mail notices (Krapkowice §10.3); once per
        version, as a version is published once."""
        recipients = [
            r["email"]
            for r in self.store.all(
                "SELECT email FROM customers WHERE status = ? AND notify_email = 1 ORDER BY number",
                (AccountStatus.ACTIVE.value,),
            )
            if is_email(r["email"])
        ]
        subject, body = mail_text(
            "terms_published",
            version=terms.version,
            effective_from=day(terms.effective_from, language="pl"),
            changes=terms.changes or "-",
            url=self.core.config.public_url,
        )
        for address in recipients:
            self.core.mailer.send(address, subject, body)
        return len(recipients)
