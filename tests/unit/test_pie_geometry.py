"""The pie's geometry: which sector each pixel of the circle belongs to, from the shares."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from ibok_tui.i18n import set_language
from ibok_tui.widgets.pie import (
    bounds,
    percent_text,
    pie_pixels,
    pixel_sector,
    sector_at,
    sector_colour,
)


def counts(radius: int, values: list[int]) -> Counter[int | None]:
    return Counter(cell for row in pie_pixels(radius, bounds(values)) for cell in row)


def test_bounds_are_cumulative_and_end_at_one() -> None:
    assert bounds([1, 1, 2]) == [0.25, 0.5, 1.0]
    assert bounds([1, 2])[-1] == 1.0
    assert bounds([]) == [] and bounds([0, 0]) == [] and bounds([-5, 0]) == []
    assert bounds([-3, 3]) == [0.0, 1.0]  # a negative part is no share


def test_sectors_run_clockwise_from_twelve_o_clock() -> None:
    ends = bounds([1, 1, 1, 1])
    radius = 10
    # just right of the top, lower right, lower left, upper left
    assert pixel_sector(12, 2, radius, ends) == 0
    assert pixel_sector(17, 12, radius, ends) == 1
    assert pixel_sector(7, 17, radius, ends) == 2
    assert pixel_sector(2, 7, radius, ends) == 3
    assert pixel_sector(0, 0, radius, ends) is None  # the corner is outside the circle
    assert sector_at(0.0, ends) == 0 and sector_at(0.9999, ends) == 3


def test_the_canvas_is_a_circle_of_the_radius() -> None:
    radius = 12
    pixels = pie_pixels(radius, bounds([1]))
    assert len(pixels) == 2 * radius and all(len(row) == 2 * radius for row in pixels)
    inside = sum(cell is not None for row in pixels for cell in row)
    assert abs(inside - math.pi * radius * radius) < 2 * math.pi * radius  # area within a rim
    # symmetric: as wide as it is tall, in pixels (two pixels per cell row)
    widths = [sum(cell is not None for cell in row) for row in pixels]
    heights = [sum(row[x] is not None for row in pixels) for x in range(2 * radius)]
    assert widths == heights


def test_the_pixels_are_shared_as_the_values() -> None:
    found = counts(20, [50, 30, 20])
    inside = sum(n for key, n in found.items() if key is not None)
    for index, share in enumerate((0.5, 0.3, 0.2)):
        assert found[index] / inside == pytest.approx(share, abs=0.02)


def test_a_zero_share_has_no_pixel_and_a_whole_one_every_pixel() -> None:
    found = counts(10, [0, 7, 0])
    assert set(found) == {None, 1}
    assert counts(10, [0, 0, 9]).keys() == {None, 2}
    assert counts(10, [0, 0]).keys() == {None}  # nothing to share: an empty canvas


def test_many_tiny_shares_each_get_their_slice_in_order() -> None:
    values = [1] * 60 + [940]
    ends = bounds(values)
    found = counts(30, values)
    assert sum(found[i] for i in range(60)) / sum(
        n for k, n in found.items() if k is not None
    ) == pytest.approx(0.06, abs=0.01)
    assert found[60] > 0
    # along the rim, just inside it, sectors never go backwards
    radius = 30
    seen = []
    for step in range(3600):
        angle = step / 3600 * math.tau
        x = int(radius + (radius - 1) * math.sin(angle))
        y = int(radius - (radius - 1) * math.cos(angle))
        sector = pixel_sector(x, y, radius, ends)
        assert sector is not None
        seen.append(sector)
    assert seen == sorted(seen)  # clockwise, in the order of the values
    assert seen[-1] == 60  # the large share closes the turn
    # a slice of 0.1 % is 0.36°: on a rim of about 190 pixels only some of them show
    assert 5 < len(set(seen)) - 1 <= 2 * math.pi * radius * 0.06 + 2


def test_percent_is_written_in_the_language() -> None:
    try:
        set_language("pl")
        assert percent_text(1, 3) == "33,3 %"
        assert percent_text(1, 10_000) == "<0,1 %"
        assert percent_text(0, 10) == "0,0 %"
        assert percent_text(5, 0) == "0,0 %"
        set_language("en")
        assert percent_text(2, 3) == "66.7 %"
        assert percent_text(1, 10_000) == "<0.1 %"
    finally:
        set_language("pl")


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 13, 61])
def test_neighbouring_sectors_never_share_a_colour(count: int) -> None:
    colours = [sector_colour(i, count, 6) for i in range(count)]
    assert all(0 <= c < 6 for c in colours)
    for i in range(count - 1):
        assert colours[i] != colours[i + 1]
    if count > 2:
        assert colours[-1] != colours[0]  # the last sector closes the circle on the first
