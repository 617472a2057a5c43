"""The notices in the console (issue #16.4): Ustawienia shows which notices the customer
gets by which channel and the last ones sent; the clerk's audit view shows the ledger."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import Button, DataTable

from ibok_tui.screens.account.notices import NoticesDialog
from ibok_tui.screens.clerk.audit import AuditDialog
from tests.support.notices import JAN, NOTICE_NOW, make_everything_due
from tests.ui.console_support import SIZE, SMALL, Console, settle
from tests.ui.test_operator import office_app, serve, sign_in_operator


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def send_due(console: Console) -> None:
    console.clock.now = NOTICE_NOW
    make_everything_due(console.service.store)
    assert console.service.notifier.run(timedelta(minutes=5)) is not None


async def open_notices(pilot: Any) -> NoticesDialog:
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, NoticesDialog)
    return dialog


async def test_ustawienia_shows_the_channels_and_the_notices_sent(console: Console) -> None:
    send_due(console)
    app = console.app(console.backend(JAN))
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_notices(pilot)
        channels = rows(dialog.query_one("#notices-channels", DataTable))
        # Jan consents to e-invoices, e-mail and SMS notices (this portal has no gateway:
        # what went, went by e-mail)
        assert [row[1:] for row in channels] == [["tak", "tak"]] * 6
        assert channels[0][0] == "nowa faktura"
        sent = rows(dialog.query_one("#notices-sent", DataTable))
        assert len(sent) == len(dialog.sent) == 6
        assert {row[2] for row in sent} == {"e-mail"} and {row[3] for row in sent} == {"wysłano"}
        assert any(row[4].startswith("Wymiana zasuwy") for row in sent)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NoticesDialog)


async def test_a_customer_without_consent_sees_no_channel_and_nothing_sent(
    console: Console,
) -> None:
    send_due(console)
    app = console.app(console.backend("100002"))
    async with app.run_test(size=SMALL) as pilot:
        dialog = await open_notices(pilot)
        channels = rows(dialog.query_one("#notices-channels", DataTable))
        assert {tuple(row[1:]) for row in channels} == {("—", "—")}
        assert dialog.query_one("#notices-sent", DataTable).row_count == 0
        note = str(dialog.query_one("#notices-note").render())
        assert "Nie wysłaliśmy jeszcze" in note


async def test_the_clerk_sees_the_ledger_in_the_audit_view(console: Console) -> None:
    send_due(console)
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        await serve(pilot, JAN)
        await pilot.press("f8")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AuditDialog)
        ledger = dialog.query_one("#audit-notices", DataTable)
        assert not ledger.display
        await pilot.click("#toggle")
        await settle(pilot)
        assert ledger.display and not dialog.query_one("#audit-table", DataTable).display
        shown = rows(ledger)
        assert len(shown) == 6 and {row[5] for row in shown} == {"jan.kowalski@example.pl"}
        assert str(dialog.query_one("#toggle", Button).label) == "Dziennik audytu"
        await pilot.click("#toggle")
        await settle(pilot)
        assert not ledger.display


def test_notices_dialog_snapshot(snap_compare: Any, console: Console) -> None:
    send_due(console)

    async def run_before(pilot: Any) -> None:
        await open_notices(pilot)

    app = console.app(console.backend(JAN))
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
