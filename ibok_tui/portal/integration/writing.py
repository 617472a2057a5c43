"""The import's second pass writes: the checked records are gathered in batches and each
batch is stored with a few statements per table — the stored rows of the batch's keys read
at once, compared with the records, and only the new ones inserted and the changed ones
updated (executemany). The caller holds one transaction around the whole import."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import history_schema, search
from ..store import Store
from .records import TYPES
from .tables import LINE_COLUMNS, TABLES, Table, line_rows

BATCH = 5000  # records held before they are written
_CHUNK = 500  # keys of one query


@dataclass
class Counts:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: int, updated: int, unchanged: int) -> None:
        for counter, number in (
            (self.created, created),
            (self.updated, updated),
            (self.unchanged, unchanged),
        ):
            if number:
                counter[kind] = counter.get(kind, 0) + number


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview | bytearray) else value


class Writer:
    def __init__(self, store: Store, batch: int | None = BATCH) -> None:
        self.store = store
        self.batch = batch  # None: the caller says when to write (validation.check)
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.held = 0
        self.counts = Counts()
        self.meter_ids: dict[str, str] = {}
        self.searched: set[str] = set()  # customers whose search text may have changed
        # (customer, last day) of the contract ends read: recorded after the transaction
        self.contract_ends: list[tuple[str, str]] = []

    def add(self, kind: str, values: dict[str, Any]) -> None:
        self.pending.setdefault(kind, []).append(values)
        self.held += 1
        if self.batch is not None and self.held >= self.batch:
            self.flush()

    def flush(self) -> None:
        for kind in TYPES:  # parents first
            batch = self.pending.pop(kind, [])
            if batch:
                getattr(self, f"_write_{kind}", self._write)(kind, batch)
        self.held = 0

    def discard(self) -> None:
        self.pending.clear()
        self.held = 0

    def finish(self) -> Counts:
        self.flush()
        # the new readings and scans: one step each ("recorded" by the utility on its day)
        history_schema.backfill(self.store)
        if self.searched:
            search.reindex(self.store, sorted(self.searched))
        return self.counts

    # --- the statements --------------------------------------------------------------

    def _stored(self, table: str, key: str, columns: Sequence[str], keys: list[Any]) -> dict:
        found: dict[Any, tuple[Any, ...]] = {}
        listed = ", ".join(columns)
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.store.all(
                f"SELECT {listed} FROM {table} WHERE {key} IN ({marks})", chunk
            ):
                found[row[0]] = tuple(_plain(row[i]) for i in range(len(columns)))
        return found

    def _apply(
        self,
        kind: str,
        table: Table,
        rows: list[tuple[Any, ...]],
        extra: list[tuple[Any, ...]] | None = None,
        lead: tuple[str, ...] = (),
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Insert the new rows, update the changed ones; returns both. `lead` columns (a
        meter's id) go before the compared ones in an insert, and name the updated row."""
        columns = table.columns
        stored = self._stored(table.name, table.key, columns, [r[0] for r in rows])
        new = [(i, r) for i, r in enumerate(rows) if r[0] not in stored]
        changed = [r for r in rows if r[0] in stored and stored[r[0]] != r]
        if new:
            names = (*lead, *columns)
            marks = ",".join("?" * len(names))
            self.store.load(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",
                [(*(extra[i] if extra else ()), *r) for i, r in new],
            )
        if changed:
            sets = ", ".join(f"{c} = ?" for c in columns[1:])
            self.store.executemany(
                f"UPDATE {table.name} SET {sets} WHERE {table.key} = ?",
                [(*r[1:], r[0]) for r in changed],
            )
        self.counts.add(kind, len(new), len(changed), len(rows) - len(new) - len(changed))
        return [r for _, r in new], changed

    def _write(self, kind: str, batch: list[dict[str, Any]]) -> None:
        table = TABLES[kind]
        self._apply(kind, table, [table.row(v) for v in batch])

    def _write_contract_end(self, kind: str, batch: list[dict[str, Any]]) -> None:
        self.contract_ends.extend((str(v["customer"]), str(v["ended_on"])) for v in batch)

    def _write_setting(self, kind: str, batch: list[dict[str, Any]]) -> None:
        """The "terms" setting is a version of the terms (portal/terms.py keeps them in
        `terms_versions`, the history): added when the store has no such version, never
        changed (a published version is what customers accepted); the rest are settings."""
        import json

        terms = [v for v in batch if v["key"] == "terms"]
        rest = [v for v in batch if v["key"] != "terms"]
        if rest:
            self._write(kind, rest)
        for values in terms:
            data = json.loads(values["value"])
            added = self.store.one(
                "INSERT INTO terms_versions (version, effective_from, text, changes,"
                " published_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING"
                " RETURNING version",
                (
                    str(data["version"]),
                    str(data["effective_from"]),
                    str(data["text"]),
                    str(data.get("changes", "")),
                    f"{data['effective_from']}T00:00:00+00:00",
                ),
            )
            self.counts.add(kind, int(added is not None), 0, int(added is None))

    def _write_customer(self, kind: str, batch: list[dict[str, Any]]) -> None:
        table = TABLES[kind]
        rows = [table.row(v) for v in batch]
        columns = table.columns
        stored = self._stored(table.name, table.key, columns, [r[0] for r in rows])
        new = [(r, v) for r, v in zip(rows, batch, strict=True) if r[0] not in stored]
        changed = [r for r in rows if r[0] in stored and stored[r[0]] != r]
        if new:
            assert table.new_row is not None
            names = (*columns, *table.created_only)
            marks = ",".join("?" * len(names))
            self.store.load(
                f"INSERT INTO customers ({', '.join(names)}) VALUES ({marks})",
                [(*r, *table.new_row(v)) for r, v in new],
            )
        if changed:
            sets = ", ".join(f"{c} = ?" for c in columns[1:])
            self.store.executemany(
                f"UPDATE customers SET {sets} WHERE number = ?", [(*r[1:], r[0]) for r in changed]
            )
        self.searched.update(r[0] for r, _ in new)
        self.searched.update(r[0] for r in changed)
        self.counts.add(kind, len(new), len(changed), len(rows) - len(new) - len(changed))

    def _write_property(self, kind: str, batch: list[dict[str, Any]]) -> None:
        new, changed = self._apply(kind, TABLES[kind], [TABLES[kind].row(v) for v in batch])
        self.searched.update(r[1] for r in (*new, *changed))

    def _ids(self, serials: set[str]) -> dict[str, str]:
        """The store's meter ids of `serials` (a new meter's: M-<serial>)."""
        missing = sorted(s for s in serials if s not in self.meter_ids)
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.store.all(
                f"SELECT serial, id FROM meters WHERE serial IN ({marks})", chunk
            ):
                self.meter_ids[row[0]] = row[1]
        return {s: self.meter_ids.get(s, f"M-{s}") for s in serials}

    def _write_meter(self, kind: str, batch: list[dict[str, Any]]) -> None:
        table = TABLES[kind]
        batch = sorted(batch, key=lambda v: v["role"] != "main")  # a main meter before its subs
        ids = self._ids({v["serial"] for v in batch} | {v["parent"] for v in batch if v["parent"]})
        rows = []
        for v in batch:
            row = table.row(v)
            parent = ids[v["parent"]] if v["parent"] else None
            rows.append((*row[:4], parent, *row[5:]))
        new, changed = self._apply(kind, table, rows, [(ids[r[0]],) for r in rows], ("id",))
        self.meter_ids.update({r[0]: ids[r[0]] for r in new})
        owners = self._stored("properties", "id", ("id", "customer_number"), [r[1] for r in new])
        self.searched.update(o[1] for o in owners.values())
        del changed

    def _write_reading(self, kind: str, batch: list[dict[str, Any]]) -> None:
        table = TABLES[kind]
        ids = self._ids({v["meter"] for v in batch})
        rows = [(r[0], ids[r[1]], *r[2:]) for r in (table.row(v) for v in batch)]
        before = self._stored("readings", "id", ("id", "status"), [r[0] for r in rows])
        _new, changed = self._apply(kind, table, rows)
        status = table.columns.index("status")
        self._steps(
            "INSERT INTO reading_events (reading_id, at, kind, author, idx) VALUES (?, ?, ?, ?, ?)",
            [
                (r[0], "accepted", r[table.columns.index("idx")])
                for r in changed
                if before[r[0]][1] == "pending" and r[status] == "accepted"
            ],
        )

    def _write_document(self, kind: str, batch: list[dict[str, Any]]) -> None:
        table = TABLES[kind]
        rows = [table.row(v) for v in batch]
        before = self._stored("documents", "id", ("id", "scan_status"), [r[0] for r in rows])
        _new, changed = self._apply(kind, table, rows)
        status = table.columns.index("scan_status")
        self._steps(
            "INSERT INTO document_events (document_id, at, status, author) VALUES (?, ?, ?, ?)",
            [(r[0], r[status]) for r in changed if r[status] and before[r[0]][1] != r[status]],
        )

    def _steps(self, sql: str, steps: list[tuple[Any, ...]]) -> None:
        """A step in the history of each row whose state the import changed: by the
        billing system, now."""
        if steps:
            now = datetime.now(UTC).isoformat()
            self.store.executemany(sql, [(s[0], now, s[1], "system", *s[2:]) for s in steps])

    def _write_invoices(self, kind: str, batch: list[dict[str, Any]]) -> None:
        table = TABLES[kind]
        self._apply(kind, table, [table.row(v) for v in batch])
        numbers = [v["number"] for v in batch]
        stored: dict[str, list[tuple[Any, ...]]] = {}
        listed = ", ".join(LINE_COLUMNS)
        for start in range(0, len(numbers), _CHUNK):
            chunk = numbers[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.store.all(
                f"SELECT {listed} FROM invoice_lines WHERE invoice_number IN ({marks})"
                " ORDER BY invoice_number, pos",
                chunk,
            ):
                stored.setdefault(row[0], []).append(
                    tuple(row[i] for i in range(len(LINE_COLUMNS)))
                )
        replaced, inserted = [], []
        for v in batch:
            lines = line_rows(v)
            if stored.get(v["number"], []) != lines:
                if v["number"] in stored:
                    replaced.append((v["number"],))
                inserted.extend(lines)
        if replaced:
            self.store.executemany("DELETE FROM invoice_lines WHERE invoice_number = ?", replaced)
        if inserted:
            marks = ",".join("?" * len(LINE_COLUMNS))
            self.store.load(f"INSERT INTO invoice_lines ({listed}) VALUES ({marks})", inserted)

    _write_invoice = _write_invoices
    _write_interest_note = _write_invoices

    def _write_hourly(self, kind: str, batch: list[dict[str, Any]]) -> None:
        ids = self._ids({v["meter"] for v in batch})
        by_meter: dict[str, list[dict[str, Any]]] = {}
        for v in batch:
            by_meter.setdefault(ids[v["meter"]], []).append(v)
        writes: list[tuple[Any, ...]] = []
        created = updated = 0
        for meter_id, days in by_meter.items():
            first = min(v["day"] for v in days)
            last = max(v["day"] for v in days)
            stored = {
                row[0]: row[1]
                for row in self.store.all(
                    "SELECT ts, litres FROM hourly WHERE meter_id = ? AND ts >= ? AND ts <= ?",
                    (meter_id, f"{first}T00", f"{last}T23"),
                )
            }
            for v in days:
                hours = [
                    (f"{v['day']}T{h:02d}", litres)
                    for h, litres in enumerate(v["litres"])
                    if litres is not None
                ]
                different = [(ts, n) for ts, n in hours if stored.get(ts) != n]
                if different:
                    if any(ts in stored for ts, _ in hours):
                        updated += 1
                    else:
                        created += 1
                writes.extend((meter_id, ts, n) for ts, n in different)
        if writes:
            self.store.executemany(
                "INSERT INTO hourly (meter_id, ts, litres) VALUES (?, ?, ?)"
                " ON CONFLICT (meter_id, ts) DO UPDATE SET litres = excluded.litres",
                writes,
            )
        self.counts.add(kind, created, updated, len(batch) - created - updated)
