from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.analytics import (
    Anomaly,
    AnomalyKind,
    NightFlow,
    Spike,
    YearOverYear,
    aggregate,
    average_daily,
    detect_night_flow,
    detect_spikes,
    downsample,
    forecast_invoice,
    readings_to_daily,
    year_over_year,
)
from ibok_tui.domain.models import (
    Reading,
    ReadingStatus,
    ReadingType,
    Resolution,
    SeriesPoint,
    Tariff,
)
from ibok_tui.i18n.render import anomaly_text


def reading(
    day: date,
    index: int,
    consumption: int | None,
    status: ReadingStatus = ReadingStatus.ACCEPTED,
) -> Reading:
    return Reading(f"r{day}", "m1", day, index, consumption, ReadingType.COLLECTOR, status)


def point(start: datetime, litres: int) -> SeriesPoint:
    return SeriesPoint(start, litres)


# --- readings_to_daily -------------------------------------------------------------------


def test_consumption_is_spread_over_the_days_since_the_previous_reading() -> None:
    readings = [
        reading(date(2026, 1, 11), 1_000, 1_000),
        reading(date(2026, 1, 1), 0, None),  # any order
    ]
    daily = readings_to_daily(readings)
    assert [p.start for p in daily] == [datetime(2026, 1, d) for d in range(2, 12)]
    assert [p.litres for p in daily] == [100] * 10
    assert all(p.start.tzinfo is None for p in daily)


def test_uneven_consumption_keeps_its_exact_sum() -> None:
    readings = [reading(date(2026, 1, 1), 0, None), reading(date(2026, 1, 4), 1_001, 1_001)]
    assert [p.litres for p in readings_to_daily(readings)] == [334, 334, 333]


def test_withdrawn_and_unknown_readings_are_skipped() -> None:
    readings = [
        reading(date(2026, 1, 1), 0, None),
        reading(date(2026, 1, 3), 900, 900, ReadingStatus.WITHDRAWN),
        reading(date(2026, 1, 5), 400, 400),  # spans 1 Jan -> 5 Jan: the withdrawn one is gone
        reading(date(2026, 1, 7), 0, None),  # a new meter installed: no consumption
        reading(date(2026, 1, 8), 50, 50),
    ]
    daily = readings_to_daily(readings)
    assert [(p.start.day, p.litres) for p in daily] == [
        (2, 100),
        (3, 100),
        (4, 100),
        (5, 100),
        (8, 50),
    ]


def test_readings_on_the_same_day_are_summed() -> None:
    readings = [
        reading(date(2026, 1, 1), 0, None),
        reading(date(2026, 1, 2), 10, 10),
        Reading("x", "m1", date(2026, 1, 2), 15, 5, ReadingType.REMOTE),
    ]
    assert readings_to_daily(readings) == [point(datetime(2026, 1, 2), 15)]


def test_no_readings_no_series() -> None:
    assert readings_to_daily([]) == []
    assert readings_to_daily([reading(date(2026, 1, 1), 5, 5)]) == []


# --- aggregate ---------------------------------------------------------------------------

HOURLY = [
    point(datetime(2025, 12, 31, 23, 30), 1),
    point(datetime(2026, 1, 1, 0, 0), 2),
    point(datetime(2026, 1, 1, 0, 45), 3),
    point(datetime(2026, 2, 28, 13, 0), 4),
    point(datetime(2026, 3, 1, 0, 0), 5),
    point(datetime(2026, 7, 4, 8, 0), 6),
]


