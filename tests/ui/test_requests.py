"""Zgłoszenia: new request (validation keeps the content, no double filing), list, detail."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Input, Select, Static, TextArea

from ibok_tui.backends.local import LocalBackend
from ibok_tui.domain.models import RequestCategory
from ibok_tui.portal.service import PortalService
from ibok_tui.screens.customer.requests import RequestsScreen
from ibok_tui.screens.forms.request_form import RequestForm
from tests.support.flaky import FailFirstCall
from tests.ui.tab_harness import TabHarness, local, service, settle  # noqa: F401


def plain(app: TabHarness, selector: str) -> str:
    content = app.screen.query_one(selector, Static).content
    return content.plain if isinstance(content, Text) else str(content)


async def test_list_filter_sort_and_history(local: LocalBackend) -> None:
    app = TabHarness(local, RequestsScreen, customer="100004")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#request-table", DataTable)
        assert table.row_count == 6
        assert str(table.get_row_at(0)[0]) == "ZG/2026/000009"  # newest first
        await pilot.press("s")  # created, ascending
        assert str(table.get_row_at(0)[0]) == "ZG/2026/000001"
        app.screen.query_one("#status-filter", Select).value = "open"
        await settle(pilot)
        assert {str(table.get_row_at(i)[3]) for i in range(table.row_count)} == {
            "nowe",
            "czeka na klienta",
            "w realizacji",
        }
        app.screen.query_one("#status-filter", Select).value = "all"
        app.screen.query_one("#request-filter", Input).value = "reklamacja"
        await settle(pilot)
        assert table.row_count == 1
        table.move_cursor(row=0)
        await settle(pilot)
        text = plain(app, "#request-body")
        assert "Reklamacja: odpowiedź w ciągu 14 dni od złożenia, do 07.08.2026." in text
        assert text.count("\n") >= 5 and "Historia" in text and "odpowiedziane" in text


async def test_garden_request_detail_names_its_meter(local: LocalBackend) -> None:
    app = TabHarness(local, RequestsScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = plain(app, "#request-body")
        assert "wodomierz ogrodowy: wymiana, w realizacji" in text
        assert "Wodomierz: OG-2104-00518 (ogród, kran przy tarasie)" in text


async def test_complaint_is_filed_with_its_14_day_deadline(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, RequestsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RequestForm)
        form.query_one("#category", Select).value = RequestCategory.COMPLAINT
        await settle(pilot)
        assert "14 dni" in plain(app, "#deadline")
        await pilot.press("ctrl+s")  # empty: refused, nothing lost
        await settle(pilot)
        assert app.screen is form
        assert plain(app, "#error-subject") == "Podaj temat zgłoszenia."
        assert plain(app, "#error-body") == "Wpisz treść."
        form.query_one("#subject", Input).value = "Faktura FV/100001/036"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.query_one("#subject", Input).value
        assert plain(app, "#error-subject") == ""
        form.query_one("#body", TextArea).load_text("Zużycie zawyżone.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RequestsScreen)
        text = plain(app, "#request-body")
        assert "Reklamacja: odpowiedź w ciągu 14 dni od złożenia, do 05.12.2026." in text
        assert "Zostało dni: 14." in text
    rows = service.store.all("SELECT * FROM requests WHERE customer_number = '100001'")
    assert [r["category"] for r in rows].count("complaint") == 1


async def test_retry_after_unavailable_files_once(
    local: LocalBackend, service: PortalService
) -> None:
    flaky = FailFirstCall(local, "create_request", lose_response=True)
    app = TabHarness(flaky, RequestsScreen)  # type: ignore[arg-type]
    before = len(service.store.all("SELECT id FROM requests"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#subject", Input).value = "Brak wody"
        form.query_one("#body", TextArea).load_text("Od rana nie ma wody.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "Nie można połączyć się" in plain(app, "#request-problem")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RequestsScreen)
    keys = [call["idempotency_key"] for call in flaky.calls]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(service.store.all("SELECT id FROM requests")) == before + 1
