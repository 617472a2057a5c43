"""The account's life: passwords and their reset, registration and its activation,
blocking one's own access and terminating the e-service agreement."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ..domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from ..domain.models import AccountStatus, AuditAction, Registration, Role, Session
from ..domain.passwords import password_errors
from ..i18n.render import mail_text
from .auth import AuthService
from .base import Core, hash_token, new_token, parse_dt
from .checks import email_error, is_email, texts_errors
from .erasure import erase_personal_data
from .hashing import hash_password, verify_password
from .sessions import Sessions


class LifecycleService:
    """The account's life, from registration to termination."""

    def __init__(self, core: Core, sessions: Sessions, auth: AuthService) -> None:
        self.core = core
        self.store = core.store
        self.config = core.config
        self.sessions = sessions
        self.auth = auth

    # --- passwords ----------------------------------------------------------------------

    def change_password(self, session: Session, old_password: str, new_password: str) -> Session:
        """Change one's password; other sessions end, this one continues without the flag."""
        row = self.store.one("SELECT * FROM customers WHERE number = ?", (session.subject,))
        assert row is not None
        errors = password_errors(self.config.password_policy, new_password, "new_password")
        if not verify_password(row["password_hash"], old_password):
            errors.insert(0, FieldError("old_password", "wrong_password"))
        elif new_password == old_password:
            errors.append(FieldError("new_password", "same_as_old"))
        if errors:
            raise ValidationFailed(errors)
        new_hash = hash_password(new_password)  # never with the store's lock held
        with self.store.transaction():
            self.sessions.hold(Role.CUSTOMER, session.subject)
            self.store.execute(
                "UPDATE customers SET password_hash = ?, must_change_password = 0 WHERE number = ?",
                (new_hash, session.subject),
            )
            self.store.execute(
                "DELETE FROM sessions WHERE subject = ? AND role = ? AND token_hash <> ?",
                (session.subject, Role.CUSTOMER.value, hash_token(session.token)),
            )
            self.store.execute(
                "UPDATE sessions SET must_change_password = 0 WHERE token_hash = ?",
                (hash_token(session.token),),
            )
            self.core.audit(session, AuditAction.CHANGE_PASSWORD)
        return replace(session, must_change_password=False)

    def request_password_reset(self, customer_number: str, email: str) -> None:
        """Sends a single-use link when the number and e-mail match; says nothing either way,
        not even by its duration: both ways read the same, store a token (one nobody ever
        holds when nothing matched) and compose the mail; only its sending differs, and a
        server hands that to the background."""
        errors = texts_errors([("customer_number", customer_number)])
        if email.strip() and (problem := email_error("email", email)) is not None:
            errors.append(problem)
        if errors:
            raise ValidationFailed(errors)
        row = self.store.one(
            "SELECT * FROM customers WHERE number = ? AND lower(email) = lower(?) AND status = ?",
            (customer_number.strip(), email.strip(), AccountStatus.ACTIVE.value),
        )
        token = self.issue_token(
            "reset" if row is not None else "reset-decoy",
            row["number"] if row is not None else "",
            self.config.reset_ttl,
        )
        mail = (
            row["email"] if row is not None else "",
            *mail_text("password_reset", token=token, url=self.config.public_url),
        )
        # a stored address no mail server would take (imported so) gets no mail either; it is
        # checked both ways, so the check takes its time whether or not anything matched
        sendable = is_email(row["email"] if row is not None else email)
        if row is not None and sendable:
            self.core.mailer.send(*mail)

    def reset_password(self, reset_token: str, new_password: str) -> None:
        errors = password_errors(self.config.password_policy, new_password, "new_password")
        if errors:
            raise ValidationFailed(errors)
        new_hash = hash_password(new_password)  # never with the store's lock held
        with self.store.transaction():
            number = self._use_token("reset", reset_token)
            self.store.execute(
                "UPDATE customers SET password_hash = ?, must_change_password = 0 WHERE number = ?",
                (new_hash, number),
            )
            self.sessions.end_all(Role.CUSTOMER, number)
            self.auth.forget_failures(f"customer:{number}")

    def issue_token(self, purpose: str, subject: str, ttl: timedelta) -> str:
        token = new_token()
        with self.store.transaction():
            self.store.execute(
                "DELETE FROM tokens WHERE purpose = 'reset-decoy' AND expires_at < ?",
                (self.core.now().isoformat(),),
            )
            self.store.execute(
                "INSERT INTO tokens (token_hash, purpose, subject, expires_at) VALUES (?, ?, ?, ?)",
                (hash_token(token), purpose, subject, (self.core.now() + ttl).isoformat()),
            )
        return token

    def _use_token(self, purpose: str, token: str) -> str:
        """Spend a single-use token (inside the caller's transaction); returns its subject."""
        row = self.store.one(
            "SELECT * FROM tokens WHERE token_hash = ? AND purpose = ?",
            (hash_token(token.strip()), purpose),
        )
        if (
            row is None
            or row["used_at"] is not None
            or parse_dt(row["expires_at"]) <= self.core.now()
        ):
            raise ValidationFailed([FieldError("token", "invalid_token")])
        spent = self.store.execute(  # conditional: of two uses at once, one spends it
            "UPDATE tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            (self.core.now().isoformat(), row["token_hash"]),
        ).rowcount
        if spent != 1:
            raise ValidationFailed([FieldError("token", "invalid_token")])
        return str(row["subject"])

    # --- registration -------------------------------------------------------------------

    def register(self, form: Registration) -> None:
        """Create a pending account; an operator activates it, or the e-mail link does."""
        errors: list[FieldError] = []
        required = {
            "customer_number": form.customer_number,
            "last_invoice_number": form.last_invoice_number,
            "full_name": form.full_name,
            "email": form.email,
        }
        for name, value in required.items():
            if not value.strip():
                errors.append(FieldError(name, "required"))
        errors += texts_errors((k, v) for k, v in required.items() if k != "email")
        if form.email.strip() and (problem := email_error("email", form.email)) is not None:
            errors.append(problem)
        errors += password_errors(self.config.password_policy, form.password, "password")
        if form.password != form.password_repeat:
            errors.append(FieldError("password_repeat", "mismatch"))
        terms = self.auth.terms()
        if not form.terms_accepted or form.terms_version != terms.version:
            errors.append(FieldError("terms_accepted", "terms_required"))
        with self.store.transaction():
            if not self.auth.solve_captcha(form.captcha_id, form.captcha_answer):
                errors.append(
                    FieldError(
                        "captcha_answer",
                        "wrong_captcha",
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        number = form.customer_number.strip()
        row = self.store.one(
            "SELECT c.* FROM customers c WHERE c.number = ? AND c.status IN (?, ?, ?) AND EXISTS"
            " (SELECT 1 FROM invoices i WHERE i.customer_number = c.number AND i.number = ?"
            "  AND i.issue_date = (SELECT max(issue_date) FROM invoices"
            "   WHERE customer_number = c.number AND kind <> 'interest_note'))",
            (
                number,
                AccountStatus.UNREGISTERED.value,
                AccountStatus.REJECTED.value,
                AccountStatus.TERMINATED.value,  # the agreement can be concluded again
                form.last_invoice_number.strip(),
            ),
        )
        if row is None:
            # the same words whether the number is unknown, taken or the invoice does not match
            raise ValidationFailed(
                [
                    FieldError(
                        "last_invoice_number",
                        "no_match",
                    )
                ]
            )
        new_hash = hash_password(form.password)  # never with the store's lock held
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO registrations (customer_number, full_name, email, last_invoice,"
                " email_on_record, registered_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (customer_number) DO UPDATE SET full_name = excluded.full_name,"
                " email = excluded.email, last_invoice = excluded.last_invoice,"
                " email_on_record = excluded.email_on_record,"
                " registered_at = excluded.registered_at",
                (
                    number,
                    form.full_name.strip(),
                    form.email.strip(),
                    form.last_invoice_number.strip(),
                    row["email"],
                    self.core.now().isoformat(),
                ),
            )
            self.store.execute(
                "UPDATE customers SET status = ?, password_hash = ?, email = ?,"
                " registered_at = ?, terms_version = ?, must_change_password = 0 WHERE number = ?",
                (
                    AccountStatus.PENDING.value,
                    new_hash,
                    form.email.strip(),
                    self.core.now().isoformat(),
                    terms.version,
                    number,
                ),
            )
        token = self.issue_token("activate", number, self.config.activation_ttl)
        self.core.mailer.send(
            form.email.strip(),
            *mail_text("registration", token=token, url=self.config.public_url),
        )

    def confirm_registration(self, activation_token: str) -> None:
        with self.store.transaction():
            number = self._use_token("activate", activation_token)
            updated = self.store.execute(
                "UPDATE customers SET status = ? WHERE number = ? AND status = ?",
                (AccountStatus.ACTIVE.value, number, AccountStatus.PENDING.value),
            ).rowcount
            if not updated:
                raise Conflict(code="not_pending")
            self.store.execute("DELETE FROM registrations WHERE customer_number = ?", (number,))

    # --- blocking and terminating -----------------------------------------------------

    def block_access(self, session: Session, password: str) -> None:
        """Zastrzeżenie: the customer blocks their own account; only the BOK unblocks it."""
        self._require_password(session.subject, password)
        with self.store.transaction():
            self.store.execute(
                "UPDATE customers SET status = ?, status_reason = ? WHERE number = ?",
                (
                    AccountStatus.BLOCKED_BY_CUSTOMER.value,
                    "zastrzeżenie przez klienta",
                    session.subject,
                ),
            )
            self.sessions.end_all(Role.CUSTOMER, session.subject)
            self.core.audit(session, AuditAction.BLOCK_ACCESS)

    def terminate(self, session: Session, password: str) -> None:
        """End the e-service agreement: the account and its personal data go; billing stays."""
        self._require_password(session.subject, password)
        with self.store.transaction():
            erase_personal_data(self.sessions, session.subject, AccountStatus.TERMINATED)
            self.core.audit(session, AuditAction.TERMINATE)

    def _require_password(self, number: str, password: str) -> None:
        row = self.store.one("SELECT password_hash FROM customers WHERE number = ?", (number,))
        if row is None:
            raise NotFound(code="account_not_found")
        if not verify_password(row["password_hash"], password):
            raise ValidationFailed([FieldError("password", "wrong_password")])
