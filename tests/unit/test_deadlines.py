from datetime import date, timedelta

import pytest

from ibok_tui.domain.deadlines import (
    DEFAULT_DEADLINES,
    DeadlinePolicy,
    due_date,
    is_overdue,
)
from ibok_tui.domain.models import OPEN_REQUEST_STATUSES, RequestCategory, RequestStatus

CREATED = date(2026, 11, 21)


def test_every_category_has_a_default_deadline() -> None:
    assert set(DEFAULT_DEADLINES) == set(RequestCategory)


@pytest.mark.parametrize(
    ("category", "due"),
    [
        (RequestCategory.COMPLAINT, date(2026, 12, 5)),  # 14 days, as the regulations say
        (RequestCategory.FAILURE, date(2026, 11, 22)),
        (RequestCategory.WATER_QUALITY, date(2026, 11, 28)),
        (RequestCategory.PARTY_DATA_CHANGE, date(2026, 12, 5)),
        (RequestCategory.GARDEN_METER_INSTALL, date(2026, 12, 21)),
        (RequestCategory.GARDEN_METER_REPLACE, date(2026, 12, 21)),
        (RequestCategory.GARDEN_METER_REMOVE, date(2026, 12, 21)),
        (RequestCategory.OTHER, date(2026, 12, 21)),
    ],
)
def test_default_due_dates(category: RequestCategory, due: date) -> None:
    assert due_date(DeadlinePolicy.default(), category, CREATED) == due


def test_a_utility_can_set_its_own_deadlines() -> None:
    policy = DeadlinePolicy({RequestCategory.FAILURE: 3})
    assert due_date(policy, RequestCategory.FAILURE, CREATED) == date(2026, 11, 24)
    # Categories it does not name keep the defaults.
    assert due_date(policy, RequestCategory.COMPLAINT, CREATED) == date(2026, 12, 5)


def test_the_default_policy_cannot_be_changed_in_place() -> None:
    with pytest.raises(TypeError):
        DeadlinePolicy.default().days[RequestCategory.FAILURE] = 99  # type: ignore[index]


def test_due_date_crosses_the_year() -> None:
    due = due_date(DeadlinePolicy.default(), RequestCategory.COMPLAINT, date(2026, 12, 25))
    assert due == date(2027, 1, 8)


@pytest.mark.parametrize("status", list(RequestStatus))
def test_only_open_requests_can_be_overdue(status: RequestStatus) -> None:
    due = date(2026, 11, 21)
    assert is_overdue(due, due + timedelta(days=1), status) == (status in OPEN_REQUEST_STATUSES)


def test_a_request_is_not_overdue_on_its_due_day() -> None:
    due = date(2026, 11, 21)
    assert not is_overdue(due, due, RequestStatus.NEW)
    assert not is_overdue(due, due - timedelta(days=5), RequestStatus.IN_PROGRESS)
    assert is_overdue(due, due + timedelta(days=1), RequestStatus.WAITING_FOR_CUSTOMER)
