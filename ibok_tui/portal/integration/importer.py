"""`import_records`: the billing system's files into the store, in two passes. The first
checks every record and names each problem by file, line and field (validation.py); the
second writes, in one transaction, only when nothing was wrong — or, when asked for a
partial import, everything but the bad records and every record of a customer with a bad
one (writing.py). Importing the same files again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..store import Store
from .reading import Problem, Source, records
from .records import TYPES, checked
from .validation import Checked, _owner_of, check, record_key
from .writing import Writer

Progress = Callable[[int], None]  # bytes read since the last call


@dataclass
class Report:
    """What an import did: the records read by type, what was written, every problem."""

    applied: bool
    partial: bool
    records: dict[str, int]
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    skipped_customers: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.records.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "partial": self.partial,
            "records": self.records,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problem_count": self.problem_count,
            "problems": [p.as_json() for p in self.problems],
            "skipped_customers": self.skipped_customers,
        }


def import_records(
    store: Store,
    sources: list[Source],
    *,
    partial: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Check, then (if allowed) write. `progress` gets the bytes read, over both passes
    (2 × the files' size in all)."""
    result = check(store, sources, progress)
    report = Report(
        applied=False,
        partial=partial,
        records=dict(result.counts),
        problems=result.problems,
        problem_count=result.problem_count,
        skipped_customers=sorted(result.bad_customers),
    )
    if result.problem_count and not partial:
        return report
    writer = Writer(store)
    with store.transaction():
        for index, source in enumerate(sources):
            for line, record in records(source, progress):
                _write_one(writer, result, (index, line), record)
        counts = writer.finish()
    report.applied = True
    report.created, report.updated, report.unchanged = (
        counts.created,
        counts.updated,
        counts.unchanged,
    )
    return report


def _write_one(writer: Writer, result: Checked, where: tuple[int, int], record: Any) -> None:
    if where in result.bad_lines or not isinstance(record, dict):
        return
    kind = record["type"]
    values, errors = checked(TYPES[kind], record)
    assert not errors  # checked in the first pass
    seen = result.seen[kind][record_key(kind, values)]
    if (seen[0], seen[1]) != where:
        return  # a record named twice: the first stands (and the import reported it)
    owner = seen[2] if seen[2] is not None else _owner_of(result, kind, values)
    if owner is not None and owner in result.bad_customers:
        return
    writer.add(kind, values)
