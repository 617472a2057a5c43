"""Authentication: hashing, sessions, captcha, lockout, registration, password reset,
blocking one's own access and terminating the e-service agreement."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from ..domain.errors import (
    AccountLocked,
    Captcha,
    CaptchaRequired,
    Conflict,
    FieldError,
    Forbidden,
    LoginFailed,
    NotFound,
    ValidationFailed,
)
from ..domain.models import AccountStatus, Registration, Role, Session, Terms
from ..domain.passwords import PasswordPolicy, password_errors
from .base import ServiceBase, hash_token, new_token, parse_dt

if TYPE_CHECKING:
    from argon2 import PasswordHasher

# A 3x5 digit font for the captcha, drawn with full blocks.
_DIGITS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", " ██", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", " █ ", " █ ", " █ "),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
}
CAPTCHA_LENGTH = 5


def draw_captcha(answer: str) -> str:
    """Text art of the digits, each a little raised or lowered, so a glance reads it."""
    rng = secrets.SystemRandom()
    offsets = [rng.randint(0, 1) for _ in answer]
    rows = []
    for line in range(6):
        parts = []
        for digit, offset in zip(answer, offsets, strict=True):
            glyph_row = line - offset
            parts.append(_DIGITS[digit][glyph_row] if 0 <= glyph_row < 5 else "   ")
        rows.append("  ".join(parts))
    return "\n".join(rows)


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        # an unknown account is checked against a dummy hash: the same time either way
        return hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


class AuthMixin(ServiceBase):
    # --- public information -----------------------------------------------------------

    def password_policy(self) -> PasswordPolicy:
        return self.config.password_policy

    def terms(self) -> Terms:
        from .rows import parse_date

        data = self._setting("terms")
        effective = parse_date(data["effective_from"])
        assert effective is not None
        return Terms(version=data["version"], effective_from=effective, text=data["text"])

    def new_captcha(self) -> Captcha:
        with self.store.transaction():
            self.store.execute(
                "DELETE FROM captchas WHERE expires_at < ?", (self.now().isoformat(),)
            )
            return self._captcha_in_transaction()

    def _solve_captcha(self, captcha_id: str | None, answer: str | None) -> bool:
        """True when the answer is right. A captcha is single-use either way."""
        if not captcha_id:
            return False
        row = self.store.one("SELECT * FROM captchas WHERE id = ?", (captcha_id,))
        if row is None:
            return False
        self.store.execute("DELETE FROM captchas WHERE id = ?", (captcha_id,))
        fresh = parse_dt(row["expires_at"]) > self.now()
        return fresh and (answer or "").strip() == row["answer"]

    # --- signing in ---------------------------------------------------------------------

    def login(
        self,
        customer_number: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        remember: bool = False,
    ) -> Session:
        number = customer_number.strip()
        row = self.store.one("SELECT * FROM customers WHERE number = ?", (number,))
        usable = row is not None and row["status"] not in (
            AccountStatus.UNREGISTERED,
            AccountStatus.TERMINATED,
            AccountStatus.REJECTED,
        )
        self._check_credentials(
            f"customer:{number}",
            row["password_hash"] if usable and row is not None else None,
            password,
            captcha_id,
            captcha_answer,
        )
        assert row is not None
        status = AccountStatus(row["status"])
        if status is AccountStatus.PENDING:
            raise Forbidden(
                "Konto czeka na aktywację: użyj linku z e-maila lub poczekaj na BOK.",
                code="account_pending",
            )
        if status in (AccountStatus.BLOCKED_BY_CUSTOMER, AccountStatus.BLOCKED_BY_OPERATOR):
            raise Forbidden(
                "Dostęp do konta jest zablokowany. Skontaktuj się z Biurem Obsługi Klienta.",
                code="account_blocked",
            )
        with self.store.transaction():
            return self._create_session(
                Role.CUSTOMER,
                number,
                row["name"],
                remember=remember,
                must_change_password=bool(row["must_change_password"]),
            )

    def operator_login(
        self,
        login: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
    ) -> Session:
        row = self.store.one("SELECT * FROM operators WHERE login = ?", (login.strip(),))
        self._check_credentials(
            f"operator:{login.strip()}",
            row["password_hash"] if row is not None else None,
            password,
            captcha_id,
            captcha_answer,
        )
        assert row is not None
        with self.store.transaction():
            return self._create_session(Role.OPERATOR, row["login"], row["name"])

    def _check_credentials(
        self,
        subject: str,
        password_hash: str | None,
        password: str,
        captcha_id: str | None,
        captcha_answer: str | None,
    ) -> None:
        """Apply captcha and lockout the same way whether or not the subject exists."""
        now = self.now()
        error: LoginFailed | None = None
        # the error is raised after the commit: captchas issued and failures counted stay
        with self.store.transaction():
            error = self._credential_error(
                subject, password_hash, password, captcha_id, captcha_answer, now
            )
        if error is not None:
            raise error

    def _credential_error(
        self,
        subject: str,
        password_hash: str | None,
        password: str,
        captcha_id: str | None,
        captcha_answer: str | None,
        now: datetime,
    ) -> LoginFailed | None:
        state = self.store.one("SELECT * FROM login_failures WHERE subject = ?", (subject,))
        failures = state["failures"] if state else 0
        locked_until = parse_dt(state["locked_until"]) if state and state["locked_until"] else None
        if locked_until and locked_until > now:
            return AccountLocked(
                "Zbyt wiele nieudanych prób. Konto jest czasowo zablokowane.",
                locked_until=locked_until,
            )
        if failures >= self.config.captcha_after and not self._solve_captcha(
            captcha_id, captcha_answer
        ):
            return CaptchaRequired(
                "Przepisz kod z obrazka, aby się zalogować.",
                captcha=self._captcha_in_transaction(),
            )
        if verify_password(password_hash, password):
            self.store.execute("DELETE FROM login_failures WHERE subject = ?", (subject,))
            return None
        failures += 1
        lock: datetime | None = None
        if failures >= self.config.lock_after:
            lock = now + self.config.lock_for
        self.store.execute(
            "INSERT INTO login_failures (subject, failures, locked_until) VALUES (?, ?, ?)"
            " ON CONFLICT(subject) DO UPDATE SET failures = excluded.failures,"
            " locked_until = excluded.locked_until",
            # after a lock the count goes on: the next failure locks again at once
            (subject, failures, lock.isoformat() if lock else None),
        )
        if lock:
            return AccountLocked(
                "Zbyt wiele nieudanych prób. Konto jest czasowo zablokowane.", locked_until=lock
            )
        if failures >= self.config.captcha_after:
            return CaptchaRequired(
                "Nieprawidłowy kod nabywcy lub hasło. Przepisz też kod z obrazka.",
                captcha=self._captcha_in_transaction(),
            )
        return LoginFailed()

    def _captcha_in_transaction(self) -> Captcha:
        answer = "".join(secrets.choice("23456789") for _ in range(CAPTCHA_LENGTH))
        captcha = Captcha(id=secrets.token_urlsafe(12), art=draw_captcha(answer))
        self.store.execute(
            "INSERT INTO captchas (id, answer, expires_at) VALUES (?, ?, ?)",
            (captcha.id, answer, (self.now() + self.config.captcha_ttl).isoformat()),
        )
        return captcha

    def logout(self, token: str) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM sessions WHERE token_hash = ?", (hash_token(token),))

    # --- passwords ----------------------------------------------------------------------

    def change_password(self, token: str, old_password: str, new_password: str) -> Session:
        """Change one's password; other sessions end, this one continues without the flag."""
        session = self._customer(token, allow_password_change=True)
        row = self.store.one("SELECT * FROM customers WHERE number = ?", (session.subject,))
        assert row is not None
        errors = password_errors(self.config.password_policy, new_password, "new_password")
        if not verify_password(row["password_hash"], old_password):
            errors.insert(
                0, FieldError("old_password", "wrong_password", "Obecne hasło jest nieprawidłowe.")
            )
        elif new_password == old_password:
            errors.append(
                FieldError("new_password", "same_as_old", "Nowe hasło musi różnić się od obecnego.")
            )
        if errors:
            raise ValidationFailed(errors)
        with self.store.transaction():
            self.store.execute(
                "UPDATE customers SET password_hash = ?, must_change_password = 0 WHERE number = ?",
                (hash_password(new_password), session.subject),
            )
            self.store.execute(
                "DELETE FROM sessions WHERE subject = ? AND role = ? AND token_hash <> ?",
                (session.subject, Role.CUSTOMER.value, hash_token(token)),
            )
            self.store.execute(
                "UPDATE sessions SET must_change_password = 0 WHERE token_hash = ?",
                (hash_token(token),),
            )
            self._audit(session, "change_password")
        return self._session(token)

    def request_password_reset(self, customer_number: str, email: str) -> None:
        """Sends a single-use link when the number and e-mail match; says nothing either way."""
        row = self.store.one(
            "SELECT * FROM customers WHERE number = ? AND lower(email) = lower(?) AND status = ?",
            (customer_number.strip(), email.strip(), AccountStatus.ACTIVE.value),
        )
        if row is None:
            return
        token = self._issue_token("reset", row["number"], self.config.reset_ttl)
        self.mailer.send(
            row["email"],
            "iBOK: ustawienie nowego hasła",
            "Otrzymaliśmy prośbę o ustawienie nowego hasła do iBOK.\n\n"
            f"Kod jednorazowy: {token}\n"
            f"Link: {self.config.public_url}/reset?token={token}\n\n"
            "Kod jest ważny przez godzinę i można go użyć tylko raz. Jeśli to nie Ty, "
            "zignoruj tę wiadomość.",
        )

    def reset_password(self, reset_token: str, new_password: str) -> None:
        errors = password_errors(self.config.password_policy, new_password, "new_password")
        if errors:
            raise ValidationFailed(errors)
        with self.store.transaction():
            number = self._use_token("reset", reset_token)
            self.store.execute(
                "UPDATE customers SET password_hash = ?, must_change_password = 0 WHERE number = ?",
                (hash_password(new_password), number),
            )
            self.store.execute("DELETE FROM sessions WHERE subject = ?", (number,))
            self.store.execute(
                "DELETE FROM login_failures WHERE subject = ?", (f"customer:{number}",)
            )

    def _issue_token(self, purpose: str, subject: str, ttl: object) -> str:
        from datetime import timedelta

        assert isinstance(ttl, timedelta)
        token = new_token()
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO tokens (token_hash, purpose, subject, expires_at) VALUES (?, ?, ?, ?)",
                (hash_token(token), purpose, subject, (self.now() + ttl).isoformat()),
            )
        return token

    def _use_token(self, purpose: str, token: str) -> str:
        """Spend a single-use token (inside the caller's transaction); returns its subject."""
        row = self.store.one(
            "SELECT * FROM tokens WHERE token_hash = ? AND purpose = ?",
            (hash_token(token.strip()), purpose),
        )
        if row is None or row["used_at"] is not None or parse_dt(row["expires_at"]) <= self.now():
            raise ValidationFailed(
                [
                    FieldError(
                        "token", "invalid_token", "Kod jest nieprawidłowy, wygasł lub został użyty."
                    )
                ]
            )
        self.store.execute(
            "UPDATE tokens SET used_at = ? WHERE token_hash = ?",
            (self.now().isoformat(), row["token_hash"]),
        )
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
                errors.append(FieldError(name, "required", "To pole jest wymagane."))
        if form.email.strip() and not _looks_like_email(form.email):
            errors.append(FieldError("email", "invalid_email", "Podaj poprawny adres e-mail."))
        errors += password_errors(self.config.password_policy, form.password, "password")
        if form.password != form.password_repeat:
            errors.append(
                FieldError(
                    "password_repeat", "mismatch", "Hasła w obu polach muszą być takie same."
                )
            )
        terms = self.terms()
        if not form.terms_accepted or form.terms_version != terms.version:
            errors.append(
                FieldError(
                    "terms_accepted", "terms_required", "Zaakceptuj aktualny regulamin iBOK."
                )
            )
        with self.store.transaction():
            if not self._solve_captcha(form.captcha_id, form.captcha_answer):
                errors.append(
                    FieldError(
                        "captcha_answer", "wrong_captcha", "Kod z obrazka jest nieprawidłowy."
                    )
                )
        if errors:
            raise ValidationFailed(errors)
        number = form.customer_number.strip()
        row = self.store.one(
            "SELECT c.* FROM customers c WHERE c.number = ? AND c.status IN (?, ?) AND EXISTS"
            " (SELECT 1 FROM invoices i WHERE i.customer_number = c.number AND i.number = ?"
            "  AND i.issue_date = (SELECT max(issue_date) FROM invoices"
            "   WHERE customer_number = c.number AND kind <> 'interest_note'))",
            (
                number,
                AccountStatus.UNREGISTERED.value,
                AccountStatus.REJECTED.value,
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
                        "Podane dane nie zgadzają się z naszą ewidencją albo konto już istnieje.",
                    )
                ]
            )
        with self.store.transaction():
            self.store.execute(
                "UPDATE customers SET status = ?, password_hash = ?, email = ?,"
                " registered_at = ?, terms_version = ?, must_change_password = 0 WHERE number = ?",
                (
                    AccountStatus.PENDING.value,
                    hash_password(form.password),
                    form.email.strip(),
                    self.now().isoformat(),
                    terms.version,
                    number,
                ),
            )
        token = self._issue_token("activate", number, self.config.activation_ttl)
        self.mailer.send(
            form.email.strip(),
            "iBOK: potwierdź rejestrację konta",
            "Dziękujemy za rejestrację w iBOK.\n\n"
            f"Kod aktywacyjny: {token}\n"
            f"Link: {self.config.public_url}/activate?token={token}\n\n"
            "Kod jest ważny 72 godziny. Konto może też aktywować Biuro Obsługi Klienta.",
        )

    def confirm_registration(self, activation_token: str) -> None:
        with self.store.transaction():
            number = self._use_token("activate", activation_token)
            updated = self.store.execute(
                "UPDATE customers SET status = ? WHERE number = ? AND status = ?",
                (AccountStatus.ACTIVE.value, number, AccountStatus.PENDING.value),
            ).rowcount
            if not updated:
                raise Conflict("Konto nie czeka na aktywację.")

    # --- blocking and terminating -----------------------------------------------------

    def block_access(self, token: str, password: str) -> None:
        """Zastrzeżenie: the customer blocks their own account; only the BOK unblocks it."""
        session = self._customer(token)
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
            self.store.execute("DELETE FROM sessions WHERE subject = ?", (session.subject,))
            self._audit(session, "block_access")

    def terminate(self, token: str, password: str) -> None:
        """End the e-service agreement: the account and its personal data go; billing stays."""
        session = self._customer(token)
        self._require_password(session.subject, password)
        with self.store.transaction():
            self.store.execute(
                "UPDATE customers SET status = ?, password_hash = NULL, email = '', phone = '',"
                " e_invoice = 0, e_invoice_email = '', notify_email = 0, notify_sms = 0,"
                " marketing = 0, must_change_password = 0, terms_version = NULL WHERE number = ?",
                (AccountStatus.TERMINATED.value, session.subject),
            )
            self.store.execute("DELETE FROM sessions WHERE subject = ?", (session.subject,))
            self.store.execute("DELETE FROM tokens WHERE subject = ?", (session.subject,))
            self._audit(session, "terminate")

    def _require_password(self, number: str, password: str) -> None:
        row = self.store.one("SELECT password_hash FROM customers WHERE number = ?", (number,))
        if row is None:
            raise NotFound("Nie znaleziono konta.")
        if not verify_password(row["password_hash"], password):
            raise ValidationFailed(
                [FieldError("password", "wrong_password", "Hasło jest nieprawidłowe.")]
            )


def _looks_like_email(value: str) -> bool:
    local, _, domain = value.strip().partition("@")
    return bool(local) and "." in domain and " " not in value.strip() and not domain.startswith(".")
