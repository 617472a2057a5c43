"""Submitting a reading through the dialog: every rule, edit, withdraw, retry."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Checkbox, DataTable, Input, Static

from ibok_tui.backends.local import LocalBackend
from ibok_tui.portal.service import PortalService
from ibok_tui.screens.customer.readings import ReadingsScreen
from ibok_tui.screens.forms.dialogs import ConfirmDialog
from ibok_tui.screens.forms.reading_form import ReadingForm
from tests.support.flaky import FailFirstCall
from tests.ui.tab_harness import TabHarness, local, service, settle  # noqa: F401

HOUSEHOLD = "M-WK-2209-11873"  # 100001: last reading 31.10.2026, 1 012,814 m³
NOWAK_MAIN = "M-WK-1908-40211"  # 100002: a reading waiting for import on 19.11.2026


def pending(service: PortalService, meter_id: str) -> list[Any]:
    return service.store.all(
        "SELECT * FROM readings WHERE meter_id = ? AND status = 'pending'", (meter_id,)
    )


def text_of(app: TabHarness, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def open_form(pilot: Any) -> ReadingForm:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ReadingForm)
    return form


async def type_index(pilot: Any, value: str) -> None:
    field = pilot.app.screen.query_one("#index", Input)
    field.value = value
    await settle(pilot)


async def test_reading_is_accepted_and_shown_waiting_for_import(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        assert "1 012,814" in text_of(app, "#last").replace("\u00a0", " ")
        await type_index(pilot, "1 018,5")
        assert "5,686" in text_of(app, "#verdict")  # consumption as you type
        await pilot.press("enter")  # in the index field: send
        await settle(pilot)
        assert app.screen is not form
        table = app.screen.query_one("#reading-table", DataTable)
        first = table.get_row_at(0)
        assert str(first[1]).replace("\u00a0", " ") == "1 018,500"
        assert str(first[4]) == "oczekuje na import"
    stored = pending(service, HOUSEHOLD)
    assert [(r["idx"], r["consumption"]) for r in stored] == [(1018500, 5686)]
    assert app.failures == []


async def test_lower_index_asks_about_a_meter_change_then_is_accepted(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await type_index(pilot, "12,5")
        box = form.query_one("#confirm-change", Checkbox)
        assert box.has_class("asked") and box.display
        assert "niższy niż poprzedni" in text_of(app, "#verdict")
        await pilot.press("ctrl+s")  # unconfirmed: the backend asks again
        await settle(pilot)
        assert app.screen is form
        # the box is above the message: it says where the box is
        assert "Zaznacz potwierdzenie pod polem wskazania" in text_of(app, "#problem")
        assert box.region.y < form.query_one("#problem", Static).region.y
        assert pending(service, HOUSEHOLD) == []
        box.value = True
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    [stored] = pending(service, HOUSEHOLD)
    assert stored["idx"] == 12500 and stored["meter_change"] == 1


async def test_a_confirmation_box_goes_with_the_value_that_asked_for_it(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        change = form.query_one("#confirm-change", Checkbox)
        jump = form.query_one("#confirm-jump", Checkbox)
        await type_index(pilot, "12,5")  # lower: a meter change?
        assert change.display and not jump.display
        change.value = True
        await settle(pilot)
        await type_index(pilot, "1090")  # an implausible jump instead: the other question
        assert not change.display and not change.value
        assert jump.display
        await type_index(pilot, "1018,5")  # a plausible value: no question at all
        assert not change.display and not jump.display
        await type_index(pilot, "")  # nothing typed: none either
        assert not change.display and not jump.display
        await type_index(pilot, "1018,5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    [stored] = pending(service, HOUSEHOLD)
    assert stored["idx"] == 1018500 and stored["meter_change"] == 0


async def test_second_reading_in_the_period_says_when_the_next_is_possible(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await type_index(pilot, "1018,5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        form = await open_form(pilot)
        await type_index(pilot, "1019")
        assert "od 01.12.2026" in text_of(app, "#verdict")  # checked as you type
        await pilot.press("ctrl+s")  # and by the backend
        await settle(pilot)
        assert app.screen is form
        assert text_of(app, "#problem") == "Kolejny odczyt można podać od 01.12.2026."
        assert form.query_one("#index", Input).value == "1019"
    assert len(pending(service, HOUSEHOLD)) == 1


async def test_implausible_jump_needs_confirmation(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await type_index(pilot, "1500")
        box = form.query_one("#confirm-jump", Checkbox)
        assert box.has_class("asked")
        assert "nietypowo duże" in text_of(app, "#verdict")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and pending(service, HOUSEHOLD) == []
        assert box.has_focus  # the refusal takes the keys to the box it asks for
        await pilot.press("space")
        await settle(pilot)
        assert box.value and "487,186" in text_of(app, "#verdict")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not form
    assert [r["idx"] for r in pending(service, HOUSEHOLD)] == [1500000]


async def test_not_a_number_cannot_be_sent(local: LocalBackend) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await type_index(pilot, "12,34,5")
        assert form.query_one("#submit", Button).disabled
        assert "liczbą" in text_of(app, "#verdict")
        await type_index(pilot, "1,2345")
        assert "3 miejsca" in text_of(app, "#verdict")


async def select_reading(pilot: Any, reading_id: str) -> None:
    table = pilot.app.screen.query_one("#reading-table", DataTable)
    table.move_cursor(row=table.get_row_index(reading_id))
    await settle(pilot)


async def test_pending_reading_can_be_edited(local: LocalBackend, service: PortalService) -> None:
    app = TabHarness(local, ReadingsScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_reading(pilot, "R-M-WK-1908-40211-pending")
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReadingForm)
        assert form.query_one("#index", Input).value == "920,003"
        await type_index(pilot, "921,25")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        row = app.screen.query_one("#reading-table", DataTable).get_row("R-M-WK-1908-40211-pending")
        assert str(row[1]) == "921,250" and str(row[4]) == "oczekuje na import"
    [stored] = pending(service, NOWAK_MAIN)
    assert stored["idx"] == 921250


async def test_pending_reading_can_be_withdrawn(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_reading(pilot, "R-M-WK-1908-40211-pending")
        # the question is a dialog with every dialog's keys: Enter on the focused "Zostaw"
        # and Esc keep the reading, ctrl+s withdraws it
        for keep in ("enter", "escape"):
            await pilot.press("delete")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            assert app.screen.focused is app.screen.query_one("#cancel")
            await pilot.press(keep)
            await settle(pilot)
            assert isinstance(app.screen, ReadingsScreen), keep
            assert pending(service, NOWAK_MAIN) != [], keep
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = app.screen.query_one("#reading-table", DataTable).get_row("R-M-WK-1908-40211-pending")
        assert str(row[4]) == "wycofany"
    assert pending(service, NOWAK_MAIN) == []


async def test_imported_reading_cannot_be_edited_or_withdrawn(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_reading(pilot, "R-M-WK-1908-40211-pending")
        service.store.execute(  # the utility imports it meanwhile
            "UPDATE readings SET status = 'accepted' WHERE id = 'R-M-WK-1908-40211-pending'"
        )
        await pilot.press("delete")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        row = app.screen.query_one("#reading-table", DataTable).get_row("R-M-WK-1908-40211-pending")
        assert str(row[4]) == "przyjęty"  # reloaded after the conflict
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ReadingsScreen)  # no form for an imported reading
    assert app.failures == []


async def test_retry_after_unavailable_submits_once(
    local: LocalBackend, service: PortalService
) -> None:
    flaky = FailFirstCall(local, "submit_reading", lose_response=True)
    app = TabHarness(flaky, ReadingsScreen)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        await flaky.login("100001", "Woda!Kowalski1")
        form = await open_form(pilot)
        await type_index(pilot, "1018,5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Nie można połączyć się" in text_of(app, "#problem")
        assert str(form.query_one("#submit", Button).label) == "Ponów wysyłkę"
        assert form.query_one("#index", Input).value == "1018,5"
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is not form
    keys = [call["idempotency_key"] for call in flaky.calls]
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]
    assert [r["idx"] for r in pending(service, HOUSEHOLD)] == [1018500]


async def test_session_expired_keeps_the_form_and_offers_retry(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, ReadingsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        await type_index(pilot, "1018,5")
        service.store.execute("DELETE FROM sessions")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "Sesja wygasła" in text_of(app, "#problem")
        assert form.query_one("#index", Input).value == "1018,5"
        assert len(app.failures) == 1 and len(app.retries) == 1  # the shell may sign in
        await local.login("100001", "Woda!Kowalski1")
        app.retries[0]()
        await settle(pilot)
        assert app.screen is not form
    assert [r["idx"] for r in pending(service, HOUSEHOLD)] == [1018500]
