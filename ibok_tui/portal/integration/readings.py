"""The readings customers submit, out to the billing system, and its confirmation of what
it took: `submitted_since` (the rows of the CSV that `ibok export-readings` and
`GET /integration/readings` give) and `confirm` (`POST /integration/readings/imported`),
which takes them into billing exactly as the clerk's import does. Both may be repeated:
the export reads, and a reading confirmed twice is taken once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from ...domain.models import ReadingType
from ..base import Core
from ..operator import take_into_billing
from ..store import Store

COLUMNS = (
    "reading_id",
    "customer_number",
    "meter_serial",
    "read_on",
    "index",
    "consumption",
    "status",
    "submitted_at",
    "meter_change",
)
MAX_CONFIRMED = 10_000  # ids of one confirmation
BY = "system:billing"  # who the audit says took them


def submitted_since(store: Store, since: datetime) -> list[dict[str, Any]]:
    """Every reading submitted in the iBOK at or after `since` (an aware moment), oldest
    first, whatever it is now: pending, taken (accepted) or withdrawn by the customer."""
    moment = since.astimezone(UTC).isoformat()
    return [
        {
            "reading_id": row["id"],
            "customer_number": row["customer_number"],
            "meter_serial": row["serial"],
            "read_on": row["read_on"],
            "index": row["idx"],
            "consumption": "" if row["consumption"] is None else row["consumption"],
            "status": row["status"],
            "submitted_at": row["submitted_at"],
            "meter_change": int(row["meter_change"]),
        }
        for row in store.all(
            "SELECT r.id, p.customer_number, m.serial, r.read_on, r.idx, r.consumption,"
            " r.status, r.submitted_at, r.meter_change FROM readings r"
            " JOIN meters m ON m.id = r.meter_id JOIN properties p ON p.id = m.property_id"
            " WHERE r.type = ? AND r.submitted_at >= ? ORDER BY r.submitted_at, r.id",
            (ReadingType.SELF.value, moment),
        )
    ]


def as_csv(rows: Iterable[dict[str, Any]]) -> str:
    """The documented CSV: a header of COLUMNS, comma-separated, UTF-8, CRLF lines. Its
    fields are the iBOK's own ids, numbers, dates and codes: no customer's free text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def confirm(core: Core, reading_ids: list[str]) -> dict[str, list[str]]:
    """Take the confirmed readings into billing; say which were taken now, which were
    taken before (or withdrawn), and which the iBOK does not know."""
    ids = list(dict.fromkeys(reading_ids))
    taken = take_into_billing(core, ids, BY)
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        known.update(
            row[0]
            for row in core.store.all(f"SELECT id FROM readings WHERE id IN ({marks})", chunk)
        )
    done = set(taken)
    return {
        "imported": taken,
        "not_pending": [i for i in ids if i in known and i not in done],
        "unknown": [i for i in ids if i not in known],
    }
