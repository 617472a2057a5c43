"""Open a signed-in `Backend` from a command's arguments, as the console would.

`--demo`, `--server URL` or `--profile NAME` choose the iBOK (a profile gives its server
or the demo, its customer and its CA file); `--customer NUMBER` (or the profile's, or the
keyring's) whom to sign in as. The password never comes from an argument: it is read from
stdin (`--password-stdin`, one line) or `IBOK_PASSWORD`; without either, the session and
password the console remembered in the keyring (credentials.py) are used, the token
first. A session opened with a given password is closed at the end; one resumed from the
keyring stays (its new token is saved, as the console saves it).

Used by every command and by `ibok outbox` (keep `add_connection_options` and
`signed_in` as they are).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from ..i18n import _
from .exits import UsageError

if TYPE_CHECKING:
    from ..backends.base import Backend
    from ..config import Config, ProfileConfig
    from ..credentials import CredentialStore
    from ..domain.models import Session

PASSWORD_ENV = "IBOK_PASSWORD"
MAX_PASSWORD = 1024  # a line read from stdin longer than any password is refused


def fixed_clock_from_env() -> Callable[[], datetime] | None:
    """IBOK_CLOCK=2026-11-21T10:00:00+01:00 pins the clock (for screenshots and tests)."""
    value = os.environ.get("IBOK_CLOCK")
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return lambda: moment


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """The options every command takes. Their defaults are suppressed, so that the same
    option given before the command (`ibok --demo invoices`) stands."""
    keep = argparse.SUPPRESS
    group = parser.add_argument_group(_("połączenie"))
    group.add_argument(
        "--demo", action="store_true", default=keep, help=_("dane demonstracyjne, bez serwera")
    )
    group.add_argument("--server", metavar="URL", default=keep, help=_("adres serwera iBOK"))
    group.add_argument(
        "--profile", metavar="NAZWA", default=keep, help=_("zapisany profil (ibok profile list)")
    )
    group.add_argument(
        "--data-dir",
        type=Path,
        default=keep,
        help=_("katalog danych (domyślnie katalog użytkownika)"),
    )
    group.add_argument(
        "--customer", metavar="KOD", default=keep, help=_("kod nabywcy (domyślnie z profilu)")
    )
    group.add_argument(
        "--password-stdin",
        action="store_true",
        default=keep,
        help=_("hasło z pierwszego wiersza wejścia (albo zmienna IBOK_PASSWORD)"),
    )


class Target(NamedTuple):
    """The iBOK a command talks to and whom as."""

    profile: ProfileConfig
    config: Config
    demo: bool
    server: str
    customer: str
    data_dir: Path | None


def target_of(args: argparse.Namespace) -> Target:
    """The profile, server and customer the arguments name (UsageError when they cannot)."""
    from .. import config as cfg
    from ..i18n import set_language

    try:
        current = cfg.load()
    except cfg.ConfigError as error:
        raise UsageError(str(error)) from None
    set_language(current.settings.language)
    demo = bool(getattr(args, "demo", False))
    server = getattr(args, "server", None) or ""
    name = getattr(args, "profile", None)
    if name:
        chosen = current.profiles.get(name)
        if chosen is None:
            raise UsageError(_("nie ma profilu {name} (ibok profile list)", name=repr(name)))
        if not demo and not server:
            demo, server = chosen.demo, chosen.server
    else:
        label = "demo" if demo else (server or cfg.DEFAULT_PROFILE)
        chosen = cfg.ProfileConfig(name=label, demo=demo, server=server)
    if not demo and not server:
        raise UsageError(_("Podaj --demo, --server URL albo --profile NAZWA."))
    customer = getattr(args, "customer", None) or chosen.customer
    return Target(chosen, current, demo, server, customer, getattr(args, "data_dir", None))


def given_password(
    args: argparse.Namespace, stdin: IO[str] | None = None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The password from stdin (--password-stdin) or IBOK_PASSWORD, or None."""
    if getattr(args, "password_stdin", False):
        line = (stdin or sys.stdin).readline(MAX_PASSWORD + 2)
        password = line.removesuffix("\n").removesuffix("\r")
        if not password or len(password) > MAX_PASSWORD:
            raise UsageError(_("--password-stdin: podaj hasło w pierwszym wierszu wejścia."))
        return password
    value = (os.environ if environ is None else environ).get(PASSWORD_ENV)
    return value or None


