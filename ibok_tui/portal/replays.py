"""The one record of idempotency keys, in the store: a keyed request is answered once,
whichever process or host its retries reach.

One row per (scope, key) in the `idempotency` table. The portal owns it, because only the
portal's transaction can make "written" and "recorded" one fact: a creating operation
(a reading, a request, a scan) records what it made (`result`) inside the transaction
of the write itself (`Core.remember`), so a crash can lose the answer but never let a
retry write twice. The server's middleware claims the row before it runs the route
(`claim`), stores the answer after (`answer`), and replays that answer to a retry.

- A claim is a lease (`LEASE`; the server's `IBOK_IDEMPOTENCY_LEASE` seconds): while it
  runs, a retry of the same key is told to wait (`busy`, then 409 with Retry-After); after
  it, the claim was lost with its process and the next retry takes it over. An operation
  that had recorded its result before the crash then answers from that result
  (`Core.replayed`), never writing again.
- A row expires `TTL` after it was made; `sweep` deletes expired rows by their index.

The demo (no server) keeps using `Core.replayed`/`Core.remember` with the portal's own
scopes (`100001:reading`); under the server the claim of the request in hand
(`current_claim`) takes their place, so one row serves both.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..domain.errors import Conflict
from .store import Store

TTL = timedelta(hours=24)  # how long a retry is answered from the record
LEASE = timedelta(seconds=30)  # how long a claim stands before a retry may take it over


@dataclass(frozen=True)
class Claim:
    scope: str
    key: str
    until: str = ""  # the lease's end as stored: a release touches only its own claim


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Outcome:
    """What `claim` found: the request is ours to run (`owned`), answered already
    (`answer`), claimed by a request still running (`busy`), or the key was used for
    another request (`reused`)."""

    owned: bool = False
    until: str = ""  # the end of the lease when owned
    answer: Answer | None = None
    busy: bool = False
    reused: bool = False


class KeyInProgress(Conflict):
    """Another request with this key is being answered right now: retry shortly."""

    def __init__(self) -> None:
        super().__init__(code="idempotency_key_in_progress")
        self.retry_after = 1


current_claim: ContextVar[Claim | None] = ContextVar("ibok_idempotency_claim", default=None)


@contextmanager
def claimed(claim: Claim) -> Iterator[None]:
    """Run the portal's operations of one request under its claim."""
    token = current_claim.set(claim)
    try:
        yield
    finally:
        current_claim.reset(token)


class Replays:
    """The idempotency record over one store (the table of migration 1, grown in 6)."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        # leases and expiry are the machine's time, never the portal's (a pinned or
        # travelling clock of the tests and the demo would keep a dead claim alive)
        self.store = store
        self.clock = clock
        self.lease = LEASE

    def claim(self, scope: str, key: str, fingerprint: str) -> Outcome:
        for _ in range(3):  # a lost race with another claimer is looked at again
            now = self.clock()
            until = _at(now + self.lease)
            made = self.store.one(
                "INSERT INTO idempotency (scope, key, result, created_at, fingerprint,"
                " claimed_until, expires_at) VALUES (?, ?, '', ?, ?, ?, ?)"
                " ON CONFLICT (scope, key) DO NOTHING RETURNING key",
                (scope, key, now.isoformat(), fingerprint, until, _at(now + TTL)),
            )
            if made is not None:
                return Outcome(owned=True, until=until)
            row = self.store.one(
                "SELECT fingerprint, status, headers, body, claimed_until, expires_at"
                " FROM idempotency WHERE scope = ? AND key = ?",
                (scope, key),
            )
            if row is None:
                continue  # swept between the two statements
            if row["expires_at"] is not None and row["expires_at"] <= _at(now):
                self.store.execute(
                    "DELETE FROM idempotency WHERE scope = ? AND key = ? AND expires_at = ?",
                    (scope, key, row["expires_at"]),
                )
                continue
            if row["fingerprint"] is not None and row["fingerprint"] != fingerprint:
                return Outcome(reused=True)
            if row["status"] is not None:
                return Outcome(answer=_answer(row["status"], row["headers"], row["body"]))
            if (row["claimed_until"] or "") > _at(now):
                return Outcome(busy=True)
            taken = self.store.one(  # the claimer is gone or failed: take its claim over
                "UPDATE idempotency SET claimed_until = ?, fingerprint = ?"
                " WHERE scope = ? AND key = ? AND status IS NULL"
                " AND COALESCE(claimed_until, '') = ? RETURNING key",
                (until, fingerprint, scope, key, row["claimed_until"] or ""),
            )
            if taken is not None:
                return Outcome(owned=True, until=until)
        return Outcome(busy=True)

    def answer(self, scope: str, key: str, answer: Answer) -> None:
        """Keep the answer of a claimed request for its retries."""
        self.store.execute(
            "UPDATE idempotency SET status = ?, headers = ?, body = ?, claimed_until = NULL"
            " WHERE scope = ? AND key = ?",
            (
                answer.status,
                json.dumps(answer.headers),
                base64.b64encode(answer.body).decode("ascii"),
                scope,
                key,
            ),
        )

    def release(self, claim: Claim) -> None:
        """The claimed request failed: a retry runs it again. A row whose operation did
        record a result stays (its retry answers from the result); a claim another request
        has taken over since is not touched."""
        with self.store.transaction():
            self.store.execute(
                "DELETE FROM idempotency WHERE scope = ? AND key = ? AND result = ''"
                " AND status IS NULL AND claimed_until = ?",
                (claim.scope, claim.key, claim.until),
            )
            self.store.execute(
                "UPDATE idempotency SET claimed_until = '' WHERE scope = ? AND key = ?"
                " AND status IS NULL AND claimed_until = ?",
                (claim.scope, claim.key, claim.until),
            )

    # --- what the portal's creating operations call -----------------------------------

    def replayed(self, scope: str, key: str | None) -> str | None:
        """The id an earlier call with the same key created, if any."""
        claim = current_claim.get()
        if claim is not None:
            scope, key = claim.scope, claim.key
        if not key:
            return None
        value = self.store.scalar(
            "SELECT result FROM idempotency WHERE scope = ? AND key = ?", (scope, key)
        )
        return str(value) if value else None

    def remember(self, scope: str, key: str | None, result: str) -> None:
        """Record, inside the write's own transaction, what the call created."""
        claim = current_claim.get()
        now = self.clock()
        if claim is not None:
            recorded = self.store.one(
                "UPDATE idempotency SET result = ? WHERE scope = ? AND key = ? AND result = ''"
                " RETURNING key",
                (result, claim.scope, claim.key),
            )
            if recorded is None:  # a request that took our claim over wrote first
                raise KeyInProgress()
        elif key:
            self.store.execute(
                "INSERT INTO idempotency (scope, key, result, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (scope, key, result, now.isoformat(), _at(now + TTL)),
            )

    def sweep(self) -> int:
        """Delete the expired rows (by the index on `expires_at`); how many went."""
        cursor = self.store.execute(
            "DELETE FROM idempotency WHERE expires_at < ?", (_at(self.clock()),)
        )
        return max(0, int(cursor.rowcount))


def _at(moment: datetime) -> str:
    """A time as the table keeps it: ISO 8601 in UTC, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _answer(status: int, headers: str | None, body: str | None) -> Answer:
    pairs = [(str(k), str(v)) for k, v in json.loads(headers or "[]")]
    return Answer(int(status), pairs, base64.b64decode(body or ""))