@pytest.mark.parametrize(
    ("resolution", "months", "expected"),
    [
        (
            Resolution.HOUR,
            1,
            [
                ((2025, 12, 31, 23), 1),
                ((2026, 1, 1, 0), 5),
                ((2026, 2, 28, 13), 4),
                ((2026, 3, 1, 0), 5),
                ((2026, 7, 4, 8), 6),
            ],
        ),
        (
            Resolution.DAY,
            1,
            [
                ((2025, 12, 31), 1),
                ((2026, 1, 1), 5),
                ((2026, 2, 28), 4),
                ((2026, 3, 1), 5),
                ((2026, 7, 4), 6),
            ],
        ),
        (
            Resolution.MONTH,
            1,
            [
                ((2025, 12, 1), 1),
                ((2026, 1, 1), 5),
                ((2026, 2, 1), 4),
                ((2026, 3, 1), 5),
                ((2026, 7, 1), 6),
            ],
        ),
        (Resolution.YEAR, 1, [((2025, 1, 1), 1), ((2026, 1, 1), 20)]),
        (
            Resolution.BILLING_PERIOD,
            1,
            [
                ((2025, 12, 1), 1),
                ((2026, 1, 1), 5),
                ((2026, 2, 1), 4),
                ((2026, 3, 1), 5),
                ((2026, 7, 1), 6),
            ],
        ),
        (
            Resolution.BILLING_PERIOD,
            2,
            [((2025, 11, 1), 1), ((2026, 1, 1), 9), ((2026, 3, 1), 5), ((2026, 7, 1), 6)],
        ),
        (Resolution.BILLING_PERIOD, 6, [((2025, 7, 1), 1), ((2026, 1, 1), 14), ((2026, 7, 1), 6)]),
    ],
)
def test_aggregate(
    resolution: Resolution, months: int, expected: list[tuple[tuple[int, ...], int]]
) -> None:
    result = aggregate(HOURLY, resolution, months)
    assert [(p.start, p.litres) for p in result] == [(datetime(*s), v) for s, v in expected]


def test_aggregate_rejects_a_bad_billing_length() -> None:
    with pytest.raises(ValueError):
        aggregate(HOURLY, Resolution.BILLING_PERIOD, 5)


series = st.lists(
    st.builds(
        SeriesPoint,
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
        st.integers(min_value=-1000, max_value=10**6),
    ),
    max_size=60,
)


@given(series, st.sampled_from(list(Resolution)), st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_aggregate_preserves_the_sum(
    points: list[SeriesPoint], resolution: Resolution, months: int
) -> None:
    result = aggregate(points, resolution, months)
    assert sum(p.litres for p in result) == sum(p.litres for p in points)
    starts = [p.start for p in result]
    assert starts == sorted(set(starts))
    # Aggregating again changes nothing.
    assert aggregate(result, resolution, months) == result


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=400))
def test_daily_series_preserves_consumption(litres: int, days: int) -> None:
    first = date(2026, 1, 1)
    readings = [reading(first, 0, None), reading(first + timedelta(days=days), litres, litres)]
    daily = readings_to_daily(readings)
    assert len(daily) == days
    assert sum(p.litres for p in daily) == litres
    assert sum(p.litres for p in aggregate(daily, Resolution.MONTH)) == litres


# --- averages and comparisons ------------------------------------------------------------


def test_average_daily_counts_every_day_of_the_range() -> None:
    points = [point(datetime(2026, 1, d), 100) for d in range(1, 11)]
    assert average_daily(points, date(2026, 1, 1), date(2026, 1, 10)) == Decimal("100.0")
    assert average_daily(points, date(2026, 1, 1), date(2026, 1, 20)) == Decimal("50.0")
    assert average_daily(points, date(2026, 1, 5), date(2026, 1, 5)) == Decimal("100.0")
    assert str(average_daily(points, date(2026, 1, 1), date(2026, 1, 3))) == "100.0"
    assert average_daily(points, date(2026, 1, 1), date(2026, 1, 30)) == Decimal("33.3")
    assert average_daily(points, date(2026, 1, 1), date(2026, 1, 6)) == Decimal("100.0")
    assert average_daily([], date(2026, 1, 1), date(2026, 1, 6)) == Decimal("0.0")
    with pytest.raises(ValueError):
        average_daily(points, date(2026, 1, 2), date(2026, 1, 1))


def test_average_daily_rounds_half_up() -> None:
    points = [point(datetime(2026, 1, 1), 1), point(datetime(2026, 1, 3, 12), 0)]
    # 1 litre over 4 days is 0.25 -> 0.3
    assert average_daily(points, date(2026, 1, 1), date(2026, 1, 4)) == Decimal("0.3")


def test_year_over_year() -> None:
    points = [
        point(datetime(2026, 1, 5), 100),
        point(datetime(2026, 1, 20), 50),
        point(datetime(2025, 1, 7), 120),
        point(datetime(2025, 12, 31, 23), 7),
        point(datetime(2024, 1, 1), 999),  # two years back: not shown
        point(datetime(2027, 1, 1), 999),
    ]
    rows = year_over_year(points, 2026)
    assert len(rows) == 12
    assert [r.month for r in rows] == list(range(1, 13))
    assert rows[0] == YearOverYear(1, 150, 120)
    assert rows[11] == YearOverYear(12, 0, 7)
    assert all(r == YearOverYear(r.month, 0, 0) for r in rows[1:11])


# --- anomalies ---------------------------------------------------------------------------


