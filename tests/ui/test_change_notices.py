"""Lists that are true (#14.4): a write made in one tab or dialog is on every other open tab
at once, by the backend's change notice (backends/changes.py), without `r`."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.screens.customer.readings import ReadingsScreen
from ibok_tui.screens.customer.requests import RequestsScreen
from ibok_tui.screens.forms.reading_form import ReadingForm
from ibok_tui.screens.forms.request_form import RequestForm
from tests.ui.console_support import SIZE, Console, settle, sign_in
from tests.ui.test_operator import row_keys, serve, sign_in_operator
from tests.ui.test_operator_queue import open_queue

JAN_METER = "M-WK-2209-11873"


def cells(table: DataTable[Any]) -> list[str]:
    return [" ".join(map(str, table.get_row_at(row))) for row in range(table.row_count)]


async def visit(pilot: Pilot[Any], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_a_reading_sent_from_pulpit_is_in_odczyty_without_r(console: Console) -> None:
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "100001")
        await visit(pilot, "4")  # Odczyty loaded before the reading is sent
        odczyty = app.screen
        assert isinstance(odczyty, ReadingsScreen)
        table = odczyty.query_one("#reading-table", DataTable)
        before = table.row_count
        assert not any("1 019,500" in row for row in cells(table))
        await visit(pilot, "1")
        assert isinstance(app.screen, PulpitScreen)
        await visit(pilot, "o")
        form = app.screen
        assert isinstance(form, ReadingForm)
        form.query_one("#index", Input).value = "1019,5"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen)
        await visit(pilot, "4")
        assert app.screen is odczyty  # the same screen, not made again
        await settle(pilot)
        assert table.row_count == before + 1
        assert any("1 019,500" in row.replace("\u00a0", " ") for row in cells(table))


async def test_a_request_sent_from_wodomierze_is_in_zgloszenia(console: Console) -> None:
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "100002")
        await visit(pilot, "6")  # Zgłoszenia loaded first
        zgloszenia = app.screen
        assert isinstance(zgloszenia, RequestsScreen)
        table = zgloszenia.query_one("#request-table", DataTable)
        before = set(row_keys(table))
        await visit(pilot, "5")
        app.screen.query_one("#meters-table", DataTable).move_cursor(row=1)
        await settle(pilot)
        await visit(pilot, "g")  # a garden meter installed: a request
        form = app.screen
        assert isinstance(form, RequestForm)
        form.query_one("#body", TextArea).load_text("Proszę o montaż.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await visit(pilot, "6")
        assert app.screen is zgloszenia
        await settle(pilot)
        added = set(row_keys(table)) - before
        assert len(added) == 1
        assert any(r.body == "Proszę o montaż." for r in zgloszenia.items if r.id in added)


async def test_a_request_filed_at_the_desk_is_in_the_clerks_queue(console: Console) -> None:
    from tests.ui.test_operator import office_app

    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-requests")
        queue = pane.query_one("#requests-table", DataTable)
        before = set(row_keys(queue))
        await pilot.press("1")
        await settle(pilot)
        await serve(pilot, "100001")
        await visit(pilot, "f7")
        form = app.screen
        assert isinstance(form, RequestForm)
        form.query_one("#subject", Input).value = "Duplikat faktury"
        form.query_one("#body", TextArea).load_text("Proszę o duplikat.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await visit(pilot, "f9")  # back to the office's tabs
        pane.show_section("queue-requests")
        await settle(pilot)
        assert len(set(row_keys(queue)) - before) == 1
