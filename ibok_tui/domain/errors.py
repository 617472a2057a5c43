"""The error types every layer shares.

The portal raises them, the local backend passes them through, the server turns them
into problem+json and the HTTP backend turns that back into the same types, so a
screen handles one set of errors whichever backend is behind it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime


class IbokError(Exception):
    """Base of every expected failure. `code` is stable and machine-readable."""

    code = "error"
    status = 500

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.__class__.__name__)
        self.message = message or self.__class__.__name__
        if code is not None:
            self.code = code


class AuthenticationRequired(IbokError):
    """No session, or the session expired: sign in again."""

    code = "authentication_required"
    status = 401


class SessionExpired(AuthenticationRequired):
    code = "session_expired"


@dataclass(frozen=True, slots=True)
class Captcha:
    """A proof-of-work challenge (domain/proof_of_work.py): the answer is a nonce such that
    sha256(challenge + nonce) starts with `difficulty` zero bits. Single-use, expiring."""

    id: str
    challenge: str
    difficulty: int


class LoginFailed(IbokError):
    """Wrong credentials. Never says whether the customer number exists."""

    code = "login_failed"
    status = 401

    def __init__(
        self,
        message: str = "Nieprawidłowy kod nabywcy lub hasło.",
        *,
        code: str | None = None,
        captcha: Captcha | None = None,
        locked_until: datetime | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.captcha = captcha
        self.locked_until = locked_until
        self.retry_after = retry_after  # seconds, for a lock or a delay (HTTP Retry-After)


class CaptchaRequired(LoginFailed):
    code = "captcha_required"


class AccountLocked(LoginFailed):
    code = "account_locked"
    status = 423


class PasswordChangeRequired(IbokError):
    """The password was generated: it must be changed before anything else."""

    code = "password_change_required"
    status = 403


class Forbidden(IbokError):
    code = "forbidden"
    status = 403


class NotFound(IbokError):
    code = "not_found"
    status = 404


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field's problem: `code` is stable, `message` is Polish text for people."""

    field: str
    code: str
    message: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)


class ValidationFailed(IbokError):
    """Bad input; nothing was stored. Each problem names its field."""

    code = "validation_failed"
    status = 422

    def __init__(self, errors: list[FieldError], message: str = "") -> None:
        super().__init__(message or "; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, code: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, code, message)])

    @property
    def fields(self) -> set[str]:
        return {e.field for e in self.errors}


class NeedsConfirmation(ValidationFailed):
    """Allowed only if the user confirms (a lower index after a meter change, a big jump)."""

    code = "needs_confirmation"


class Conflict(IbokError):
    """The state does not allow it (a reading already imported, a second one in a period)."""

    code = "conflict"
    status = 409


class RateLimited(IbokError):
    code = "rate_limited"
    status = 429


class Unavailable(IbokError):
    """The backend cannot be reached or failed; try again later."""

    code = "unavailable"
    status = 503


# Every error kind by its default code: how a problem+json `type` names its class, the
# same table for the server that writes problems and the HTTP backend that reads them.
ERROR_KINDS: dict[str, type[IbokError]] = {
    cls.code: cls
    for cls in (
        IbokError,
        AuthenticationRequired,
        SessionExpired,
        LoginFailed,
        CaptchaRequired,
        AccountLocked,
        PasswordChangeRequired,
        Forbidden,
        NotFound,
        ValidationFailed,
        NeedsConfirmation,
        Conflict,
        RateLimited,
        Unavailable,
    )
}
