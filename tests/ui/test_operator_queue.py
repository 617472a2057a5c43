"""Kolejka: registrations to activate or reject, requests by due date (overdue marked) to
reply to, re-status or close, readings to import (several at once), notices to publish."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TabbedContent, TextArea

from ibok_tui.domain.models import (
    NoticeKind,
    ReadingStatus,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
    RequestStatus,
)
from ibok_tui.screens.clerk.operator_dialogs import NoticeDialog, ReasonDialog, ReplyDialog
from ibok_tui.screens.clerk.queue import QueuePane
from ibok_tui.screens.clerk.registration_check import ActivateRegistrationDialog
from tests.ui.console_support import PASSWORDS, SIZE, Console, settle, text_of
from tests.ui.test_operator import office_app, row_keys, sign_in_operator


async def open_queue(pilot: Pilot[Any], section: str) -> QueuePane:
    app = pilot.app
    app.screen.query_one("#customers-table", DataTable).focus()
    await pilot.press("2")
    await settle(pilot)
    pane = app.screen.query_one(QueuePane)
    pane.show_section(section)
    await settle(pilot)
    return pane


def cells(table: DataTable[Any], column: str) -> list[str]:
    index = table.get_column_index(column)
    return [str(table.get_cell_at((row, index))) for row in range(table.row_count)]


def tab_label(pane: QueuePane, section: str) -> str:
    return str(pane.query_one("#queue-sections", TabbedContent).get_tab(section).label)


async def test_activate_a_pending_registration(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-registrations")
        table = pane.query_one("#registrations-table", DataTable)
        assert row_keys(table) == ["100005"]
        assert "Rejestracje (1)" in tab_label(pane, "queue-registrations")
        await pilot.press("a")
        await settle(pilot)
        # #14.6: what the registrant gave beside what the utility has, mismatches marked
        assert isinstance(app.screen, ActivateRegistrationDialog)
        lines = text_of(app, "#check-table").splitlines()
        [name] = [line for line in lines if "Tomasz Kaminski" in line]
        assert "Tomasz Kamiński" in name and "✗ niezgodne" in name
        [invoice] = [line for line in lines if "faktury" in line]
        assert invoice.count("FV/100005/") == 2 and "✓ zgodne" in invoice
        [email] = [line for line in lines if "E-mail" in line]
        assert "t.kaminski@poczta.example.pl" in email and "✗ niezgodne" in email
        assert "Niezgodności: 2" in text_of(app, "#check-summary")
        assert app.screen.focused is not None and app.screen.focused.id == "cancel"
        await pilot.press("enter")  # Enter by habit: the focused "Anuluj", nothing done
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#activate")
        await settle(pilot)
        assert table.row_count == 0
        assert "Rejestracje (0)" in tab_label(pane, "queue-registrations")
    assert console.service.login("100005", "Woda!Kaminski5").subject == "100005"


async def test_reject_a_registration_with_a_reason(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-registrations")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one("#reason", Input).value = "dane nie zgadzają się z umową"
        await pilot.press("enter")
        await settle(pilot)
        assert pane.query_one("#registrations-table", DataTable).row_count == 0
        office = app.backend
        [rejected] = await office.search_customers("100005")
        assert rejected.status == "rejected"
        [entry] = [e for e in await office.audit_log("100005") if e.action == "reject_registration"]
        assert entry.detail == "dane nie zgadzają się z umową"


async def test_requests_by_due_date_with_the_overdue_marked(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-requests")
        table = pane.query_one("#requests-table", DataTable)
        due = [r.due_date for r in pane.requests]
        assert due == sorted(due) and len(due) == table.row_count
        marks = cells(table, "due")
        today = console.clock().date()
        for request, mark in zip(pane.requests, marks, strict=True):
            assert ("po terminie" in mark) == (request.due_date < today), mark
        assert "po terminie" in marks[0]


async def test_reply_change_status_and_close_a_request(console: Console) -> None:
    anna = console.service.login("100002", PASSWORDS["100002"])
    created = console.service.create_request(
        anna.token, RequestDraft(RequestCategory.COMPLAINT, "Reklamacja", "Za wysoka faktura.")
    )
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-requests")
        table = pane.query_one("#requests-table", DataTable)
        table.move_cursor(row=row_keys(table).index(created.id))
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ReplyDialog)
        assert app.screen.query_one("#reply-status", Select).value == "in_progress"
        await pilot.press("ctrl+s")  # empty reply: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, ReplyDialog)
        app.screen.query_one("#reply-text", TextArea).text = "Sprawdzamy odczyt."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ReplyDialog)
        table.move_cursor(row=row_keys(table).index(created.id))
        await pilot.press("z")
        await settle(pilot)
        assert app.screen.query_one("#reply-status", Select).value == "closed"
        app.screen.query_one("#reply-text", TextArea).text = "Faktura jest prawidłowa."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert created.id not in row_keys(table)
    seen = console.service.request(anna.token, created.id)
    assert seen.status is RequestStatus.CLOSED
    assert [(e.status, e.text) for e in seen.history[1:]] == [
        (RequestStatus.IN_PROGRESS, "Sprawdzamy odczyt."),
        (RequestStatus.CLOSED, "Faktura jest prawidłowa."),
    ]


async def test_import_several_readings_at_once(console: Console) -> None:
    jan = console.service.login("100001", PASSWORDS["100001"])
    mine = console.service.submit_reading(jan.token, ReadingSubmission("M-WK-2209-11873", "1019,5"))
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-readings")
        table = pane.query_one("#readings-table", DataTable)
        keys = row_keys(table)
        assert mine.id in keys and "R-M-WK-1908-40211-pending" in keys
        await pilot.press("w")  # every reading marked
        assert cells(table, "mark") == ["✓"] * len(keys)
        await pilot.press("i")
        await settle(pilot)
        assert table.row_count == 0
    readings = console.service.readings(jan.token, "M-WK-2209-11873")
    assert (readings[-1].id, readings[-1].status) == (mine.id, ReadingStatus.ACCEPTED)


async def test_import_only_the_marked_reading(console: Console) -> None:
    jan = console.service.login("100001", PASSWORDS["100001"])
    mine = console.service.submit_reading(jan.token, ReadingSubmission("M-WK-2209-11873", "1019,5"))
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-readings")
        table = pane.query_one("#readings-table", DataTable)
        table.move_cursor(row=row_keys(table).index(mine.id))
        await pilot.press("space")
        assert pane.marked == {mine.id}
        await pilot.press("i")
        await settle(pilot)
        assert row_keys(table) == ["R-M-WK-1908-40211-pending"]


async def test_publish_a_notice(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-notices")
        before = pane.query_one("#notices-table", DataTable).row_count
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        dialog = app.screen
        dialog.query_one("#notice-title", Input).value = "Awaria: ul. Sosnowa"
        dialog.query_one("#notice-to", Input).value = "32.11.2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)  # no body, a wrong date: it stays
        dialog.query_one("#notice-body", TextArea).text = "Brak wody do godz. 16:00."
        dialog.query_one("#notice-to", Input).value = "22.11.2026"
        dialog.query_one("#notice-area", Input).value = "Zalesie Górne, ul. Sosnowa"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoticeDialog)
        table = pane.query_one("#notices-table", DataTable)
        assert table.row_count == before + 1
    [notice] = [n for n in console.service.notices() if n.title == "Awaria: ul. Sosnowa"]
    assert notice.kind is NoticeKind.FAILURE
    assert notice.area == "Zalesie Górne, ul. Sosnowa"


class _Refusing:
    def send(self, to: object, subject: str, body: str) -> None:
        raise ConnectionRefusedError("the mail server is away")


def routed_requests(console: Console) -> tuple[str, str]:
    """A failure whose mail went to the dispatcher and a complaint whose mail failed."""
    anna = console.service.login("100002", PASSWORDS["100002"])
    sent = console.service.create_request(
        anna.token, RequestDraft(RequestCategory.FAILURE, "Brak wody", "Od rana.")
    )
    working = console.service.core.mailer
    console.service.core.mailer = _Refusing()
    failed = console.service.create_request(
        anna.token, RequestDraft(RequestCategory.COMPLAINT, "Reklamacja", "Za wysoka faktura.")
    )
    console.service.core.mailer = working
    return sent.id, failed.id


async def test_the_queue_shows_where_each_request_went(console: Console) -> None:
    """Kartuzy: each request goes to its group of the utility's addresses; the clerk sees
    which group, when, and whether the mail went."""
    sent, failed = routed_requests(console)
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = await open_queue(pilot, "queue-requests")
        table = pane.query_one("#requests-table", DataTable)
        keys = row_keys(table)
        routes = cells(table, "route")
        assert routes[keys.index(sent)] == "dyspozytor ✓"
        assert routes[keys.index(failed)] == "reklamacje ✗"
        seeded = [k for k in keys if k not in (sent, failed)]
        assert seeded and all(routes[keys.index(k)] == "—" for k in seeded)  # from before
        line = pane.query_one("#request-route")
        table.move_cursor(row=keys.index(sent))
        await settle(pilot)
        shown = str(line.render())
        assert "dyspozytor (dyspozytor@wodociagi-zalesie.example.pl)" in shown
        assert "wysłano 21.11.2026 10:00" in shown
        table.move_cursor(row=keys.index(seeded[0]))
        await settle(pilot)
        assert "zanim wodociągi zaczęły" in str(line.render())

        table.move_cursor(row=keys.index(failed))
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReplyDialog)
        about = str(app.screen.query_one("#reply-about").render())
        assert "przekazano: reklamacje ✗" in about
