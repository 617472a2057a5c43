"""The store's record of the e-service terms: every published version (kept, never
replaced: the history), and each customer's acceptance of a version with its time. A
migration of portal/schema.py; the rules are in portal/terms.py."""

from __future__ import annotations

import json
from typing import Any, Protocol

TERMS_DDL = (
    """CREATE TABLE terms_versions (
        version TEXT PRIMARY KEY,
        effective_from TEXT NOT NULL,
        text TEXT NOT NULL,
        changes TEXT NOT NULL DEFAULT '',
        published_at TEXT NOT NULL,
        published_by TEXT NOT NULL DEFAULT ''
    )""",
    # the version in force: the newest effective day not after today, by the index
    "CREATE INDEX terms_versions_effective ON terms_versions(effective_from, published_at)",
    """CREATE TABLE terms_acceptances (
        customer_number TEXT NOT NULL REFERENCES customers(number),
        version TEXT NOT NULL REFERENCES terms_versions(version),
        accepted_at TEXT NOT NULL,
        PRIMARY KEY (customer_number, version)
    )""",
)


class Db(Protocol):
    def execute(self, sql: str, params: Any = ()) -> Any: ...
    def scalar(self, sql: str, params: Any = ()) -> Any: ...


def migrate(db: Db) -> None:
    """The tables, with the one version a store kept before (its "terms" setting)."""
    for statement in TERMS_DDL:
        db.execute(statement)
    stored = db.scalar("SELECT value FROM settings WHERE key = 'terms'")
    if stored is None:
        return
    data = json.loads(stored)
    db.execute(
        "INSERT INTO terms_versions (version, effective_from, text, published_at)"
        " VALUES (?, ?, ?, ?)",
        (
            data["version"],
            data["effective_from"],
            data["text"],
            f"{data['effective_from']}T00:00:00+00:00",
        ),
    )
    db.execute("DELETE FROM settings WHERE key = 'terms'")
