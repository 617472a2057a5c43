"""The one module that touches the OS keyring: the remembered password and session token.

Entries live under the service name "ibok" with user names `<profile>/<customer>/password`
and `<profile>/<customer>/token`, plus `<profile>/customer` naming whom to resume.
When no usable keyring backend exists, `available()` is False and the console does
not offer "remember me". keyring is imported on first use (start-up time).
"""

from __future__ import annotations

import contextlib
from typing import Any, NamedTuple

SERVICE = "ibok"


class Remembered(NamedTuple):  # imported before the first frame: cheaper than a dataclass
    customer: str
    password: str | None
    token: str | None


class CredentialStore:
    """Passwords and tokens of one profile in the OS keyring."""

    def __init__(self, profile: str, *, service: str = SERVICE) -> None:
        self.profile = profile
        self.service = service

    @staticmethod
    def _keyring() -> Any:
        import keyring

        return keyring

    def available(self) -> bool:
        """True when a real keyring backend (not the fail or null one) is configured."""
        try:
            backend = self._keyring().get_keyring()
        except Exception:
            return False
        return backend_usable(backend)

    def _user(self, customer: str, what: str) -> str:
        return f"{self.profile}/{customer}/{what}"

    def save(self, customer: str, password: str, token: str) -> None:
        keyring = self._keyring()
        keyring.set_password(self.service, f"{self.profile}/customer", customer)
        keyring.set_password(self.service, self._user(customer, "password"), password)
        keyring.set_password(self.service, self._user(customer, "token"), token)

    def save_token(self, customer: str, token: str) -> None:
        self._keyring().set_password(self.service, self._user(customer, "token"), token)

    def load(self) -> Remembered | None:
        """What this profile remembers, or None (also when the keyring fails)."""
        if not self.available():
            return None
        keyring = self._keyring()
        try:
            customer = keyring.get_password(self.service, f"{self.profile}/customer")
            if not customer:
                return None
            return Remembered(
                customer=customer,
                password=keyring.get_password(self.service, self._user(customer, "password")),
                token=keyring.get_password(self.service, self._user(customer, "token")),
            )
        except Exception:
            return None

    def forget_token(self, customer: str) -> None:
        self._delete(self._user(customer, "token"))

    def forget(self, customer: str) -> None:
        for user in (
            self._user(customer, "token"),
            self._user(customer, "password"),
            f"{self.profile}/customer",
        ):
            self._delete(user)

    def _delete(self, user: str) -> None:
        keyring = self._keyring()
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(self.service, user)


def backend_usable(backend: Any) -> bool:
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    name = type(backend).__module__
    return not name.startswith("keyring.backends.null")