def open_backend(target: Target) -> Backend:
    """The backend for the target, not yet signed in."""
    if target.demo:
        from ..backends.local import LocalBackend

        return LocalBackend.demo(target.data_dir, fixed_clock_from_env())
    from ..backends.http import HttpBackend

    return HttpBackend(target.server, ca_file=target.profile.ca_file or None)


async def login(backend: Backend, customer: str, password: str) -> Session:
    """Sign in; a captcha asked for is solved (a proof of work) and the sign-in sent again,
    at most twice, as the login screen does."""
    from ..domain.errors import CaptchaRequired
    from ..domain.proof_of_work import UnsolvableChallenge, solve

    captcha_id = answer = None
    for attempt in range(3):
        try:
            return await backend.login(
                customer, password, captcha_id=captcha_id, captcha_answer=answer
            )
        except CaptchaRequired as error:
            if error.captcha is None or attempt == 2:
                raise
            captcha = error.captcha
            try:
                answer = await asyncio.to_thread(solve, captcha.challenge, captcha.difficulty)
            except UnsolvableChallenge:
                raise error from None
            captcha_id = captcha.id
    raise AssertionError("unreachable")


async def _from_keyring(
    backend: Backend, store: CredentialStore | None, customer: str
) -> tuple[Session, bool]:
    """The remembered session (resumed) or password (signed in, the token saved)."""
    from ..domain.errors import AuthenticationRequired

    remembered = await asyncio.to_thread(store.load) if store is not None else None
    if remembered is None or (customer and remembered.customer != customer):
        raise AuthenticationRequired(
            code="no_credentials",
            params={"customer": customer, "env": PASSWORD_ENV},
        )
    if remembered.token:
        try:
            return await backend.resume(remembered.token), False
        except AuthenticationRequired:
            if not remembered.password:
                raise
    if not remembered.password:
        raise AuthenticationRequired(
            code="no_credentials", params={"customer": customer, "env": PASSWORD_ENV}
        )
    session = await login(backend, remembered.customer, remembered.password)
    assert store is not None
    await asyncio.to_thread(store.save, remembered.customer, remembered.password, session.token)
    return session, False


@contextlib.asynccontextmanager
async def signed_in(
    args: argparse.Namespace,
    *,
    stdin: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> AsyncIterator[Backend]:
    """A backend signed in as the arguments say; closed (and a given password's session
    logged out) at the end. Raises UsageError, or the backend's errors (LoginFailed,
    AuthenticationRequired, Unavailable...), which `exits.exit_for` maps to a status."""
    target = target_of(args)
    password = given_password(args, stdin, environ)
    backend = open_backend(target)
    store = None
    if not target.profile.kiosk:
        from ..credentials import CredentialStore

        store = CredentialStore(target.profile.name)
    log_out = False
    try:
        await backend.prepare()
        if password is not None:
            customer = target.customer
            if not customer and store is not None:
                remembered = await asyncio.to_thread(store.load)
                customer = remembered.customer if remembered else ""
            if not customer:
                raise UsageError(_("Podaj --customer KOD (albo kod nabywcy w profilu)."))
            session = await login(backend, customer, password)
            log_out = True
        else:
            session, log_out = await _from_keyring(backend, store, target.customer)
        if session.must_change_password:
            from ..domain.errors import PasswordChangeRequired

            raise PasswordChangeRequired()
        yield backend
    finally:
        if log_out:
            with contextlib.suppress(Exception):
                await backend.logout()
        await backend.close()
