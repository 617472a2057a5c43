"""Deadlines for answering customers' requests (zgłoszenia), in calendar days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from .models import OPEN_REQUEST_STATUSES, RequestCategory, RequestStatus

DEFAULT_DEADLINES: Mapping[RequestCategory, int] = MappingProxyType(
    {
        RequestCategory.COMPLAINT: 14,  # reklamacja: 14 days, as the regulations say
        RequestCategory.FAILURE: 1,
        RequestCategory.WATER_QUALITY: 7,
        RequestCategory.PARTY_DATA_CHANGE: 14,
        RequestCategory.GARDEN_METER_INSTALL: 30,
        RequestCategory.GARDEN_METER_REPLACE: 30,
        RequestCategory.GARDEN_METER_REMOVE: 30,
        RequestCategory.OTHER: 30,
    }
)


@dataclass(frozen=True)
class DeadlinePolicy:
    """Days to answer, per category; a category missing here falls back to the default."""

    days: Mapping[RequestCategory, int]

    @classmethod
    def default(cls) -> DeadlinePolicy:
        return cls(DEFAULT_DEADLINES)

    def days_for(self, category: RequestCategory) -> int:
        return self.days.get(category, DEFAULT_DEADLINES[category])


def due_date(policy: DeadlinePolicy, category: RequestCategory, created: date) -> date:
    """The day by which a request created on `created` must be answered."""
    return created + timedelta(days=policy.days_for(category))


def is_overdue(due: date, today: date, status: RequestStatus) -> bool:
    """An open request past its due day; answered, closed or rejected ones never are."""
    return status in OPEN_REQUEST_STATUSES and today > due
