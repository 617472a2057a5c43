"""`Seeder`: what the demo's expansion writes with (the store, the day it counts back
from, the tariffs), shared by the fixtures and the billing and usage they generate."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from ...domain.models import Tariff


class Writes(Protocol):
    """Where the expansion writes: the store itself, or a BulkWriter in front of it."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any: ...


class BulkWriter:
    """Collects the expansion's inserts by statement, in the order the statements first
    came (parents first): a batch for `Store.load_packed` (one transaction, each
    statement's rows at once). The expansion never reads back what it wrote, so nothing is
    missed."""

    def __init__(self) -> None:
        self.pending: dict[str, list[Sequence[Any]]] = {}

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.pending.setdefault(sql, []).append(params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.pending.setdefault(sql, []).extend(rows)


@dataclass
class Seeder:
    store: Writes
    today: date
    now: datetime
    tariffs: list[Tariff]
    sort_code: str
    with_documents: bool = True
    letter: bytes | None = None
    pending_requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    payments: dict[str, int] = field(default_factory=dict)  # how many each customer has
    # invoices priced by (tariff, water, sewage, months): demo_billing.py's `Priced`
    priced: dict[tuple[str, int, int, int], Any] = field(default_factory=dict)
    as_of: date = field(init=False)  # the day the data ends: yesterday
    _tariff_of: dict[date, Tariff] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.as_of = self.today - timedelta(days=1)

    def tariff_on(self, day: date) -> Tariff:
        found = self._tariff_of.get(day)  # every customer's periods end on the same days
        if found is None:
            found = self.tariffs[0]
            for tariff in self.tariffs:
                if tariff.valid_from <= day:
                    found = tariff
            self._tariff_of[day] = found
        return found
