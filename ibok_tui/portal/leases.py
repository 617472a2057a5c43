"""A lease in the store: one holder of a named piece of periodic work (the notices'
schedule) among every worker and host over one database, until the lease expires.

Taking it is one conditional upsert, the same SQL on SQLite and PostgreSQL: the row is
written when there is none, when the one there expired, or when it is the taker's own (a
renewal). Whoever wrote it holds the lease; a holder that dies loses it at its expiry."""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta

from .store import Store


def holder_name() -> str:
    """This process's name as a holder: its host, its id and a random part (a process id
    is used again after a restart)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def take(store: Store, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `ttl`; whether `holder` holds it now."""
    with store.transaction():
        taken = store.execute(
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
            " expires_at = excluded.expires_at"
            " WHERE leases.expires_at <= ? OR leases.holder = excluded.holder",
            (name, holder, (now + ttl).isoformat(), now.isoformat()),
        ).rowcount
    return taken == 1


def release(store: Store, name: str, holder: str, now: datetime) -> None:
    """Give the lease up (it expires now), when `holder` still holds it."""
    with store.transaction():
        store.execute(
            "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?",
            (now.isoformat(), name, holder),
        )


def held_by(store: Store, name: str, now: datetime) -> tuple[str, datetime] | None:
    """Who holds the lease and until when; None when nobody does."""
    row = store.one("SELECT holder, expires_at FROM leases WHERE name = ?", (name,))
    if row is None:
        return None
    until = datetime.fromisoformat(row["expires_at"])
    return (row["holder"], until) if until > now else None