def hourly_days(first: date, days: int, night_litres: dict[int, int]) -> list[SeriesPoint]:
    """Hourly points for `days` days: 20 l in daytime hours, night_litres[day] at night."""
    points = []
    for d in range(days):
        day = first + timedelta(days=d)
        for hour in range(24):
            litres = night_litres.get(d, 0) if 1 <= hour <= 4 else 20
            points.append(point(datetime(day.year, day.month, day.day, hour), litres))
    return points


def test_night_flow_on_three_nights_is_reported_once() -> None:
    points = hourly_days(date(2026, 3, 1), 7, {1: 6, 2: 8, 3: 5})
    (anomaly,) = detect_night_flow(points)
    assert anomaly.kind is AnomalyKind.NIGHT_FLOW
    assert anomaly.params == NightFlow(nights=3, least_per_hour=5)
    assert anomaly.start == datetime(2026, 3, 2, 1)
    assert anomaly.end == datetime(2026, 3, 4, 5)
    assert anomaly.litres == 4 * (6 + 8 + 5)
    assert anomaly_text(anomaly) == (
        "Przepływ w każdej godzinie nocnej (01:00–05:00) przez 3 kolejne noce, "
        "co najmniej 5 l/h. Możliwy wyciek."
    )
    assert anomaly_text(anomaly, "en") == (
        "Water flowed in every night hour (01:00–05:00) for 3 nights in a row, "
        "at least 5 l/h. Possibly a leak."
    )


def test_two_nights_are_not_a_leak() -> None:
    points = hourly_days(date(2026, 3, 1), 7, {1: 6, 2: 8})
    assert detect_night_flow(points) == []
    (anomaly,) = detect_night_flow(points, nights=2)
    assert "przez 2 kolejne noce" in anomaly_text(anomaly)


def test_flow_below_the_threshold_is_not_a_leak() -> None:
    points = hourly_days(date(2026, 3, 1), 7, {1: 4, 2: 4, 3: 4})
    assert detect_night_flow(points) == []
    assert len(detect_night_flow(points, min_litres_per_hour=4)) == 1


def test_one_dry_hour_breaks_the_night() -> None:
    points = hourly_days(date(2026, 3, 1), 5, {0: 9, 1: 9, 2: 9})
    dry = datetime(2026, 3, 2, 3)
    points = [p for p in points if p.start != dry]  # a missing hour counts as no flow
    assert detect_night_flow(points) == []
    points.append(point(dry, 0))
    assert detect_night_flow(points) == []


def test_separate_runs_are_reported_separately() -> None:
    flows = {d: 10 for d in (0, 1, 2, 3, 6, 7, 8)}
    anomalies = detect_night_flow(hourly_days(date(2026, 3, 1), 10, flows))
    assert [(a.start.day, a.end.day) for a in anomalies] == [(1, 4), (7, 9)]
    assert "przez 4 kolejne noce" in anomaly_text(anomalies[0])
    five = detect_night_flow(hourly_days(date(2026, 3, 1), 5, dict.fromkeys(range(5), 9)))
    assert "przez 5 kolejnych nocy" in anomaly_text(five[0])


def test_sub_hourly_points_are_summed_per_hour() -> None:
    points = []
    for d in range(3):
        for hour in (1, 2, 3, 4):
            for minute in (0, 30):
                points.append(point(datetime(2026, 3, 1 + d, hour, minute), 3))
    (anomaly,) = detect_night_flow(points)
    assert anomaly.litres == 3 * 4 * 6


def monthly(usages: list[int], status: dict[int, ReadingStatus] | None = None) -> list[Reading]:
    readings = [reading(date(2026, 1, 1), 0, None)]
    index = 0
    for n, used in enumerate(usages, start=1):
        index += used
        day = date(2026, 1, 1) + timedelta(days=30 * n)
        readings.append(reading(day, index, used, (status or {}).get(n, ReadingStatus.ACCEPTED)))
    return readings


def test_a_spike_is_reported() -> None:
    readings = monthly([3_000, 3_000, 3_000, 9_001])
    (spike,) = detect_spikes(readings)
    assert spike == Anomaly(
        kind=AnomalyKind.SPIKE,
        start=datetime(2026, 4, 1),
        end=datetime(2026, 5, 1),
        litres=9_001,
        params=Spike(days=30, usual_per_day=Decimal(100)),
    )
    assert (
        anomaly_text(spike)
        == "Zużycie 9,001 m³ w 30 dni, średnio 300 l/dzień wobec zwykłych 100 l/dzień."
    )
    assert anomaly_text(spike, "en") == (
        "9.001 m³ used in 30 days, 300 l/day on average against the usual 100 l/day."
    )
    assert detect_spikes(monthly([3_000, 3_000, 3_000, 9_000])) == []  # exactly 3 ×


