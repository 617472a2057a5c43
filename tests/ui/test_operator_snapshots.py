"""Snapshots of the clerk's console (pinned clock, no animations): Klienci with results,
Kolejka's requests with the overdue marked, a customer served under the banner, and the
kiosk's login and Klienci at 80×24 in the high-contrast theme."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable

from ibok_tui.screens.clerk.queue import QueuePane
from ibok_tui.session.kiosk import KioskPolicy
from tests.ui.console_support import SIZE, SMALL, Console, settle
from tests.ui.test_operator import office_app, search, serve, sign_in_operator


def _klienci(query: str) -> Any:
    async def before(pilot: Any) -> None:
        await sign_in_operator(pilot)
        table = await search(pilot, query)
        table.focus()
        await settle(pilot)

    return before


def _kolejka(section: str) -> Any:
    async def before(pilot: Any) -> None:
        await sign_in_operator(pilot)
        pilot.app.screen.query_one("#customers-table", DataTable).focus()
        await pilot.press("2")
        await settle(pilot)
        pilot.app.screen.query_one(QueuePane).show_section(section)
        await settle(pilot)

    return before


def test_klienci_found_by_street(snap_compare: Any, console: Console) -> None:
    assert snap_compare(office_app(console), terminal_size=SIZE, run_before=_klienci("Leśn"))


def test_klienci_at_80x24(snap_compare: Any, console: Console) -> None:
    assert snap_compare(office_app(console), terminal_size=SMALL, run_before=_klienci("Kow"))


def test_kolejka_requests_by_due_date(snap_compare: Any, console: Console) -> None:
    app = office_app(console)
    assert snap_compare(app, terminal_size=SIZE, run_before=_kolejka("queue-requests"))


def test_kolejka_readings_at_80x24(snap_compare: Any, console: Console) -> None:
    app = office_app(console)
    assert snap_compare(app, terminal_size=SMALL, run_before=_kolejka("queue-readings"))


def test_kolejka_registrations_at_80x24(snap_compare: Any, console: Console) -> None:
    app = office_app(console)
    assert snap_compare(app, terminal_size=SMALL, run_before=_kolejka("queue-registrations"))


def test_a_served_customer_under_the_banner(snap_compare: Any, console: Console) -> None:
    async def before(pilot: Any) -> None:
        await sign_in_operator(pilot)
        await serve(pilot, "100002", "Nowak")
        await settle(pilot)

    assert snap_compare(office_app(console), terminal_size=SIZE, run_before=before)


def test_kiosk_login_at_80x24(snap_compare: Any, console: Console) -> None:
    app = office_app(console, kiosk=KioskPolicy(idle_seconds=3600))
    app.demo = False

    async def before(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=before)


def test_kiosk_klienci_at_80x24(snap_compare: Any, console: Console) -> None:
    app = office_app(console, kiosk=KioskPolicy(idle_seconds=3600))
    assert snap_compare(app, terminal_size=SMALL, run_before=_klienci("Leśn"))


def test_kolejka_requests_with_their_routes(snap_compare: Any, console: Console) -> None:
    from tests.ui.test_operator_queue import routed_requests

    routed_requests(console)
    app = office_app(console)
    assert snap_compare(app, terminal_size=SIZE, run_before=_kolejka("queue-requests"))
