"""#14.2: nothing typed is ever lost. Leaving a form with something typed asks to keep it as
a draft, discard it or go back; drafts of requests and readings survive closing the form
and switching tabs, in memory only, and are gone at logout."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, TextArea

from ibok_tui.screens.forms.dialogs import ChoiceDialog
from ibok_tui.screens.forms.reading_form import ReadingForm
from ibok_tui.screens.forms.request_form import RequestForm
from tests.ui.console_support import Console, settle, sign_in

LONG = "Przeciek pod zlewem. " * 500  # 10 500 characters, as the lost draft


async def choose(pilot: Pilot[Any], option: str) -> None:
    """Answer the draft question with `option` ("keep", "discard", "back")."""
    screen = pilot.app.screen
    assert isinstance(screen, ChoiceDialog), screen
    options = screen.query_one(OptionList)
    options.highlighted = options.get_option_index(option)
    await pilot.press("enter")
    await settle(pilot)


async def open_request_form(pilot: Pilot[Any]) -> RequestForm:
    await pilot.press("6")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RequestForm)
    return form


async def test_a_request_left_unsent_is_kept_as_a_draft_across_tabs(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "100001")
        form = await open_request_form(pilot)
        await pilot.press(*"Wyciek")
        form.query_one("#body", TextArea).text = LONG
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "back")  # back to the form: all of it still there
        assert app.screen is form
        assert form.query_one("#subject", Input).value == "Wyciek"
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "keep")
        assert not isinstance(app.screen, RequestForm | ChoiceDialog)
        await pilot.press("1")  # another tab, and back
        await settle(pilot)
        again = await open_request_form(pilot)
        assert again is not form
        assert again.query_one("#subject", Input).value == "Wyciek"
        assert again.query_one("#body", TextArea).text == LONG
        await pilot.press("escape")  # nothing changed since it was restored: no question
        await settle(pilot)
        assert not isinstance(app.screen, RequestForm | ChoiceDialog)
        third = await open_request_form(pilot)
        assert third.query_one("#body", TextArea).text == LONG
        third.query_one("#body", TextArea).text = "Krótko."
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "discard")
        empty = await open_request_form(pilot)
        assert empty.query_one("#subject", Input).value == ""
        assert empty.query_one("#body", TextArea).text == ""


async def test_a_sent_request_leaves_no_draft_and_logout_wipes_the_drafts(
    console: Console,
) -> None:
    app = console.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "100001")
        form = await open_request_form(pilot)
        await pilot.press(*"Brak wody")
        form.query_one("#body", TextArea).text = "Od rana nie ma wody."
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "keep")
        form = await open_request_form(pilot)
        assert form.query_one("#subject", Input).value == "Brak wody"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RequestForm)
        assert any(r.subject == "Brak wody" for r in await app.backend.requests())
        form = await open_request_form(pilot)
        assert form.query_one("#subject", Input).value == ""  # sent: its draft is gone
        await pilot.press(*"Drugie")
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "keep")
        assert len(app.session.drafts) == 1
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert len(app.session.drafts) == 0
        await sign_in(pilot, "100001")
        form = await open_request_form(pilot)
        assert form.query_one("#subject", Input).value == ""


async def test_a_reading_left_unsent_is_kept_as_a_draft(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "100001")
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReadingForm)
        meter = form.query_one("#meter").value  # type: ignore[attr-defined]
        await pilot.press(*"1234,5")
        await pilot.press("escape")
        await settle(pilot)
        await choose(pilot, "keep")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, ReadingForm) and again is not form
        assert again.query_one("#index", Input).value == "1234,5"
        assert again.query_one("#meter").value == meter  # type: ignore[attr-defined]


async def test_a_form_with_nothing_typed_closes_at_once(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "100001")
        await open_request_form(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RequestForm | ChoiceDialog)
        assert len(app.session.drafts) == 0
