"""`Sessions`: the portal's one authorisation step. A public call hands its token here once
and gets back the session it may act on: the customer (the act-for rule and the
must-change-password rule applied) or the operator. The services then work on that
resolved session, never on a token, so no ownership check runs twice in one call."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.errors import (
    AuthenticationRequired,
    Forbidden,
    PasswordChangeRequired,
    SessionExpired,
    TermsAcceptanceRequired,
)
from ..domain.models import Role, Session
from .answers import joined
from .base import Core, hash_token, new_token, parse_dt
from .store import Row
from .terms import IN_FORCE_VERSION, version_due

# one statement per call: the session, what its customer accepted and the version in force
_LOOKUP = (
    "SELECT sessions.*, (SELECT c.terms_version FROM customers c"
    " WHERE c.number = sessions.subject AND sessions.role = 'customer') AS accepted_terms,"
    f" ({IN_FORCE_VERSION}) AS terms_in_force FROM sessions WHERE token_hash = ?"
)
# the same and, in that one statement, a stored answer of the session's customer
# (portal/answers.py): a screen answered from the store is one round trip to the database
_ANSWER_COLUMNS, _ANSWER_JOIN = joined("sessions.subject")
_LOOKUP_WITH_ANSWER = _LOOKUP.replace(
    " FROM sessions WHERE", f", {_ANSWER_COLUMNS} FROM sessions {_ANSWER_JOIN} WHERE", 1
)


class Sessions:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store

    # --- resolving a token ----------------------------------------------------------

    def resolve(self, token: str) -> Session:
        """The session behind a token, if it is still valid (any role)."""
        return self._resolve(token)[0]

    def customer_with_answer(self, token: str, name: str) -> tuple[Session, Any]:
        """`customer(token)`, and what the same statement read of the customer's stored
        answer `name` (for `Answers.get`)."""
        session, due, row = self._resolve(token, name)
        return self._as_customer(session, due), row

    def _resolve(self, token: str, answer: str | None = None) -> tuple[Session, str | None, Any]:
        """The session, and the version of the terms its customer must accept first (None:
        nothing to accept, or not a customer), read in the same one statement; with
        `answer`, the stored answer of that name too, in that statement (the row)."""
        row = self.store.one(*self._lookup(token, answer))
        if row is None:
            raise AuthenticationRequired(code="session_unknown")
        expires = parse_dt(row["expires_at"])
        if row["opened_by"] is not None:
            # an act-for session lives no longer than the operator's session that opened it
            opener = self.store.scalar(
                "SELECT expires_at FROM sessions WHERE token_hash = ?", (row["opened_by"],)
            )
            expires = min(expires, parse_dt(opener)) if opener else self.core.now()
        if expires <= self.core.now():
            with self.store.transaction():
                self.end(row["token_hash"])
            raise SessionExpired()
        return (*self._session(token, row, expires), row)

    async def customer_with_answer_on_loop(
        self, token: str, name: str
    ) -> tuple[Session, Any] | None:
        """`customer_with_answer` with its one statement awaited on the event loop (a store
        that `reads_on_loop`). None when only `customer_with_answer` may decide: a session an
        operator opened to act for the customer (it ends with the operator's, one statement
        more) or one past its end (ending it is a write)."""
        # the day is the same for every read: reads asked at once go as one statement
        row = await self.store.one_on_loop(*self._lookup(token, name), shared=1)
        if row is None:
            raise AuthenticationRequired(code="session_unknown")
        expires = parse_dt(row["expires_at"])
        if row["opened_by"] is not None or expires <= self.core.now():
            return None
        return self._as_customer(*self._session(token, row, expires)), row

    def _lookup(self, token: str, answer: str | None) -> tuple[str, tuple[str, ...]]:
        """The statement that reads the session of `token` (and the stored `answer`)."""
        if not token:
            raise AuthenticationRequired()
        today = self.core.today().isoformat()
        if answer is None:
            return _LOOKUP, (today, hash_token(token))
        return _LOOKUP_WITH_ANSWER, (today, answer, hash_token(token))

    @staticmethod
    def _session(token: str, row: Any, expires: datetime) -> tuple[Session, str | None]:
        """The session a lookup's row holds, and the terms its customer must accept first."""
        session = Session(
            token=token,
            role=Role(row["role"]),
            subject=row["subject"],
            name=row["name"],
            expires_at=expires,
            must_change_password=bool(row["must_change_password"]),
            acting_operator=row["acting_operator"],
        )
        due = version_due(row["accepted_terms"], row["terms_in_force"])
        return session, due if session.role is Role.CUSTOMER else None

    def customer(
        self, token: str, *, allow_password_change: bool = False, allow_pending_terms: bool = False
    ) -> Session:
        """The customer session; every customer operation is scoped to its `subject`.

        A generated password is changed first; then, until the customer accepts the terms
        in force, only the calls that `allow_pending_terms` (the terms themselves,
        terminating the agreement) go on (Będzin §1.5). An operator acting for the
        customer is not held back: the office helps a customer who has not accepted yet."""
        session, due, _ = self._resolve(token)
        return self._as_customer(session, due, allow_password_change, allow_pending_terms)

    @staticmethod
    def _as_customer(
        session: Session,
        due: str | None,
        allow_password_change: bool = False,
        allow_pending_terms: bool = False,
    ) -> Session:
        if session.role is not Role.CUSTOMER:
            raise Forbidden(code="customer_only")
        if session.must_change_password:
            if not allow_password_change:
                raise PasswordChangeRequired()
            return session
        if allow_pending_terms or session.acting_operator is not None:
            return session
        if due is not None:
            raise TermsAcceptanceRequired(params={"version": due})
        return session

    def operator(self, token: str) -> Session:
        session = self.resolve(token)
        if session.role is not Role.OPERATOR:
            raise Forbidden(code="operator_only")
        return session

    # --- opening and ending ---------------------------------------------------------

    def hold(self, role: Role, subject: str) -> None:
        """Inside a transaction: one at a time with the others that open or end the
        account's sessions. A sign-in holds it before it reads the account's status, a block
        or an erasure before it ends the sessions: so no session opened beside a block
        outlives it."""
        self.store.lock(*self.keys(role, subject))

    @staticmethod
    def keys(role: Role, subject: str) -> tuple[str]:
        """The store's lock keys `hold` takes (for a caller that takes them with others)."""
        return (f"sessions:{role.value}:{subject}",)

    def create(
        self,
        role: Role,
        subject: str,
        name: str,
        *,
        remember: bool = False,
        must_change_password: bool = False,
        acting_operator: str | None = None,
        opened_by: str | None = None,
        account: Row | None = None,
    ) -> Session:
        """A new session; `opened_by` is the token of the operator's session acting for the
        customer, whose logout ends this one too. `account`: the customer's row, when the
        caller read it in this transaction after `hold` (its deactivation is not read again)."""
        token = new_token()
        config = self.core.config
        ttl = config.remember_ttl if remember else config.session_ttl
        expires = self.core.now() + ttl
        self.hold(role, subject)
        if role is Role.CUSTOMER and acting_operator is None:
            deadline = (
                self._account_deadline(subject)
                if account is None
                else _deadline(account["deactivates_at"])
            )
            expires = min(expires, deadline or expires)
        self.store.execute(
            "INSERT INTO sessions (token_hash, role, subject, name, expires_at,"
            " must_change_password, acting_operator, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                hash_token(token),
                role.value,
                subject,
                name,
                expires.isoformat(),
                int(must_change_password),
                acting_operator,
                hash_token(opened_by) if opened_by else None,
            ),
        )
        return Session(
            token=token,
            role=role,
            subject=subject,
            name=name,
            expires_at=expires,
            must_change_password=must_change_password,
            acting_operator=acting_operator,
        )

    def _account_deadline(self, number: str) -> datetime | None:
        """When the customer's account is deactivated (their supply contract ended), if so."""
        return _deadline(
            self.store.scalar("SELECT deactivates_at FROM customers WHERE number = ?", (number,))
        )

    def cut_to(self, number: str, deadline: datetime) -> None:
        """No session of the customer's own outlives `deadline` (inside the caller's
        transaction); an operator's act-for session lives on, for the office's work."""
        self.hold(Role.CUSTOMER, number)
        for row in self.store.all(
            "SELECT token_hash, expires_at FROM sessions"
            " WHERE role = ? AND subject = ? AND acting_operator IS NULL",
            (Role.CUSTOMER.value, number),
        ):
            if parse_dt(row["expires_at"]) > deadline:
                self.store.execute(
                    "UPDATE sessions SET expires_at = ? WHERE token_hash = ?",
                    (deadline.isoformat(), row["token_hash"]),
                )

    def end_all(self, role: Role, subject: str) -> None:
        """End every session of one account at once (inside the caller's transaction),
        with the act-for sessions opened from an operator's."""
        self.hold(role, subject)
        hashes = [
            row["token_hash"]
            for row in self.store.all(
                "SELECT token_hash FROM sessions WHERE role = ? AND subject = ?",
                (role.value, subject),
            )
        ]
        for token_hash in hashes:
            self.end(token_hash)

    def end(self, token_hash: str) -> None:
        self.store.execute("DELETE FROM sessions WHERE opened_by = ?", (token_hash,))
        self.store.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))


def _deadline(deactivates_at: str | None) -> datetime | None:
    return parse_dt(deactivates_at) if deactivates_at else None
