"""The import's first pass: every record of every file checked on its own (records.py),
its key against the keys seen before (a record named twice), and its references against
the records before it in the files or already in the store. Nothing is written; what it
learns (each record's customer, the bad lines, the customers with a bad record) lets the
second pass write only what may be written.

A record's parents come before it (a customer before its property, an invoice before the
payment of it) in the same file or an earlier one, or are in the store already."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..store import Store
from .fields import checked
from .reading import LineRefused, Problem, Source, records
from .records import TYPES

MAX_PROBLEMS = 1000  # reported; all are counted
BATCH = 5000  # records a one-pass import holds before it writes them
_CHUNK = 500

# each reference of a record: its field, the type it names, and whether the record's
# customer is the referenced one's (its owner)
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "property": (("customer", "customer"),),
    "point": (("property", "property"),),
    "meter": (("property", "property"), ("point", "point"), ("parent", "meter")),
    "document": (("customer", "customer"),),
    "contract": (("customer", "customer"), ("property", "property"), ("document", "document")),
    "invoice": (("customer", "customer"), ("property", "property"), ("corrects", "invoice")),
    "interest_note": (("customer", "customer"), ("property", "property")),
    "payment": (("customer", "customer"), ("document", "invoice")),
    "reading": (("meter", "meter"),),
    "hourly": (("meter", "meter"),),
    "contract_end": (("customer", "customer"),),
}
# the type a reference names may be written by another record type too
_ALSO = {"invoice": ("interest_note",)}
# the keys in the store, with the customer each belongs to
_IN_STORE = {
    "customer": "SELECT number, number FROM customers WHERE number IN ({marks})",
    "property": "SELECT id, customer_number FROM properties WHERE id IN ({marks})",
    "point": (
        "SELECT pt.id, p.customer_number FROM points pt JOIN properties p"
        " ON p.id = pt.property_id WHERE pt.id IN ({marks})"
    ),
    "meter": (
        "SELECT m.serial, p.customer_number FROM meters m JOIN properties p"
        " ON p.id = m.property_id WHERE m.serial IN ({marks})"
    ),
    "invoice": "SELECT number, customer_number FROM invoices WHERE number IN ({marks})",
    "document": "SELECT id, customer_number FROM documents WHERE id IN ({marks})",
    "contract": "SELECT number, customer_number FROM contracts WHERE number IN ({marks})",
}


def record_key(kind: str, values: dict[str, Any]) -> str:
    if kind == "hourly":
        return f"{values['meter']}|{values['day']}"
    return str(values[TYPES[kind].key])


@dataclass
class _Pending:
    """A reference to a key not seen before it in the files: the store may hold it."""

    kind: str
    key: str
    where: tuple[int, int]  # the file's index, the line
    field: str
    owner: str | None  # the record's own customer, if it names one
    record: tuple[str, str] | None  # the referring record (type, key), to adopt an owner
    lookup_only: bool = False  # a bad record's parent, only to learn whose it is


@dataclass
class Checked:
    """What the first pass learnt."""

    sources: list[Source]
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    bad_lines: set[tuple[int, int]] = field(default_factory=set)
    bad_customers: set[str] = field(default_factory=set)
    shared_problems: int = 0  # of records no customer owns (settings, tariffs, notices)
    counts: dict[str, int] = field(default_factory=dict)
    # each key seen, by type: where it was first, and its customer
    seen: dict[str, dict[str, tuple[int, int, str | None]]] = field(default_factory=dict)

    def owner(self, kind: str, key: str) -> str | None:
        found = self.seen.get(kind, {}).get(key)
        return found[2] if found else None

    def add(
        self, where: tuple[int, int], name: str, code: str, params: Any, owner: str | None
    ) -> None:
        self.problem_count += 1
        self.bad_lines.add(where)
        if owner is not None:
            self.bad_customers.add(owner)
        else:
            self.shared_problems += 1
        if len(self.problems) < MAX_PROBLEMS:
            file = self.sources[where[0]].name
            params = {str(k): str(v) for k, v in dict(params).items()}
            self.problems.append(Problem(file, where[1], name, code, params))


class Sink(Protocol):
    """Where a one-pass import hands each good record (writing.Writer)."""

    held: int

    def add(self, kind: str, values: dict[str, Any]) -> None: ...
    def flush(self) -> None: ...
    def discard(self) -> None: ...


def check(
    store: Store,
    sources: list[Source],
    progress: Callable[[int], None] | None = None,
    sink: Sink | None = None,
) -> Checked:
    """Check every record. With a `sink` (an import that writes nothing unless all is well,
    in the caller's transaction), each good record is handed to it as it is read, and
    written a batch at a time once the batch's references are found in the store; after
    the first problem nothing more is written (the caller undoes what was)."""
    result = Checked(sources)
    pending: list[_Pending] = []
    unresolved: list[_Pending] = []
    for index, source in enumerate(sources):
        for line, record in records(source, progress):
            accepted = _check_record(result, pending, (index, line), record)
            if sink is None:
                continue
            if accepted is not None and not result.problem_count and not unresolved:
                sink.add(*accepted)
            if sink.held >= BATCH:
                unresolved += _lookup(store, result, pending)
                pending.clear()
                if not result.problem_count and not unresolved:
                    sink.flush()
                else:
                    sink.discard()  # nothing will be kept: hold no more
    unresolved += _lookup(store, result, pending)
    _unresolved(result, unresolved)
    return result


def _owner_of(result: Checked, kind: str, values: dict[str, Any]) -> str | None:
    if kind == "customer":
        return str(values["number"]) if values.get("number") else None
    if values.get("customer") is not None:
        return str(values["customer"])
    for name, target in REFERENCES.get(kind, ()):
        value = values.get(name)
        if isinstance(value, str):
            found = _seen_any(result, target, value)
            if found is not None and found[2] is not None:
                return found[2]
    return None


def _check_record(
    result: Checked,
    pending: list[_Pending],
    where: tuple[int, int],
    record: dict[str, Any] | LineRefused,
) -> tuple[str, dict[str, Any]] | None:
    """Check one record; the good one's type and values."""
    if isinstance(record, LineRefused):
        result.add(where, "", record.code, record.params, None)
        return None
    kind = record.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        result.add(where, "type", "unknown_type", {"types": ", ".join(TYPES)}, None)
        return None
    values, errors = checked(TYPES[kind], record)
    owner = None if kind in ("setting", "tariff", "notice") else _owner_of(result, kind, values)
    for error in errors:
        result.add(where, error.field, error.code, error.params, owner)
    if errors:
        if owner is None and kind not in ("setting", "tariff", "notice"):
            _learn_owner(pending, kind, values, where)
        return None
    key = record_key(kind, values)
    seen = result.seen.setdefault(kind, {})
    if key in seen:
        first = seen[key]
        file = result.sources[first[0]].name
        result.add(
            where, TYPES[kind].key, "duplicate_record", {"file": file, "line": first[1]}, owner
        )
        return None
    seen[key] = (where[0], where[1], owner)
    result.counts[kind] = result.counts.get(kind, 0) + 1
    for name, target in REFERENCES.get(kind, ()):
        value = values.get(name)
        if value is None:
            continue
        found = _seen_any(result, target, str(value))
        if found is None:
            pending.append(_Pending(target, str(value), where, name, owner, (kind, key)))
        elif owner is not None and found[2] is not None and found[2] != owner:
            result.add(where, name, "other_customer", {"customer": found[2]}, owner)
    return kind, values


def _seen_any(result: Checked, target: str, key: str) -> tuple[int, int, str | None] | None:
    for kind in (target, *_ALSO.get(target, ())):
        found = result.seen.get(kind, {}).get(key)
        if found is not None:
            return found
    return None


def _in_store(store: Store, kind: str, keys: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        sql = _IN_STORE[kind].format(marks=",".join("?" * len(chunk)))
        found.update((row[0], row[1]) for row in store.all(sql, chunk))
    return found


def _lookup(store: Store, result: Checked, pending: list[_Pending]) -> list[_Pending]:
    """The references not seen before their record, looked up in the store: those it
    holds are checked (whose they are), the others returned."""
    by_kind: dict[str, set[str]] = {}
    for ref in pending:
        by_kind.setdefault(ref.kind, set()).add(ref.key)
    stored = {kind: _in_store(store, kind, keys) for kind, keys in by_kind.items()}
    missing = []
    for ref in pending:
        owner = stored[ref.kind].get(ref.key)
        if ref.lookup_only:
            if owner is not None:
                result.bad_customers.add(owner)
        elif owner is None:
            missing.append(ref)
        elif ref.owner is not None and owner != ref.owner:
            result.add(ref.where, ref.field, "other_customer", {"customer": owner}, ref.owner)
        else:
            _adopt(result, ref, owner)
    return missing


def _unresolved(result: Checked, refs: list[_Pending]) -> None:
    """References to nothing in the store: to a record later in the files (a parent after
    its child), or to nothing at all."""
    for ref in refs:
        later = _seen_any(result, ref.kind, ref.key)
        code = "parent_after_child" if later is not None else "unknown_reference"
        params = {"type": ref.kind, "key": ref.key[:60]}
        result.add(ref.where, ref.field, code, params, ref.owner)


def _adopt(result: Checked, ref: _Pending, owner: str) -> None:
    """A record that names no customer of its own (a meter, a reading) is its parent's."""
    if ref.owner is not None or ref.record is None:
        return
    kind, key = ref.record
    index, line, current = result.seen[kind][key]
    if current is None:
        result.seen[kind][key] = (index, line, owner)


def _learn_owner(
    pending: list[_Pending], kind: str, values: dict[str, Any], where: tuple[int, int]
) -> None:
    """A bad record whose parent is not in the files: the store may say whose it is."""
    for name, target in REFERENCES.get(kind, ()):
        value = values.get(name)
        if isinstance(value, str) and target in _IN_STORE:
            pending.append(_Pending(target, value, where, name, None, None, lookup_only=True))
            return
