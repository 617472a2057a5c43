"""`Seeder`: what the demo's expansion writes with (the store, the day it counts back
from, the tariffs), shared by the fixtures and the billing and usage they generate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from ...domain.models import Tariff
from ..store import Store


@dataclass
class Seeder:
    store: Store
    today: date
    now: datetime
    tariffs: list[Tariff]
    sort_code: str
    with_documents: bool = True
    letter: bytes | None = None
    pending_requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        return self.today - timedelta(days=1)

    def tariff_on(self, day: date) -> Tariff:
        chosen = self.tariffs[0]
        for tariff in self.tariffs:
            if tariff.valid_from <= day:
                chosen = tariff
        return chosen
