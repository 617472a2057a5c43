"""Dokumenty: a scan's place in the utility's document workflow in a Status column that
filters and sorts, its detail with the workflow's history (Enter), and the clerk's key that
moves a scan on (a rejection with its reason) while serving the customer."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from ibok_tui.backends.local import LocalBackend
from ibok_tui.domain.models import ScanStatus
from ibok_tui.portal.service import PortalService
from ibok_tui.screens.customer.document_detail import DocumentDetail
from ibok_tui.screens.customer.documents import DocumentsScreen
from tests.support import scans
from tests.ui.tab_harness import TabHarness, local, service, settle  # noqa: F401
from tests.ui.test_drafts import choose

CONTRACT = "UM/2023/100001-1"


def cells(table: DataTable[object], column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def test_the_customer_sees_each_scans_status_and_its_history(
    local: LocalBackend, service: PortalService
) -> None:
    await local.login("100001", "Woda!Kowalski1")
    kept = await local.upload_contract_scan(CONTRACT, "umowa.pdf", scans.pdf())
    refused = await local.upload_contract_scan(CONTRACT, "strona2.png", scans.png())
    office = LocalBackend(service)
    await office.operator_login("bok.anna", "Operator!2026a")
    await office.set_scan_status(refused.id, ScanStatus.IN_REVIEW)
    await office.set_scan_status(refused.id, ScanStatus.REJECTED, "[b]Nieczytelna[/b] strona")
    await office.accept_contract_scan(kept.id)
    app = TabHarness(local, DocumentsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert "Status" in str(table.columns[table.ordered_columns[3].key].label)
        statuses = dict(zip(cells(table, 4), cells(table, 3), strict=True))
        assert statuses["strona2.png"] == "odrzucony"
        assert statuses["umowa.pdf"] == "przyjęty przez wodociągi"
        assert set(statuses.values()) - {"odrzucony", "przyjęty przez wodociągi"} == {"—"}
        app.screen.query_one("#document-filter", Input).value = "odrzuc"
        await settle(pilot)
        assert cells(table, 4) == ["strona2.png"]
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DocumentDetail) and detail.document.id == refused.id
        shown = str(detail.query_one("VerticalScroll Static", Static).render())
        lines = shown.splitlines()
        steps = lines[lines.index("Obieg dokumentu") + 1 :]
        assert "czeka na przyjęcie" in steps[0] and "klient" in steps[0]
        assert "w weryfikacji" in steps[1]
        assert "odrzucony" in steps[2]
        assert steps[3].strip() == "powód: [b]Nieczytelna[/b] strona"  # markup shown literally
        assert "Możesz go jeszcze wycofać" in shown
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#document-filter", Input).value = ""
        await settle(pilot)
        assert app.screen.check_action("scan_status", ()) is False  # the office's key only
        table.focus()
        await pilot.press("s", "s", "s", "s", "s")  # date ▼ to title ▲▼, kind ▲▼: status ▲
        await settle(pilot)
        assert str(table.columns[table.ordered_columns[3].key].label).endswith("▲")
        ordered = cells(table, 3)
        assert ordered == sorted(ordered, key=lambda s: "" if s == "—" else s)  # no status first


async def test_the_clerk_serving_the_customer_moves_a_scan_on(
    local: LocalBackend, service: PortalService
) -> None:
    await local.login("100001", "Woda!Kowalski1")
    sent = await local.upload_contract_scan(CONTRACT, "umowa.pdf", scans.pdf())
    office = LocalBackend(service)
    await office.operator_login("bok.anna", "Operator!2026a")
    app = TabHarness(local, DocumentsScreen)
    app.clerk_backend = office
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index(sent.id))
        await pilot.press("z")
        await settle(pilot)
        await choose(pilot, "rejected")
        assert type(app.screen).__name__ == "ReasonDialog"
        app.screen.query_one("#reason", Input).value = "Brak podpisu"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        row = table.get_row(sent.id)
        assert str(row[3]) == "odrzucony"
    [scan] = [d for d in await local.documents() if d.id == sent.id]
    assert scan.scan_status is ScanStatus.REJECTED
    assert (scan.history[-1].author, scan.history[-1].reason) == ("Anna Kowalczyk", "Brak podpisu")