def test_spikes_need_three_earlier_intervals() -> None:
    assert detect_spikes(monthly([3_000, 3_000, 30_000])) == []
    assert len(detect_spikes(monthly([3_000, 3_000, 3_000, 30_000]))) == 1


def test_spikes_use_the_trailing_window_and_a_factor() -> None:
    readings = monthly([30_000, 30_000, 3_000, 3_000, 3_000, 10_000])
    assert detect_spikes(readings) == []  # the window of 6 still holds the big months
    (spike,) = detect_spikes(readings, window=3)
    assert spike.litres == 10_000
    assert detect_spikes(readings, window=3, factor=Decimal(4)) == []


def test_withdrawn_readings_are_not_spikes() -> None:
    readings = monthly([3_000, 3_000, 3_000, 50_000], {4: ReadingStatus.WITHDRAWN})
    assert detect_spikes(readings) == []


# --- forecast ----------------------------------------------------------------------------

TARIFF = Tariff("t", date(2026, 1, 1), None, 500, 700, 1_000)


def test_forecast_invoice() -> None:
    forecast = forecast_invoice(TARIFF, Decimal("150.0"), date(2026, 11, 1), date(2026, 11, 30))
    assert forecast.period_from == date(2026, 11, 1) and forecast.period_to == date(2026, 11, 30)
    assert forecast.litres == 4_500
    # water 4,5 m³ × 5 zł = 22,50; sewage 4,5 × 7 = 31,50; abonament 10,00 (one month)
    assert forecast.net == 2_250 + 3_150 + 1_000
    assert forecast.gross == 2_250 + 180 + 3_150 + 252 + 1_000 + 80


def test_forecast_counts_months_and_rounds_litres_half_up() -> None:
    forecast = forecast_invoice(TARIFF, Decimal("0.5"), date(2026, 1, 1), date(2026, 3, 31))
    assert forecast.litres == 45  # 0.5 × 90 days
    assert forecast.net == 23 + 32 + 3 * 1_000  # three months of abonament
    short = forecast_invoice(TARIFF, Decimal("100.05"), date(2026, 1, 1), date(2026, 1, 10))
    assert short.litres == 1_001  # 1000.5 -> 1001
    assert short.net == 501 + 701 + 1_000  # at least one month
    with pytest.raises(ValueError):
        forecast_invoice(TARIFF, Decimal(1), date(2026, 1, 2), date(2026, 1, 1))


# --- downsample --------------------------------------------------------------------------


def hours(values: list[int]) -> list[SeriesPoint]:
    start = datetime(2026, 1, 1)
    return [point(start + timedelta(hours=i), v) for i, v in enumerate(values)]


def test_downsample_leaves_short_series_alone() -> None:
    points = hours([1, 2, 3])
    assert downsample(points, 3) == points
    assert downsample(points, 100) == points
    assert downsample([], 10) == []


def test_downsample_keeps_a_peak() -> None:
    values = [10] * 1000
    values[437] = 5_000
    result = downsample(hours(values), 50)
    assert len(result) == 50
    assert result[0].start == datetime(2026, 1, 1)
    assert result[-1].start == datetime(2026, 1, 1) + timedelta(hours=999)
    assert max(p.litres for p in result) == 5_000


def test_downsample_to_two_points_and_below() -> None:
    points = hours(list(range(10)))
    assert downsample(points, 2) == [points[0], points[-1]]
    with pytest.raises(ValueError):
        downsample(points, 1)


def test_downsample_a_year_of_hours_keeps_its_size_and_ends() -> None:
    points = hours([(i * 7919) % 97 for i in range(17_520)])
    result = downsample(points, 1_000)
    assert len(result) == 1_000
    assert result[0] == points[0] and result[-1] == points[-1]


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=300),
    st.integers(min_value=2, max_value=120),
)
def test_downsample_properties(values: list[int], max_points: int) -> None:
    points = hours(values)
    result = downsample(points, max_points)
    assert len(result) == min(len(points), max_points)
    assert result[0] == points[0] and result[-1] == points[-1]
    starts = [p.start for p in result]
    assert starts == sorted(set(starts))  # a subsequence, in order, no duplicates
    assert set(result) <= set(points)
