"""Analizy: every chart kind, the range, markers, average use and the forecast."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import Select, Static

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.customer.analyses import AnalysesScreen
from ibok_tui.widgets.chart import POINTS_PER_COLUMN, Chart
from ibok_tui.widgets.pie import Pie
from tests.ui.tab_harness import TabHarness, local, service, settle  # noqa: F401


def stats(app: TabHarness) -> str:
    content = app.screen.query_one("#analysis-stats", Static).content
    assert isinstance(content, Text)
    return content.plain


async def test_smart_meter_charts_of_every_kind(local: LocalBackend) -> None:
    app = TabHarness(local, AnalysesScreen, customer="100003")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        chart = screen.query_one(Chart)
        text = stats(app)
        assert "Prognoza następnej faktury\n01.11.2026 – 30.11.2026: 10,455 m³" in text
        assert "164,49\u00a0zł brutto" in text  # the VAT per rate (art. 106e)
        assert "16.11.2026–20.11.2026: Przepływ w każdej godzinie nocnej" in text
        assert "Średnie zużycie:" in text and "l/dobę" in text
        kinds = {}
        for kind in ("hour", "day", "month", "year", "period", "charges", "yoy", "payments"):
            screen.show_kind(kind)
            await settle(pilot)
            pie = screen.query_one(Pie)
            assert pie.display == (kind == "charges") != chart.display  # one of the two
            if kind == "charges":
                kinds[kind] = "pie"
                assert pie.radius >= 4  # a circle, not the text fallback
                continue
            kinds[kind] = chart.kind
            assert chart.plt.build().strip()  # something was drawn
        assert kinds == {
            "hour": "line",
            "day": "line",
            "month": "line",
            "year": "line",
            "period": "bars",
            "charges": "pie",
            "yoy": "grouped",
            "payments": "grouped",
        }


async def test_two_years_of_hours_are_downsampled(local: LocalBackend) -> None:
    app = TabHarness(local, AnalysesScreen, customer="100003")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        screen.query_one("#chart-range", Select).value = 0  # everything
        screen.show_kind("hour")
        await settle(pilot)
        chart = screen.query_one(Chart)
        assert screen.data is not None and len(screen.data.hourly) == 18000
        budget = POINTS_PER_COLUMN * chart.size.width
        assert budget < 200
        # the downsampled series, and the marked night hours it would have dropped
        assert budget <= chart.drawn_points <= budget + len(chart.marked_at)


async def test_range_changes_the_average_and_the_monthly_meter_spreads_readings(
    local: LocalBackend,
) -> None:
    app = TabHarness(local, AnalysesScreen, customer="100001")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        year = stats(app)
        kinds = screen.query_one("#chart-kind", Select)
        assert "hour" not in [value for _, value in kinds._options]  # no hourly data
        await pilot.press("z")  # 24 months
        await settle(pilot)
        assert screen.months == 24
        assert "(01.12.2024 – 20.11.2026)" in stats(app) and stats(app) != year
        assert "rozłożone równo między odczytami" in screen.query_one(Chart).plt.build()


async def test_the_leak_marker_lands_on_the_night_hours_and_axes_use_a_decimal_comma(
    local: LocalBackend,
) -> None:
    from ibok_tui.domain.analytics import NIGHT_HOURS

    app = TabHarness(local, AnalysesScreen, customer="100003")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        chart = screen.query_one(Chart)
        screen.show_kind("hour")
        await settle(pilot)
        # 16.–20.11.2026 flowed every night hour: those 5 × 4 hours are marked, none other
        # (the whole days were; downsampling dropped some of the night hours)
        marked = chart.marked_at
        assert len(marked) == 5 * len(NIGHT_HOURS)
        assert {m.hour for m in marked} == set(NIGHT_HOURS)
        assert {m.day for m in marked} == {16, 17, 18, 19, 20}
        drawn = chart.plt.build()
        assert "możliwy wyciek" in drawn
        # the value axis in Polish notation: 0,5 not 0.5
        plain = Text.from_ansi(drawn).plain
        axis = [line.split("┤")[0].strip() for line in plain.splitlines() if "┤" in line]
        assert any("," in label for label in axis), axis
        assert not any("." in label for label in axis), axis


def pie_lines(pie: Pie) -> list[str]:
    return pie.render().plain.split("\n")


async def test_the_charges_pie_is_a_circle_with_its_legend(local: LocalBackend) -> None:
    app = TabHarness(local, AnalysesScreen, customer="100003")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnalysesScreen)
        await pilot.press("k", "k", "k", "k")  # day, month, year, period, charges
        await settle(pilot)
        assert screen.kind == "charges"
        pie = screen.query_one(Pie)
        assert pie.display and not screen.query_one(Chart).display
        lines = pie_lines(pie)
        assert lines[0].startswith("Struktura opłat brutto z")
        circle = [line for line in lines[1:] if "▀" in line or "▄" in line]
        assert len(circle) == pie.radius  # 2r pixel rows, two per cell row
        widest = max(len(line.split("  █")[0].strip()) for line in circle)
        assert widest == 2 * pie.radius  # as wide in columns as it is tall in pixels
        legend = [line for line in lines if "█ " in line]
        assert [line.split("█ ")[1].split("  ")[0] for line in legend] == [
            "woda",
            "ścieki",
            "abonament",
        ]
        total = 0.0
        for line in legend:
            percent = line.split("  ")[-2] if line.endswith("zł") else ""
            assert percent.endswith(" %") and "," in percent  # a decimal comma in Polish
            total += float(percent[:-2].replace(",", "."))
            assert line.endswith("\u00a0zł")  # and its amount
        assert total == pytest.approx(100, abs=0.2)
        # a small window: the legend alone, with a note
        await pilot.resize_terminal(60, 12)
        await settle(pilot)
        assert pie.radius == 0
        text = pie.render().plain
        assert "Za mało miejsca na wykres kołowy" in text and "█ woda" in text


async def test_a_hostile_sector_label_is_shown_literally(local: LocalBackend) -> None:
    app = TabHarness(local, AnalysesScreen, customer="100003")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pie = app.screen.query_one(Pie)
        pie.display = True
        pie.show(
            ["\x1b]0;pwned\x07[bold]x[/]", "ok\nsecond line"],
            [1, 3],
            title="t",
            amount=str,
        )
        await settle(pilot)
        text = pie.render()
        assert "\x1b" not in text.plain and "\x07" not in text.plain
        assert "[bold]x[/]" in text.plain  # markup not interpreted
        assert not any("bold" in str(span.style) for span in text.spans[1:])
        assert all("second line" not in line or "█" in line for line in text.plain.split("\n"))
