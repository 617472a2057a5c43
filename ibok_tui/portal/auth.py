"""Authentication: sessions, captcha, lockout, registration, password reset, blocking
one's own access and terminating the e-service agreement (the hashing: portal/hashing.py)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..domain.errors import (
    AccountLocked,
    Captcha,
    CaptchaRequired,
    Forbidden,
    IbokError,
    LoginFailed,
)
from ..domain.models import AccountStatus, Role, Session, Terms
from ..domain.passwords import PasswordPolicy
from .base import Core, hash_token, parse_dt
from .captcha import Challenges, Suspects, delay_for, difficulty_for
from .contract_end import DUE, deactivated_refusal
from .hashing import hashing_slot, pooled_verify, renewed_hash
from .sessions import Sessions
from .store import Row
from .terms import TermsService

if TYPE_CHECKING:
    pass

LOCAL_CLIENT = "local"  # the address of an in-process caller (the demo has no network)


def _locked(until: datetime, now: datetime) -> AccountLocked:
    wait = max(1, math.ceil((until - now).total_seconds()))
    return AccountLocked(
        params={"seconds": wait},
        locked_until=until,
        retry_after=wait,
    )


class AuthService:
    """Signing in and out: credentials, captcha, delays and lockout."""

    def __init__(
        self, core: Core, sessions: Sessions, sweep: Callable[[], object] = lambda: None
    ) -> None:
        self.core = core
        self.store = core.store
        self.config = core.config
        self.sessions = sessions
        # deactivates the accounts whose grace period passed (portal/contract_end.py)
        self.sweep = sweep
        self.challenges = Challenges(self.store, core.now)
        self.suspects = Suspects()

    # --- public information -----------------------------------------------------------

    def password_policy(self) -> PasswordPolicy:
        return self.config.password_policy

    def terms(self) -> Terms:
        """The terms in force today (portal/terms.py keeps every version)."""
        return TermsService(self.core).in_force()

    def new_captcha(self) -> Captcha:
        return self._captcha(self.config.captcha_difficulty)

    def solve_captcha(
        self, captcha_id: str | None, answer: str | None, difficulty: int | None = None
    ) -> bool:
        """True when `answer` is a nonce that proves the work of a fresh captcha of at
        least `difficulty` bits (default: the first level). Single-use either way."""
        needed = self.config.captcha_difficulty if difficulty is None else difficulty
        return self.challenges.spend(captcha_id, answer, needed)

    def _captcha(self, difficulty: int) -> Captcha:
        return self.challenges.issue(difficulty, self.config.captcha_ttl)

    def quick_refusal(self, client: str) -> CaptchaRequired | None:
        """The answer to a try without a captcha from an address this process saw marked
        as needing one for every try (see `Suspects`), or None: ask the store."""
        if client not in self.suspects:
            return None
        return CaptchaRequired(captcha=self._captcha(self.config.captcha_difficulty))

    # --- signing in ---------------------------------------------------------------------

    def login(
        self,
        customer_number: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        remember: bool = False,
        client: str = LOCAL_CLIENT,
    ) -> Session:
        number = customer_number.strip()
        row = self._account(number)
        if (refusal := deactivated_refusal(row)) is not None:
            # no password is left to guess (§8.7): told why at once, no hash, no captcha
            raise refusal
        usable = row is not None and row["status"] not in _NO_ACCOUNT

        def open_session() -> Session:
            # in the transaction that forgets the failures, after the account's sessions
            # are held: a block ending them waits for this one, or this one reads the
            # block (portal/sessions.py); read again, as an operator may have blocked the
            # account while it was hashed
            row = self.store.one("SELECT * FROM customers WHERE number = ?", (number,))
            if row is None or row["status"] in _NO_ACCOUNT:
                raise LoginFailed()
            status = AccountStatus(row["status"])
            if status is AccountStatus.PENDING:
                raise Forbidden(code="account_pending")
            if status in (AccountStatus.BLOCKED_BY_CUSTOMER, AccountStatus.BLOCKED_BY_OPERATOR):
                raise Forbidden(code="account_blocked")
            return self.sessions.create(
                Role.CUSTOMER,
                number,
                row["name"],
                remember=remember,
                must_change_password=bool(row["must_change_password"]),
                account=row,
            )

        return self._check_credentials(
            f"customer:{number}",
            row["password_hash"] if usable and row is not None else None,
            password,
            Attempt(captcha_id, captcha_answer, client),
            open_session,
            holds=self.sessions.keys(Role.CUSTOMER, number),
        )

    def _account(self, number: str) -> Row | None:
        """The customer's row (None: there is none), read once every account whose grace
        period passed is deactivated: one statement asks for the row and whether any is due,
        so the sweep costs a sign-in nothing more when none is."""
        found = self.store.one(_ACCOUNT, (self.core.now().isoformat(), number))
        assert found is not None  # the one row of the outer side of the join
        if found["sweep_due"]:
            self.sweep()
            found = self.store.one(_ACCOUNT, (self.core.now().isoformat(), number))
            assert found is not None
        return found if found["number"] is not None else None

    def operator_login(
        self,
        login: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        client: str = LOCAL_CLIENT,
    ) -> Session:
        self.sweep()
        row = self.store.one("SELECT * FROM operators WHERE login = ?", (login.strip(),))

        def open_session() -> Session:
            assert row is not None  # the password was checked against its hash
            return self.sessions.create(Role.OPERATOR, row["login"], row["name"])

        return self._check_credentials(
            f"operator:{login.strip()}",
            row["password_hash"] if row is not None else None,
            password,
            Attempt(captcha_id, captcha_answer, client),
            open_session,
        )

    def _check_credentials(
        self,
        subject: str,
        password_hash: str | None,
        password: str,
        attempt: Attempt,
        open_session: Callable[[], Session],
        holds: Sequence[str] = (),
    ) -> Session:
        """Apply captcha, delays and lockout the same way whether or not the subject
        exists, then open the session. Three steps, so the slow hash never holds the
        store's lock: admit the try (counted as a failure at once, so parallel guesses
        cannot slip through together), verify the password outside the lock, then, in one
        transaction, forget the try's failure and open the session (`open_session`, with
        `holds` held too). A refusal of `open_session` (the account was blocked meanwhile)
        still forgets the failure: the password was right."""
        client = attempt.client
        pair, address = _pair(subject, client), _address(client)
        counters = [f"login_failures:{key}" for key in (subject, pair, address)]
        with hashing_slot():  # taken first: a busy refusal counts no failure
            with self.store.transaction():
                # the counters are read, then written: one try of them at a time
                self.store.lock(*counters)
                refusal = self._admit(subject, pair, attempt)
            if refusal is not None:
                raise refusal
            if pooled_verify(password_hash, password):
                assert password_hash is not None
                renewed = renewed_hash(password_hash, password)
                with self.store.transaction():
                    self.store.lock(*counters, *holds)  # one statement takes them all
                    self.store.execute(
                        "DELETE FROM login_failures WHERE subject IN (?, ?)", (subject, pair)
                    )
                    # the address keeps its other failures: only this try was no failure
                    self.store.execute(
                        "UPDATE login_failures"
                        " SET failures = CASE WHEN failures > 1 THEN failures - 1 ELSE 0 END"
                        " WHERE subject = ?",
                        (address,),
                    )
                    if renewed is not None:
                        self._store_renewed_hash(subject, password_hash, renewed)
                    try:
                        return open_session()
                    except IbokError as refused:  # nothing written yet: commit the rest
                        failed: IbokError = refused
            else:
                with self.store.transaction():
                    failed = self._refusal(subject, pair)
        raise failed  # after the commit: the challenge it brings is stored

    def _store_renewed_hash(self, subject: str, old_hash: str, new_hash: str) -> None:
        """Replace a hash made with other parameters (unless it changed meanwhile)."""
        role, _, key = subject.partition(":")
        table, column = ("operators", "login") if role == "operator" else ("customers", "number")
        self.store.execute(
            f"UPDATE {table} SET password_hash = ? WHERE {column} = ? AND password_hash = ?",
            (new_hash, key, old_hash),
        )

    def _failures(self, key: str) -> tuple[int, datetime | None]:
        return _count(self.store.one("SELECT * FROM login_failures WHERE subject = ?", (key,)))

    def _admit(self, subject: str, pair: str, attempt: Attempt) -> LoginFailed | None:
        """The refusal of a try before its password is checked, or None (and the try is
        counted, with the lock or delay that a failure would bring already set). An
        address that failed often, over any accounts, needs a solved captcha for every
        try: a storm of guesses from it costs the server no hash, only the guesser work."""
        client, now, address = attempt.client, self.core.now(), _address(attempt.client)
        counters = self._counters(subject, pair, address)
        pair_failures, pair_lock = _count(counters.get(pair))
        failures, delay = _count(counters.get(subject))
        for until in (pair_lock, delay):
            if until is not None and until > now:
                return _locked(until, now)
        difficulty = difficulty_for(self.config, failures)
        address_failures = self._address_failures(counters.get(address), now)
        suspect = (
            failures >= self.config.captcha_after
            or address_failures >= self.config.captcha_after_address
        )
        if address_failures >= self.config.captcha_after_address:
            self.suspects.mark(client)
        if suspect and not self.solve_captcha(
            attempt.captcha_id, attempt.captcha_answer, difficulty
        ):
            return CaptchaRequired(captcha=self._captcha(difficulty))
        pair_failures += 1
        failures += 1
        # after a lock the count goes on: the next failure locks again at once
        lock = now + self.config.lock_for if pair_failures >= self.config.lock_after else None
        wait = delay_for(self.config, failures)
        delayed = now + wait if wait else None
        self.store.execute(_COUNT_TRY, (
            pair, pair_failures, lock.isoformat() if lock else None,
            subject, failures, delayed.isoformat() if delayed else None,
            address, address_failures + 1, now.isoformat(),
        ))  # fmt: skip
        return None

    def _counters(self, subject: str, pair: str, address: str) -> dict[str, Row]:
        """The failure counters of the subject, the pair and the address, in one statement
        (the subject's and the pair's: count and lock; the address's: count and last try)."""
        found = self.store.all(
            "SELECT subject, failures, locked_until, last_failure_at FROM login_failures"
            " WHERE subject IN (?, ?, ?)",
            (subject, pair, address),
        )
        return {row["subject"]: row for row in found}

    def _address_failures(self, state: Row | None, now: datetime) -> int:
        """An address's failures over every account (its counter's row), 0 once
        `address_window` passed."""
        if state is None or state["last_failure_at"] is None:
            return 0
        if parse_dt(state["last_failure_at"]) + self.config.address_window <= now:
            return 0
        return int(state["failures"])

    def _refusal(self, subject: str, pair: str) -> LoginFailed:
        """What a wrong password is told (the try is already counted by `_admit`)."""
        now = self.core.now()
        _, pair_lock = self._failures(pair)
        failures, _ = self._failures(subject)
        if pair_lock is not None and pair_lock > now:
            return _locked(pair_lock, now)
        if failures >= self.config.captcha_after:
            # a plain failure (the password was checked) with the next try's challenge;
            # CaptchaRequired says the password was not checked at all
            return LoginFailed(
                captcha=self._captcha(difficulty_for(self.config, failures)),
            )
        return LoginFailed()

    def forget_failures(self, subject: str) -> None:
        """Forget a subject's failures, from every address (inside a transaction)."""
        prefix = _pair(subject, "")
        self.store.execute(
            "DELETE FROM login_failures WHERE subject = ? OR substr(subject, 1, ?) = ?",
            (subject, len(prefix), prefix),
        )

    def logout(self, token: str) -> None:
        """End the session, and the act-for sessions an operator's session opened."""
        with self.store.transaction():
            self.sessions.end(hash_token(token))


# the try counted in one statement: the pair's and the subject's count and lock (their last
# try kept), then the address's count and last try (its lock kept); the three keys differ
_COUNT_TRY = (
    "INSERT INTO login_failures (subject, failures, locked_until, last_failure_at)"
    " VALUES (?, ?, ?, NULL), (?, ?, ?, NULL), (?, ?, NULL, ?)"
    " ON CONFLICT(subject) DO UPDATE SET failures = excluded.failures,"
    " locked_until = CASE WHEN excluded.last_failure_at IS NULL"
    " THEN excluded.locked_until ELSE login_failures.locked_until END,"
    " last_failure_at = CASE WHEN excluded.last_failure_at IS NULL"
    " THEN login_failures.last_failure_at ELSE excluded.last_failure_at END"
)


def _count(state: Row | None) -> tuple[int, datetime | None]:
    """A subject's or a pair's failures and lock, from its counter's row (None: none)."""
    if state is None:
        return 0, None
    until = parse_dt(state["locked_until"]) if state["locked_until"] else None
    return int(state["failures"]), until


@dataclass(frozen=True)
class Attempt:
    """What a sign-in brings besides its credentials: the captcha solved, if any, and the
    client's address."""

    captcha_id: str | None
    captcha_answer: str | None
    client: str


# the customer's row beside whether any account's deactivation is due (the parameters: now,
# then the number); the join's outer side is one row, so the answer is one row either way
_ACCOUNT = (
    f"SELECT EXISTS (SELECT 1 FROM customers WHERE {DUE}) AS sweep_due, c.*"
    " FROM (SELECT 1 AS one) AS o LEFT JOIN customers AS c ON c.number = ?"
)

_NO_ACCOUNT = (
    AccountStatus.UNREGISTERED,
    AccountStatus.TERMINATED,
    AccountStatus.REJECTED,
    AccountStatus.DEACTIVATED,
)


def _pair(subject: str, client: str) -> str:
    """The failure counter's key of one subject from one address. The subject's length
    leads, so no typed number (say "100001|203.0.113.5") can name another's pair, and no
    pair key looks like a subject's ("customer:…")."""
    return f"{len(subject)}:{subject}|{client}"


def _address(client: str) -> str:
    """The key of one address's failures over every account (no subject or pair key
    starts with a letter followed by "|")."""
    return f"address|{client}"
