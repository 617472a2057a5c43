"""The tabs made ahead of the user (tabs.py, `TabModes.make_ahead`): while the user reads a
tab, the next ones are made, loaded and drawn, so that their first visit shows their data
at once; what they show is what a tab made on its visit shows; a failure there waits for
the visit; nothing is made after a logout."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from ibok_tui.app import IbokApp
from ibok_tui.screens.customer.invoices import InvoicesScreen
from ibok_tui.screens.customer.settlements import SettlementsScreen
from ibok_tui.screens.forms.dialogs import ErrorDialog
from ibok_tui.widgets.tables import table_content
from ibok_tui.widgets.textual_internals import installed_screens
from tests.ui.console_support import SIZE, Console, settle
from tests.ui.test_failing_backend import FailingBackend


def made(app: IbokApp, kind: type[Any]) -> Any:
    found = [s for s in installed_screens(app) if isinstance(s, kind)]
    return found[0] if found else None


async def read_until(pilot: Pilot[Any], ready: Any, seconds: float = 20.0) -> None:
    """The user reads (nothing pressed) until `ready()` or `seconds` pass."""
    for _ in range(int(seconds / 0.1)):
        if ready():
            return
        await asyncio.sleep(0.1)
        await pilot.pause()
    raise AssertionError("not made ahead in time")


def rows(screen: Any, table_id: str) -> list[list[object]]:
    return table_content(screen.query_one(table_id, DataTable))[1]


class CountingBackend(FailingBackend):
    """The real backend, counting its calls (and failing one when armed)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        target = super().__getattr__(name)
        if not callable(target) or not asyncio.iscoroutinefunction(target):
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return await target(*args, **kwargs)

        return call


async def test_the_next_tabs_are_made_with_their_data_while_the_user_reads(
    console: Console,
) -> None:
    backend = CountingBackend(console.backend("200001"))
    app = console.app(backend, tabs_ahead=2)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == "pulpit"

        def both_drawn() -> bool:
            tabs = [made(app, InvoicesScreen), made(app, SettlementsScreen)]
            return all(t is not None and t.drawn_ahead for t in tabs)

        await read_until(pilot, both_drawn)
        invoices = made(app, InvoicesScreen)
        assert "invoices" in backend.calls and rows(invoices, "#invoices-table")
        assert app.current_mode == "pulpit" and not isinstance(app.screen, ErrorDialog)
        calls = len(backend.calls)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is invoices and not invoices.made_ahead  # shown now
        assert backend.calls[calls:] == []  # its data was there: no call on the visit
        ahead = rows(invoices, "#invoices-table")
    # the same rows as a tab made when its key is pressed
    plain = console.app(console.backend("200001"))
    async with plain.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert made(plain, SettlementsScreen) is None  # nothing made ahead here
        assert rows(plain.screen, "#invoices-table") == ahead


async def test_a_failure_of_a_tab_made_ahead_waits_for_its_visit(console: Console) -> None:
    backend = CountingBackend(console.backend("200001"))
    app = console.app(backend, tabs_ahead=1)  # type: ignore[arg-type]
    backend.arm(TimeoutError, only="invoices")  # Pulpit makes no such call
    async with app.run_test(size=SIZE) as pilot:
        await read_until(pilot, lambda: backend.failed == ["invoices"])
        await read_until(pilot, lambda: made(app, InvoicesScreen).drawn_ahead)
        await settle(pilot)
        assert app.current_mode == "pulpit" and not isinstance(app.screen, ErrorDialog)
        backend.arm(TimeoutError, only="invoices")  # still failing when the user comes
        await pilot.press("2")
        await settle(pilot)
        assert backend.failed == ["invoices", "invoices"]  # it loaded again, and says so
        assert isinstance(app.screen, ErrorDialog)
        await pilot.press("escape")
        await pilot.press("r")  # the backend well again: the tab loads
        await settle(pilot)
        assert rows(app.screen, "#invoices-table")


async def test_nothing_is_made_ahead_after_a_logout(console: Console) -> None:
    backend = CountingBackend(console.backend("200001"))
    app = console.app(backend, tabs_ahead=2)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+x")  # before the user was quiet long enough
        await settle(pilot)
        assert app.current_mode == "login"
        calls = len(backend.calls)
        await asyncio.sleep(1.5)
        await settle(pilot)
        assert made(app, InvoicesScreen) is None and made(app, SettlementsScreen) is None
        assert "invoices" not in backend.calls[calls:]


async def test_a_new_tab_is_not_restyled_on_its_first_visit(console: Console) -> None:
    """Its widgets were styled as they were mounted: Textual's restyle of every widget on
    the two resumes of a first visit (`App._init_mode`, `switch_mode`) is spared."""
    app = console.app(console.backend("200001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        restyled: list[Any] = []
        update_styles = app.update_styles

        def counted(node: Any, animate: bool = True) -> None:
            restyled.append(node)
            update_styles(node, animate=animate)

        app.update_styles = counted  # type: ignore[method-assign]
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen) and rows(screen, "#invoices-table")
        assert screen not in restyled
        # a theme changed since: the tab is restyled when it is shown (here at once)
        await pilot.press("1")
        await settle(pilot)
        restyled.clear()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is screen and restyled


async def test_a_tab_made_ahead_is_shown_from_what_was_drawn_then(console: Console) -> None:
    """Its table fitted its columns to its width before it was drawn ahead (laid out, then
    drawn): on the visit not one of its cells is rendered again, as on a return (the
    draw before the fitting was thrown away, and Faktury's first visit rendered them all)."""
    app = console.app(console.backend("200001"), tabs_ahead=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await read_until(pilot, lambda: made(app, InvoicesScreen) is not None)
        invoices = made(app, InvoicesScreen)
        await read_until(pilot, lambda: invoices.drawn_ahead)
        await settle(pilot)
        table = invoices.query_one("#invoices-table", DataTable)
        rendered: list[object] = []
        render_cell = table._render_cell

        def counted(*args: Any, **kwargs: Any) -> Any:
            rendered.append(args)
            return render_cell(*args, **kwargs)

        table._render_cell = counted  # type: ignore[method-assign]
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is invoices and rows(invoices, "#invoices-table")
        assert rendered == []
