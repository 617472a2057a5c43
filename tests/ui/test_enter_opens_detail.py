"""#14.1: Enter on a row opens its detail, in every list of the customer's console and the
clerk's that has one (it was checked in Rozrachunki only). Odczyty's rows get theirs from
the reading-history work; a reading waiting for import in Kolejka is all in its row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, TabbedContent

from ibok_tui.screens.clerk.audit import AuditDialog
from ibok_tui.screens.clerk.operator_dialogs import ReplyDialog
from ibok_tui.screens.clerk.queue import QueuePane
from ibok_tui.screens.clerk.registration_check import ActivateRegistrationDialog
from ibok_tui.screens.customer.document_detail import DocumentDetail
from ibok_tui.screens.customer.reading_detail import ReadingDetail
from ibok_tui.screens.forms.dialogs import TextDialog
from ibok_tui.screens.forms.invoice_detail import InvoiceDialog
from tests.ui.console_support import SIZE, Console, settle
from tests.ui.test_operator import office_app, sign_in_operator

Shown = Callable[[Screen[Any], Console], bool]


def text_about(word: str) -> Shown:
    """A text dialog whose title or body names `word` (the row's number, serial, title)."""

    def shown(screen: Screen[Any], _console: Console) -> bool:
        if not isinstance(screen, TextDialog):
            return False
        return word in f"{screen.title_text}\n{screen.body}"

    return shown


def a(dialog: type[Screen[Any]]) -> Shown:
    return lambda screen, _console: isinstance(screen, dialog)


def first_cell(table: DataTable[Any], column: int = 0) -> str:
    return str(table.get_row_at(0)[column])


# the customer's tabs: (tab key, the list, the column that names the row, what Enter opens)
CUSTOMER_LISTS: dict[str, tuple[str, str, int | None, Callable[[str], Shown]]] = {
    "faktury": ("2", "#invoices-table", None, lambda _row: a(InvoiceDialog)),
    "rozrachunki": ("3", "#settlements-table", None, lambda _row: a(InvoiceDialog)),
    "wodomierze": ("5", "#meters-table", 0, text_about),
    "zgloszenia": ("6", "#request-table", 0, text_about),
    "umowy": ("8", "#contracts-table", 0, text_about),
    "odczyty": ("4", "#reading-table", None, lambda _row: a(ReadingDetail)),
    "dokumenty": ("9", "#documents-table", None, lambda _row: a(DocumentDetail)),
}


async def _press_enter_on_the_first_row(pilot: Pilot[Any], table: DataTable[Any]) -> None:
    table.focus()
    table.move_cursor(row=0)
    await pilot.press("enter")
    await settle(pilot, rounds=5)


@pytest.mark.parametrize("name", list(CUSTOMER_LISTS))
async def test_enter_on_a_row_of_a_customer_tab_opens_its_detail(
    console: Console, name: str
) -> None:
    key, selector, column, expected = CUSTOMER_LISTS[name]
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot, rounds=5)
        table = app.screen.query_one(selector, DataTable)
        assert table.row_count > 0, f"{name}: nothing to open"
        row = first_cell(table, column) if column is not None else ""
        tab = app.screen
        await _press_enter_on_the_first_row(pilot, table)
        assert app.screen is not tab, f"{name}: Enter opened nothing"
        assert expected(row)(app.screen, console), f"{name}: {app.screen!r}"


# the clerk's Kolejka: (its section, the list, what Enter opens)
QUEUE_LISTS: dict[str, tuple[str, str, Shown]] = {
    "registrations": ("queue-registrations", "#registrations-table", a(ActivateRegistrationDialog)),
    "requests": ("queue-requests", "#requests-table", a(ReplyDialog)),
    "notices": ("queue-notices", "#notices-table", a(TextDialog)),
}


async def _queue(pilot: Pilot[Any], section: str) -> QueuePane:
    app = pilot.app
    await pilot.press("2")
    await settle(pilot)
    pane = app.screen.query_one(QueuePane)
    pane.show_section(section)
    await settle(pilot)
    assert pane.query_one("#queue-sections", TabbedContent).active == section
    return pane


@pytest.mark.parametrize("name", list(QUEUE_LISTS))
async def test_enter_on_a_row_of_the_clerks_queue_opens_its_detail(
    console: Console, name: str
) -> None:
    section, selector, expected = QUEUE_LISTS[name]
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await _queue(pilot, section)
        if name == "notices" and not pane.notices:
            pytest.fail("the demo has no notice to open")
        table = pane.query_one(selector, DataTable)
        await _press_enter_on_the_first_row(pilot, table)
        assert expected(app.screen, console), f"{name}: {app.screen!r}"
        if name == "notices":
            assert pane.notices[0].title == app.screen.title_text  # type: ignore[attr-defined]


async def test_enter_on_a_customer_in_klienci_serves_them_and_on_an_audit_entry_shows_it(
    console: Console,
) -> None:
    from ibok_tui.screens.customer.pulpit import PulpitScreen
    from tests.ui.test_operator import serve

    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        await serve(pilot, "100001")  # Enter on the customer's row
        assert isinstance(app.screen, PulpitScreen)
        await pilot.press("f8")  # the served customer's audit log: a list of its own
        await settle(pilot)
        audit = app.screen
        assert isinstance(audit, AuditDialog) and audit.entries  # act_for, at least
        entries = audit.query_one("#audit-table", DataTable)
        await _press_enter_on_the_first_row(pilot, entries)
        assert isinstance(app.screen, TextDialog) and app.screen is not audit
        assert "act_for" not in str(app.screen.body)  # the action in words, as in the list
        assert "bok.anna" in str(app.screen.body)
