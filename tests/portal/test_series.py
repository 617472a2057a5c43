"""Series of meters read by hand: a date range gives exactly the slice of the whole."""

from __future__ import annotations

from datetime import date

import pytest

from ibok_tui.domain.models import Resolution, SeriesPoint
from ibok_tui.portal.service import PortalService

RANGES = [
    (date(2025, 11, 1), date(2026, 11, 20)),
    (date(2024, 1, 15), date(2024, 6, 30)),
    (date(2026, 10, 31), date(2026, 11, 20)),
    (date(2030, 1, 1), None),
]


@pytest.mark.parametrize(
    ("number", "password"), [("200001", "Woda!ZlotyKlos4"), ("100002", "Woda!Nowak2026")]
)
def test_a_range_is_the_slice_of_the_whole_series(
    portal: PortalService, number: str, password: str
) -> None:
    token = portal.login(number, password).token
    for meter in portal.meters(token):
        days = portal.series(token, meter.id, Resolution.MONTH)
        for start, end in RANGES:
            ranged = portal.series(token, meter.id, Resolution.MONTH, start, end)
            whole_days = [
                p
                for p in _daily(portal, token, meter.id)
                if p.start.date() >= start and (end is None or p.start.date() <= end)
            ]
            assert sum(p.litres for p in ranged) == sum(p.litres for p in whole_days)
        assert days, meter.serial


def _daily(portal: PortalService, token: str, meter_id: str) -> list[SeriesPoint]:
    from ibok_tui.domain.analytics import readings_to_daily
    from ibok_tui.domain.models import ReadingStatus

    readings = [
        r for r in portal.readings(token, meter_id) if r.status is not ReadingStatus.WITHDRAWN
    ]
    return readings_to_daily(readings)
