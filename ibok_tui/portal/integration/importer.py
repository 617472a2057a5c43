"""`import_records`: the billing system's files into the store, in two passes. The first
checks every record and names each problem by file, line and field (validation.py); the
second writes, in one transaction, only when nothing was wrong — or, when asked for a
partial import, everything but the bad records and every record of a customer with a bad
one (writing.py). Importing the same files again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..store import Store
from .fields import checked
from .reading import Problem, Source, records
from .records import TYPES
from .validation import Checked, _owner_of, check, record_key
from .writing import Writer

IMPORT_LOCK = "billing-import"  # the key an import holds (Store.lock): one import at a time

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
    contract_ends: list[tuple[str, str]] = field(default_factory=list)  # (customer, last day)

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
    """Check, then (if allowed) write. `progress` gets the bytes read: the files' size in
    all, twice that with `partial` (two passes)."""
    if not partial:
        return _one_pass(store, sources, progress)
    result = check(store, sources, progress)
    report = _report(result, partial)
    writer = Writer(store)
    with store.transaction():
        store.lock(IMPORT_LOCK)
        for index, source in enumerate(sources):
            for line, record in records(source, progress):
                _write_one(writer, result, (index, line), record)
        _applied(report, writer)
    return report


def record_contract_ends(report: Report, record: Callable[[str, date], object]) -> None:
    """After an applied import: each contract end read is recorded through the portal's own
    rule (`PortalService.record_contract_end`: the grace period, the customer's e-mail,
    Pulpit's banner; the same end again changes nothing). A refusal (another day for an end
    already recorded, a day too far ahead) is reported as the record's problem."""
    from ...domain.errors import IbokError, ValidationFailed

    for number, day in report.contract_ends:
        try:
            record(number, date.fromisoformat(day))
        except IbokError as error:
            code, given = error.code, error.params
            if isinstance(error, ValidationFailed) and error.errors:
                code, given = error.errors[0].code, error.errors[0].params
            params = {"customer": number, **{k: str(v) for k, v in given.items()}}
            report.problems.append(Problem("contract_end", 0, "ended_on", code, params))
            report.problem_count += 1


class _Undone(Exception):
    """Raised inside the transaction to undo a one-pass import that found a problem."""


def _one_pass(store: Store, sources: list[Source], progress: Progress | None) -> Report:
    """Check and write at once, in one transaction undone at the first problem's end: the
    files are read once (the common case, a good file, at half the work)."""
    writer = Writer(store, batch=None)
    try:
        with store.transaction():
            store.lock(IMPORT_LOCK)  # what is checked is what is written: one import at a time
            result = check(store, sources, progress, sink=writer)
            report = _report(result, partial=False)
            if result.problem_count:
                raise _Undone
            _applied(report, writer)
    except _Undone:
        pass
    return report


def _report(result: Checked, partial: bool) -> Report:
    return Report(
        applied=False,
        partial=partial,
        records=dict(result.counts),
        problems=result.problems,
        problem_count=result.problem_count,
        skipped_customers=sorted(result.bad_customers),
    )


def _applied(report: Report, writer: Writer) -> None:
    counts = writer.finish()
    report.contract_ends = writer.contract_ends
    report.applied = True
    report.created, report.updated, report.unchanged = (
        counts.created,
        counts.updated,
        counts.unchanged,
    )


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
