"""The error types every layer shares.

The portal raises them, the local backend passes them through, the server turns them
into problem+json and the HTTP backend turns that back into the same types, so a
screen handles one set of errors whichever backend is behind it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

# an error's parameters: numbers, ISO dates and names, always as text (as the wire carries
# them); a number may be given as an int
Params = dict[str, str]


def params_of(given: Mapping[str, object] | None) -> Params:
    return {str(name): str(value) for name, value in (given or {}).items()}


class IbokError(Exception):
    """Base of every expected failure. `code` is stable and machine-readable, `params` are
    its numbers, dates (ISO) and names as data: the catalogue (i18n/problems.py) words the
    two in the reader's language. `message` is only the sender's own text, shown when the
    catalogue does not know the code (an HTTP client's answer from another server)."""

    code = "error"
    status = 500

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.params: Params = params_of(params)
        super().__init__(message or self.code)
        self.message = message or self.code

    @property
    def kind(self) -> str:
        """The default code of the nearest kind in ERROR_KINDS (the code may be more
        specific: `invoice_not_found` is of the kind `not_found`)."""
        for cls in type(self).__mro__:
            code = cls.__dict__.get("code")
            if isinstance(code, str) and ERROR_KINDS.get(code) is cls:
                return code
        return IbokError.code


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
        message: str = "",
        *,
        code: str | None = None,
        params: Mapping[str, object] | None = None,
        captcha: Captcha | None = None,
        locked_until: datetime | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, code=code, params=params)
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


class TermsAcceptanceRequired(Forbidden):
    """A new version of the terms is in force and the customer has not accepted it: only
    the terms, logout and terminating the agreement are open until then (Będzin §1.5)."""

    code = "terms_acceptance_required"


class NotFound(IbokError):
    code = "not_found"
    status = 404


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field's problem: `code` is stable, `params` its numbers and dates as data (the
    catalogue words them, by `<field>.<code>` or `code`); `message` is the sender's own text,
    shown only when the catalogue does not know the code."""

    field: str
    code: str
    message: str = ""
    params: Params = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", params_of(self.params))


class ValidationFailed(IbokError):
    """Bad input; nothing was stored. Each problem names its field."""

    code = "validation_failed"
    status = 422

    def __init__(self, errors: list[FieldError], message: str = "") -> None:
        super().__init__(message or "; ".join(f"{e.field}: {e.message or e.code}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, code: str, **params: object) -> ValidationFailed:
        return cls([FieldError(field, code, params=params_of(params))])

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
        TermsAcceptanceRequired,
        NotFound,
        ValidationFailed,
        NeedsConfirmation,
        Conflict,
        RateLimited,
        Unavailable,
    )
}
