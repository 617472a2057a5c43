"""Odczyty: the meters with a filter, readings sorted by column, a smart meter's series."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from textual.widgets import DataTable, Input

from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.customer.readings import ReadingsScreen
from ibok_tui.widgets.reading_series import ReadingSeries
from tests.ui.tab_harness import TabHarness, local, service, settle  # noqa: F401


def column(table: DataTable[object], index: int) -> list[str]:
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


async def test_meters_filter_and_readings_of_the_chosen_meter(local: LocalBackend) -> None:
    app = TabHarness(local, ReadingsScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        meters = app.screen.query_one("#meter-table", DataTable)
        readings = app.screen.query_one("#reading-table", DataTable)
        assert column(meters, 0) == ["WK-1908-40211", "OG-2104-00518"]
        assert readings.row_count == 19
        first = readings.get_row_at(0)
        assert [str(c) for c in first] == [
            "19.11.2026",
            "920,003",
            "6,581",
            "samoodczyt iBOK",
            "oczekuje na import",
        ]
        app.screen.query_one("#meter-filter", Input).value = "ogród"
        await settle(pilot)
        assert column(meters, 0) == ["OG-2104-00518"]
        meters.move_cursor(row=0)
        await settle(pilot)
        assert readings.row_count == 11
        assert not app.screen.query_one(ReadingSeries).display  # monthly meter: no series


async def test_readings_sort_by_column(local: LocalBackend) -> None:
    app = TabHarness(local, ReadingsScreen, customer="200001")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#reading-table", DataTable)
        dates = column(table, 0)
        assert dates[0] == "31.10.2026"  # newest first
        assert dates == sorted(dates, key=lambda d: d[6:] + d[3:5] + d[:2], reverse=True)
        await pilot.press("s")  # the next column: index, ascending
        indexes = [int(v.replace(",", "").replace("\u00a0", "")) for v in column(table, 1)]
        assert indexes == sorted(indexes)
        await pilot.press("s")  # the same column again: descending
        again = [int(v.replace(",", "").replace("\u00a0", "")) for v in column(table, 1)]
        assert again == sorted(indexes, reverse=True)
        await pilot.click("#reading-table", offset=(30, 0))  # the consumption header
        await settle(pilot)
        used = [int(v.replace(",", "").replace("\u00a0", "")) for v in column(table, 2) if v != "—"]
        assert used == sorted(used) and str(
            table.columns[table.ordered_columns[2].key].label
        ).endswith("▲")


async def test_smart_meter_series_by_month_day_and_hour(local: LocalBackend) -> None:
    app = TabHarness(local, ReadingsScreen, customer="100003")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        series = app.screen.query_one(ReadingSeries)
        assert series.display and series.level == "month"
        table = series.table
        assert table.row_count == 26  # 25 months and the total
        await pilot.press("d")
        assert series.level == "day" and table.row_count == 751  # 750 days and the total
        await pilot.press("m")
        assert series.level == "month" and table.row_count == 26
        assert str(table.get_row_at(0)[0]) == "listopad 2026"  # newest first
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert series.level == "days" and table.row_count == 21  # 1-20 November + total
        assert str(table.get_row_at(0)[0]) == "20.11.2026"
        table.move_cursor(row=4)
        await pilot.press("enter")
        await settle(pilot)
        assert series.level == "hours" and series.hours_of is not None
        assert series.hours_of.isoformat() == "2026-11-16"
        assert table.row_count == 25
        hours = column(table, 0)
        assert hours[0] == "00:00" and hours[23] == "23:00"
        night = [int(v.replace(",", "")) for v in column(table, 1)[1:5]]
        assert min(night) >= 9  # the leak: flow in every night hour
        await pilot.press("backspace")
        assert series.level == "days"
        await pilot.press("backspace")
        assert series.level == "month"


async def test_english_labels_when_the_console_is_in_english(local: LocalBackend) -> None:
    from ibok_tui.i18n import set_language

    set_language("en")
    try:
        app = TabHarness(local, ReadingsScreen, customer="100002")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#reading-table", DataTable)
            labels = [str(column.label) for column in table.ordered_columns]
            assert labels == ["Date ▼", "Index [m³]", "Use [m³]", "Type", "Status"]
            assert [str(c) for c in table.get_row_at(0)][3:] == [
                "self (iBOK)",
                "waiting for import",
            ]
    finally:
        set_language("pl")


async def test_enter_on_a_reading_shows_its_history(local: LocalBackend) -> None:
    from datetime import date

    from textual.widgets import Static

    from ibok_tui.domain.models import ReadingSubmission
    from ibok_tui.screens.customer.reading_detail import ReadingDetail

    await local.login("100002", "Woda!Nowak2026")
    waiting = "R-M-WK-1908-40211-pending"
    await local.edit_reading(
        waiting, ReadingSubmission("M-WK-1908-40211", "921,000", read_on=date(2026, 11, 19))
    )
    app = TabHarness(local, ReadingsScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        readings = app.screen.query_one("#reading-table", DataTable)
        readings.focus()
        readings.move_cursor(row=0)  # newest first: the corrected one
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReadingDetail) and dialog.reading.id == waiting
        shown = str(dialog.query_one("VerticalScroll Static", Static).render())
        assert "Odczyt z 19.11.2026" in str(dialog.query_one(".title").render())
        lines = shown.splitlines()
        history = lines[lines.index("Historia") + 1 :]
        assert len(history) == 2
        assert "podany" in history[0] and "920,003 m³" in history[0] and "klient" in history[0]
        assert "poprawiony" in history[1] and "920,003 → 921,000 m³" in history[1]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReadingsScreen)


async def test_a_readings_detail_in_english_names_the_index_and_the_status_apart(
    local: LocalBackend,
) -> None:
    """Polish says "Stan" for a meter's index and for a meter's state; the detail's lines
    are translated as the index and the reading's type (in tmux both said "Status")."""
    from textual.widgets import Static

    from ibok_tui.i18n import set_language
    from ibok_tui.screens.customer.reading_detail import ReadingDetail

    await local.login("100002", "Woda!Nowak2026")
    set_language("en")
    try:
        app = TabHarness(local, ReadingsScreen, customer="100002")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            readings = app.screen.query_one("#reading-table", DataTable)
            readings.focus()
            readings.move_cursor(row=0)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReadingDetail)
            shown = str(app.screen.query_one("VerticalScroll Static", Static).render())
            labels = [line.split(":")[0] for line in shown.splitlines() if ":" in line]
            assert "Index" in labels and labels.count("Status") == 1, labels
            assert "Type" in labels, labels
    finally:
        set_language("pl")


async def test_a_reading_the_utility_recorded_shows_its_day_not_a_midnight_in_utc(
    local: LocalBackend,
) -> None:
    """The demo's history (the utility's readings, known by their day) showed 01:00, the
    midnight of UTC in Polish time: the step shows the reading's day alone."""
    import re

    from textual.widgets import Static

    from ibok_tui.domain.models import ReadingType
    from ibok_tui.screens.customer.reading_detail import ReadingDetail
    from ibok_tui.widgets.reading_format import day

    await local.login("100002", "Woda!Nowak2026")
    app = TabHarness(local, ReadingsScreen, customer="100002")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingsScreen) and screen.meter_id is not None
        readings = screen.order.apply(screen.readings[screen.meter_id])
        row = next(i for i, r in enumerate(readings) if r.type is not ReadingType.SELF)
        table = screen.query_one("#reading-table", DataTable)
        table.focus()
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReadingDetail) and dialog.reading.id == readings[row].id
        lines = str(dialog.query_one("VerticalScroll Static", Static).render()).splitlines()
        [step] = lines[lines.index("Historia") + 1 :]
        assert step.startswith(day(readings[row].read_on) + "  zarejestrowany"), step
        assert not re.search(r"\d\d:\d\d", step), step
