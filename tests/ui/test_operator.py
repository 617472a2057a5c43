"""The clerk's console: Klienci (search as you type, serve a customer under a banner, block
and unblock with a reason, the audit log) and what a customer's token may not do.

The helpers at the top are shared by the other operator and kiosk test modules."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from ibok_tui.app import IbokApp
from ibok_tui.domain.models import AccountStatus, Role
from ibok_tui.screens.clerk.audit import AuditDialog
from ibok_tui.screens.clerk.customers import SEARCH_DELAY, CustomersPane
from ibok_tui.screens.clerk.operator import OperatorScreen
from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.screens.forms.dialogs import ErrorDialog
from ibok_tui.screens.forms.reading_form import ReadingForm
from ibok_tui.screens.forms.request_form import RequestForm
from ibok_tui.session.kiosk import KioskPolicy
from ibok_tui.widgets.quick_controls import QuickToggle
from tests.ui.console_support import SIZE, Console, settle, text_of

OPERATOR_PASSWORDS = {"bok.anna": "Operator!2026a", "bok.marek": "Operator!2026m"}


def office_app(console: Console, *, kiosk: KioskPolicy | None = None) -> IbokApp:
    """The console over the test's portal, nobody signed in; the office's clock pinned."""
    app = IbokApp(
        console.backend(),
        config_file=console.config_file,
        profile="test",
        credentials=None,
        demo=True,
        downloads_dir=console.downloads,
        opener=console.opened.append,
        kiosk=kiosk,
    )
    app.clock = console.clock  # type: ignore[attr-defined]
    return app


async def sign_in_operator(pilot: Pilot[Any], login: str = "bok.anna") -> None:
    screen = pilot.app.screen
    screen.query_one("#operator", QuickToggle).value = True
    screen.query_one("#number", Input).value = login
    screen.query_one("#password", Input).value = OPERATOR_PASSWORDS[login]
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def search(pilot: Pilot[Any], text: str) -> DataTable[Any]:
    """Type into Klienci's search field and wait for the debounced search to finish."""
    field = pilot.app.screen.query_one("#customer-query", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause(SEARCH_DELAY * 2)
    await settle(pilot)
    return pilot.app.screen.query_one("#customers-table", DataTable)


def row_keys(table: DataTable[Any]) -> list[str]:
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


async def serve(pilot: Pilot[Any], number: str, query: str | None = None) -> None:
    """Find the customer in Klienci and open them (act for them)."""
    table = await search(pilot, query or number)
    table.focus()
    table.move_cursor(row=row_keys(table).index(number))
    await pilot.press("enter")
    await settle(pilot)


async def test_operator_gets_klienci_and_kolejka(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        assert isinstance(app.screen, OperatorScreen)
        header = text_of(app, "#operator-info")
        assert "Anna Kowalczyk" in header and "1 Klienci" in header and "2 Kolejka" in header
        assert app.focused is app.screen.query_one("#customer-query", Input)
        app.screen.query_one("#customers-table", DataTable).focus()
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one("ContentSwitcher").current == "queue-pane"  # type: ignore[attr-defined]
        await pilot.press("1")
        assert app.screen.query_one("ContentSwitcher").current == "customers-pane"  # type: ignore[attr-defined]


async def test_search_as_you_type_by_street_name_and_meter(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        table = await search(pilot, "Leśn")
        assert set(row_keys(table)) == {"100001", "100008"}
        assert "Znaleziono: 2" in text_of(app, "#customers-note")
        table = await search(pilot, "SM-2402")
        assert row_keys(table) == ["100003"]
        table = await search(pilot, "nikt-taki")
        assert table.row_count == 0
        assert "Brak klientów" in text_of(app, "#customers-note")
        table = await search(pilot, "x")
        assert table.row_count == 0
        assert "co najmniej 2 znaki" in text_of(app, "#customers-note")


async def test_typing_fast_searches_once_for_the_last_text(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        pane = app.screen.query_one(CustomersPane)
        calls: list[str] = []
        original = app.backend.search_customers

        async def counted(query: str) -> Any:
            calls.append(query)
            return await original(query)

        app.backend.search_customers = counted  # type: ignore[method-assign]
        await search(pilot, "Kowalski")
        assert calls == ["Kowalski"]
        assert pane.searched == "Kowalski"
        assert row_keys(app.screen.query_one("#customers-table", DataTable)) == ["100001"]


async def test_serving_a_customer_shows_their_tabs_under_a_banner(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        operator_backend = app.backend
        await serve(pilot, "100001", "Leśn")
        assert isinstance(app.screen, PulpitScreen)
        session = app.backend.session
        assert session is not None and session.role is Role.CUSTOMER
        assert (session.subject, session.acting_operator) == ("100001", "bok.anna")
        banner = text_of(app, "#acting-banner")
        assert "Jan Kowalski (100001)" in banner
        assert "obsługiwany przez Anna Kowalczyk" in banner
        await pilot.press("2")  # the customer's own tabs, through the delegated backend
        await settle(pilot)
        assert app.current_mode == "faktury"
        assert app.screen.query_one("#invoices-table", DataTable).row_count == 36
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen)
        assert app.backend is operator_backend
        assert app.desk is not None and not app.desk.serving
        for mode, stack in app._screen_stacks.items():
            assert mode in ("login", "operator"), f"{mode} kept the customer's screens"
            assert all("Kowalski" not in str(s.render()) for s in stack)


async def test_every_act_for_the_customer_is_in_the_audit_log(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot, "bok.marek")
        office = app.backend
        await serve(pilot, "100001")
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ReadingForm)
        app.screen.query_one("#index", Input).focus()
        await pilot.press(*"1019,5")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ReadingForm)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, RequestForm)
        app.screen.query_one("#subject", Input).value = "Cieknie zawór"
        app.screen.query_one("#body", TextArea).text = "Zawór przed wodomierzem przecieka."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RequestForm)
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, AuditDialog)
        shown = [entry.action for entry in app.screen.entries]
        assert shown[:3] == ["create_request", "submit_reading", "act_for"]
        assert "podanie odczytu" in _table_text(app.screen.query_one("#audit-table", DataTable))
        await pilot.press("escape")
        await settle(pilot)
        entries = await office.audit_log("100001")
    assert {(e.action, e.operator) for e in entries} >= {
        ("act_for", "bok.marek"),
        ("submit_reading", "bok.marek"),
        ("create_request", "bok.marek"),
    }
    assert all(e.customer_number == "100001" for e in entries)


