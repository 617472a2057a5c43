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
    Forbidden,
    LoginFailed,
)
from ..domain.models import AccountStatus, Role, Session, Terms
from ..domain.passwords import PasswordPolicy
from .base import ServiceBase, hash_token, parse_dt
from .captcha import CAPTCHA_LENGTH, draw_captcha

if TYPE_CHECKING:
    from argon2 import PasswordHasher


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
