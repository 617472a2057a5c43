"""New terms in the console (#17.1): at the next sign-in after the effective day the
customer sees what changed and from when, and accepts (Będzin §1.5, §10.2) or declines and
terminates the agreement right there (Będzin §8.3); the terms in force are readable from
the login screen; the clerk publishes a version and sees the acceptance in the audit log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, OptionList, TextArea

from ibok_tui.domain.errors import LoginFailed
from ibok_tui.domain.models import TermsDraft
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.account.new_terms import NewTermsScreen
from ibok_tui.screens.clerk.audit import AuditDialog
from ibok_tui.screens.clerk.terms import PublishTermsDialog, TermsDialog
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.screens.forms.dialogs import ChoiceDialog, PasswordConfirmDialog, TextDialog
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.ui.console_support import SIZE, SMALL, Console, settle, sign_in, text_of
from tests.ui.test_operator import office_app, search, sign_in_operator

TODAY = date(2026, 11, 21)
CHANGES = "Odczyty podaje się do 25. dnia miesiąca.\nNowy sposób zgłaszania awarii."
TEXT = "Regulamin iBOK 2027.1\n\n" + "\n".join(f"§{n}. Postanowienie {n}." for n in range(1, 40))


def publish(console: Console, effective: date = TODAY, version: str = "2027.1") -> None:
    service = console.service
    office = service.operator_login("bok.anna", OPERATORS["bok.anna"])
    draft = TermsDraft(version=version, effective_from=effective, text=TEXT, changes=CHANGES)
    service.publish_terms(office.token, draft)


async def signed_in_to_the_terms(pilot: Pilot[Any]) -> None:
    """Jan Kowalski signs in; the new terms are in force: their screen comes first."""
    await settle(pilot)
    await sign_in(pilot, "100001")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NewTermsScreen)


def status(console: Console, number: str = "100001") -> Any:
    return console.service.terms_status(console.service.login(number, PASSWORDS[number]).token)


async def test_signing_in_after_the_effective_day_asks_and_accepting_opens_pulpit(
    console: Console,
) -> None:
    publish(console)
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_to_the_terms(pilot)
        intro = text_of(app, "#terms-intro")
        assert "21.11.2026" in intro and "2027.1" in intro
        assert "25. dnia miesiąca" in str(app.screen.query_one("#terms-changes Static").render())
        assert "Zaakceptowana wersja: 2026.1" in text_of(app, "#terms-accepted")
        await pilot.press("2")  # no tab behind the terms
        await settle(pilot)
        assert isinstance(app.screen, NewTermsScreen)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, PulpitScreen)
        assert app.header_state.balance is not None  # Pulpit's data came
    after = status(console)
    assert after.accepted_version == "2027.1" and not after.must_accept


async def test_a_version_that_came_into_force_while_reading_is_shown_instead(
    console: Console,
) -> None:
    publish(console)
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_to_the_terms(pilot)
        console.clock.advance(timedelta(minutes=5))
        publish(console, version="2027.2")  # in force today too, published later
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, NewTermsScreen), getattr(app.screen, "error", None)
        assert "2027.2" in text_of(app, "#terms-intro")
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, PulpitScreen)
    assert status(console).accepted_version == "2027.2"


async def test_a_future_version_does_not_stop_the_sign_in(console: Console) -> None:
    publish(console, effective=TODAY + timedelta(days=10))
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen)


async def test_declining_the_customer_terminates_the_agreement_right_there(
    console: Console,
) -> None:
    publish(console)
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_to_the_terms(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        choices = app.screen.query_one(OptionList)
        choices.focus()
        choices.highlighted = 1  # terminate
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PasswordConfirmDialog)
        assert "2027.1" in str(app.screen.message)
        app.screen.query_one("#confirm-password", Input).value = PASSWORDS["100001"]
        app.screen.query_one("#confirm", Button).press()
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, LoginScreen)
        assert app.backend.session is None
    with pytest.raises(LoginFailed):
        console.service.login("100001", PASSWORDS["100001"])


async def test_declining_and_signing_out_leaves_the_account_asking_again(
    console: Console,
) -> None:
    publish(console)
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await signed_in_to_the_terms(pilot)
        await pilot.press("escape")
        await settle(pilot)
        choices = app.screen.query_one(OptionList)
        choices.focus()
        choices.highlighted = 2  # sign out, decide later
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, LoginScreen)
        assert app.backend.session is None
    assert status(console).must_accept


async def test_terms_coming_into_force_mid_session_are_asked_for(console: Console) -> None:
    """The session began before the version took effect: the server's refusal of Pulpit's
    call brings the terms; accepted, Pulpit loads."""
    backend = console.backend("100001")
    publish(console)
    app = console.app(backend, remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, NewTermsScreen)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, PulpitScreen)
        assert "Jan Kowalski" in app.header_state.customer_name


async def test_the_login_screen_shows_the_terms_in_force_and_the_next_version(
    console: Console,
) -> None:
    publish(console, effective=TODAY + timedelta(days=10))
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        shown = str(app.screen.query_one("VerticalScroll Static").render())
        assert "Wersja 2026.1, obowiązuje od 01.01.2026." in shown
        assert "14 dni" in shown  # the text in force
        assert "Od 01.12.2026 będzie obowiązywać nowa wersja 2027.1" in shown
        assert "25. dnia miesiąca" in shown


async def test_the_clerk_publishes_a_version_and_sees_the_acceptance(console: Console) -> None:
    app = office_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in_operator(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, TermsDialog)
        table = app.screen.query_one("#terms-table", DataTable)
        assert table.row_count == 1
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PublishTermsDialog)
        dialog.query_one("#terms-version", Input).value = "2027.1"
        dialog.query_one("#terms-from", Input).value = "20.11.2026"  # yesterday: refused
        dialog.query_one("#terms-changes-input", TextArea).text = CHANGES
        dialog.query_one("#terms-text-input", TextArea).text = TEXT
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # refused: everything typed stays
        assert "wcześniejsza niż dzisiejsza" in text_of(app, "#terms-error")
        assert dialog.query_one("#terms-text-input", TextArea).text == TEXT
        dialog.query_one("#terms-from", Input).value = "21.11.2026"
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, TermsDialog)
        table = app.screen.query_one("#terms-table", DataTable)
        assert table.row_count == 2
        assert "obowiązuje" in str(table.get_row("2027.1")[3])
        await pilot.press("escape")
        await settle(pilot)
        # the customer accepts; the clerk sees it in the customer's audit log
        console.service.accept_terms(
            console.service.login("100001", PASSWORDS["100001"]).token, "2027.1"
        )
        table = await search(pilot, "Kowalski")
        table.focus()
        await pilot.press("a")
        await settle(pilot)
        audit = pilot.app.screen
        assert isinstance(audit, AuditDialog)
        accepted = [e for e in audit.entries if e.action == "accept_terms"]
        assert [e.detail for e in accepted] == ["2027.1"]
        rows = audit.query_one("#audit-table", DataTable)
        row = rows.get_row(str(accepted[0].id))
        assert str(row[1]) == "klient" and str(row[2]) == "akceptacja regulaminu"


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_new_terms_snapshot(snap_compare: Any, console: Console, size: tuple[int, int]) -> None:
    publish(console)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await sign_in(pilot, "100001")
        await settle(pilot)

    assert snap_compare(console.app(remember=False), terminal_size=size, run_before=run_before)


async def test_ustawienia_terminates_through_the_same_flow(console: Console) -> None:
    """The terminate flow the new terms reuse is Ustawienia's: a wrong password is said in
    the dialog, which stays with the password typed (#14.2); the right one closes the
    account and signs out."""
    from textual.widgets import Static

    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100002")
        await pilot.press("u")
        await settle(pilot)
        app.screen.query_one("#terminate", Button).press()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PasswordConfirmDialog)
        field = dialog.query_one("#confirm-password", Input)
        field.value = "zle-haslo"
        dialog.query_one("#confirm", Button).press()
        await settle(pilot, rounds=6)
        assert app.screen is dialog and field.value == "zle-haslo"
        assert str(dialog.query_one("#confirm-error", Static).render()).strip()
        field.value = PASSWORDS["100002"]
        dialog.query_one("#confirm", Button).press()
        await settle(pilot, rounds=6)
        assert isinstance(app.screen, LoginScreen)
    with pytest.raises(LoginFailed):
        console.service.login("100002", PASSWORDS["100002"])