async def test_blocking_and_unblocking_ask_for_a_reason(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        office = app.backend
        table = await search(pilot, "100002")
        table.focus()
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.click("#confirm")  # no reason: the dialog stays and says so
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        assert "Podaj powód" in text_of(app, "#reason-error")
        app.screen.query_one("#reason", Input).value = "podejrzenie przejęcia konta"
        await pilot.click("#confirm")
        await settle(pilot)
        [found] = await office.search_customers("100002")
        assert found.status is AccountStatus.BLOCKED_BY_OPERATOR
        assert "zablokowane" in _table_text(app.screen.query_one("#customers-table", DataTable))
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.click("#cancel")  # cancelled: nothing happens
        await settle(pilot)
        [still] = await office.search_customers("100002")
        assert still.status is AccountStatus.BLOCKED_BY_OPERATOR
        await pilot.press("u")
        await settle(pilot)
        app.screen.query_one("#reason", Input).value = "klient potwierdził tożsamość"
        await pilot.press("enter")
        await settle(pilot)
        [back] = await office.search_customers("100002")
        assert back.status is AccountStatus.ACTIVE
        audit = await office.audit_log("100002")
    assert [(e.action, e.detail) for e in audit][:2] == [
        ("unblock_account", "klient potwierdził tożsamość"),
        ("block_account", "podejrzenie przejęcia konta"),
    ]


async def test_a_customer_token_cannot_reach_operator_operations(console: Console) -> None:
    app = office_app(console)
    app.backend = console.backend("100001")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.add_mode("operator", OperatorScreen)
        await app.switch_mode("operator")
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)  # the queue refused
        assert "Brak dostępu" in _dialog_text(app)
        await pilot.press("escape")
        await settle(pilot)
        while isinstance(app.screen, ErrorDialog):
            await pilot.press("escape")
            await settle(pilot)
        desk = app.screen
        assert isinstance(desk, OperatorScreen)
        desk.query_one("#customer-query", Input).focus()
        await pilot.press(*"Leśn")
        await pilot.pause(SEARCH_DELAY * 2)
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "Brak dostępu" in _dialog_text(app)
        assert desk.query_one("#customers-table", DataTable).row_count == 0
        assert desk.query_one("#registrations-table", DataTable).row_count == 0
    office = console.service.operator_login("bok.anna", OPERATOR_PASSWORDS["bok.anna"])
    pending = console.service.pending_registrations(office.token)
    assert "100005" in [p.customer_number for p in pending]
    assert console.service.audit_log(office.token) == []


def _table_text(table: DataTable[Any]) -> str:
    rows = [table.get_row_at(i) for i in range(table.row_count)]
    return "\n".join(" ".join(str(cell) for cell in row) for row in rows)


def _dialog_text(app: IbokApp) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static))


async def test_an_expired_customer_session_returns_the_clerk_to_the_office(
    console: Console,
) -> None:
    from datetime import timedelta

    from ibok_tui.screens.account.reauth import ReauthDialog

    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_operator(pilot)
        office = app.backend
        await serve(pilot, "100001", "Leśn")
        assert isinstance(app.screen, PulpitScreen)
        console.clock.advance(timedelta(hours=9))  # past both 8-hour sessions
        await pilot.press("r")
        await settle(pilot)
        # never the customer's password: the clerk is back at the desk, asked for theirs
        assert app.backend is office
        assert isinstance(app.screen, ReauthDialog)
        assert (app.screen.customer_number, app.screen.operator) == ("bok.anna", True)
        app.screen.query_one("#reauth-password", Input).value = OPERATOR_PASSWORDS["bok.anna"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen)
        assert app.screen_stack[-1].query_one("#registrations-table", DataTable).row_count == 1
