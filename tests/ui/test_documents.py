"""Dokumenty: a scan's place in the utility's document workflow in a Status column that
filters and sorts, its detail with the workflow's history (Enter), and the clerk's key that
moves a scan on (a rejection with its reason) while serving the customer."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from ibok_tui.backends.local import LocalBackend
from ibok_tui.domain.models import Document, ScanStatus
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


async def clerk_serving_jan(
    local: LocalBackend, service: PortalService
) -> tuple[Document, TabHarness]:
    """Jan's new scan, and Dokumenty with a clerk (bok.anna) serving him."""
    await local.login("100001", "Woda!Kowalski1")
    sent = await local.upload_contract_scan(CONTRACT, "umowa.pdf", scans.pdf())
    office = LocalBackend(service)
    await office.operator_login("bok.anna", "Operator!2026a")
    app = TabHarness(local, DocumentsScreen)
    app.clerk_backend = office
    return sent, app


async def test_the_clerk_serving_the_customer_moves_a_scan_on(
    local: LocalBackend, service: PortalService
) -> None:
    sent, app = await clerk_serving_jan(local, service)
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


async def _reject_dialog(pilot: Pilot[Any], app: TabHarness, doc: str) -> Any:
    """The clerk's `z` on the scan, then "odrzucony": the reason's dialog."""
    table = app.screen.query_one(DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(doc))
    await pilot.press("z")
    await settle(pilot)
    await choose(pilot, "rejected")
    assert type(app.screen).__name__ == "ReasonDialog"
    return app.screen


async def test_a_refused_rejection_keeps_the_dialog_and_the_typed_reason(
    local: LocalBackend, service: PortalService
) -> None:
    """Another clerk accepted the scan while this one typed the reason: the server's
    refusal is shown under the field, the dialog stays with the reason in it."""
    sent, app = await clerk_serving_jan(local, service)
    other = LocalBackend(service)
    await other.operator_login("bok.marek", "Operator!2026m")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = await _reject_dialog(pilot, app, sent.id)
        await pilot.press(*"Brak podpisu")
        await other.accept_contract_scan(sent.id)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        refusal = str(dialog.query_one("#reason-error", Static).render())
        assert refusal.startswith("Obieg dokumentów nie pozwala na taką zmianę statusu")
        assert dialog.query_one("#reason", Input).value == "Brak podpisu"
        assert dialog.focused is dialog.query_one("#reason", Input)
    [scan] = [d for d in await local.documents() if d.id == sent.id]
    assert scan.scan_status is ScanStatus.ACCEPTED


async def test_a_reason_over_the_limit_is_refused_before_it_is_sent_and_kept(
    local: LocalBackend, service: PortalService
) -> None:
    sent, app = await clerk_serving_jan(local, service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = await _reject_dialog(pilot, app, sent.id)
        counter = dialog.query_one("#reason-count", Static)
        assert str(counter.render()) == "0/500"  # the server's bound on a scan's reason
        field = dialog.query_one("#reason", Input)
        await pilot.press(*"Brak")
        assert str(counter.render()) == "4/500" and not counter.has_class("-over")
        field.value = "x" * 501  # a paste
        await settle(pilot)
        assert str(counter.render()) == "501/500" and counter.has_class("-over")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "500" in str(dialog.query_one("#reason-error", Static).render())
        assert field.value == "x" * 501
        [still] = [d for d in await local.documents() if d.id == sent.id]
        assert still.scan_status is ScanStatus.SUBMITTED and len(still.history) == 1
        field.value = "x" * 500
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
    [scan] = [d for d in await local.documents() if d.id == sent.id]
    assert (scan.scan_status, scan.history[-1].reason) == (ScanStatus.REJECTED, "x" * 500)
