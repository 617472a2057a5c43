"""Hostile text: a store whose every shown string column carries terminal control sequences,
written straight into SQLite (under the door: the server refuses such text in requests).

`python -m tests.support.hostile PATH` turns a seeded store into a hostile one (the check
by hand with `ibok --demo`)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

# what a hostile customer or server would write: set the window title, write the
# clipboard (OSC 52), clear the screen (7-bit and one-byte CSI), ring, NUL, reorder
PAYLOADS = (
    "\x1b]0;PWNED\x07",
    "\x1b]52;c;cHduZWQ=\x07",
    "\x1b[2J",
    "\x9b2J",
    "\x07",
    "\x00",
    "\u202e",
)
PAYLOAD = "".join(PAYLOADS)
# none of these may ever reach the terminal
RAW = ("\x1b]0;", "\x1b]52;", "\x1b[2J", "\x9b", "\x07", "\x00", "\u202e")
# what is left of the payload once it is shown: it must be on the screen
SHOWN = "PWNED"

COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("name", "street", "city", "email", "e_invoice_email", "phone"),
    "operators": ("name",),
    "properties": ("label", "street", "city"),
    "points": ("label",),
    "meters": ("location", "serial"),
    "readings": ("note",),
    "requests": ("subject", "body"),
    "request_events": ("author", "text"),
    "reading_events": ("author",),
    "document_events": ("author", "reason"),
    "notices": ("title", "body"),
    "documents": ("title", "filename"),
    "contracts": ("title",),
    "invoice_lines": ("description",),
    "payments": ("title",),
    "terms_versions": ("text", "changes"),
}


def make_hostile(path: Path, customers: tuple[str, ...] = ("100001",)) -> None:
    """Append the payload to every shown string column; add audit entries of `customers`
    whose operator, action and detail carry it."""
    with sqlite3.connect(path) as db:
        for table, columns in COLUMNS.items():
            assignments = ", ".join(f"{column} = {column} || ?" for column in columns)
            db.execute(f"UPDATE {table} SET {assignments}", [f" {PAYLOAD}"] * len(columns))
        # the utility's contact details (a JSON setting; Pulpit shows them)
        (stored,) = db.execute("SELECT value FROM settings WHERE key = 'utility'").fetchone()
        utility = json.loads(stored)
        for key in ("name", "phone", "emergency_phone", "email"):
            utility[key] += f" {PAYLOAD}"
        utility["address"]["street"] += f" {PAYLOAD}"
        utility["office_hours"] = [f"{hours} {PAYLOAD}" for hours in utility["office_hours"]]
        db.execute("UPDATE settings SET value = ? WHERE key = 'utility'", (json.dumps(utility),))
        for number in customers:
            db.execute(
                "INSERT INTO audit (at, operator, customer_number, action, detail)"
                " VALUES ('2026-11-20T09:00:00+00:00', ?, ?, ?, ?)",
                (
                    f"bok.anna {PAYLOAD}",
                    number,
                    f"update_contact {PAYLOAD}",
                    f"szczegóły {PAYLOAD}",
                ),
            )
            db.execute(
                "INSERT INTO audit (at, operator, customer_number, action, detail)"
                " VALUES ('2026-11-21T09:00:00+00:00', 'bok.anna', ?, 'block_access', ?)",
                (number, f"powód {PAYLOAD}"),
            )
    db.close()


if __name__ == "__main__":
    make_hostile(Path(sys.argv[1]))
