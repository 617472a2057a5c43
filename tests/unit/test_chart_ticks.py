"""The charts' value axis: round, exact ticks (written with the language's decimal sign)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ibok_tui.widgets.chart_data import axis_ticks, tick_text


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 0.37, ["0", "0.1", "0.2", "0.3", "0.4"]),
        (0, 12.5, ["0", "5", "10", "15"]),
        (0, 1234.5, ["0", "500", "1000", "1500"]),
        (-3, 7, ["-5", "-2.5", "0", "2.5", "5", "7.5"]),
        (0, 0, ["0", "0.25", "0.5", "0.75", "1"]),  # a flat series still gets an axis
    ],
)
def test_axis_ticks_cover_the_values_in_round_steps(
    low: float, high: float, expected: list[str]
) -> None:
    ticks = axis_ticks(low, high)
    assert [tick_text(t) for t in ticks] == expected
    assert ticks[0] <= Decimal(repr(low)) and ticks[-1] >= Decimal(repr(high))
