"""The password prompt after an expired session: the captcha after wrong passwords, the
lock, and the failed action retried with what was typed underneath kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ibok_tui.domain.errors import AccountLocked, CaptchaRequired, LoginFailed
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.account.reauth import ReauthDialog
from ibok_tui.screens.customer.data import CustomerScreen
from ibok_tui.widgets.captcha import captcha_to_show
from tests.support.captcha import solve_captcha
from tests.ui.console_support import SIZE, Console, settle, text_of, wait_for_text

WRONG = "Zle!Haslo123"
NEW_EMAIL = "nowy.adres@example.pl"


async def expire_while_saving(pilot: Pilot[Any], console: Console) -> None:
    """On Dane klienta, type a new e-mail, let the session expire and save: the prompt."""
    app = pilot.app
    await pilot.press("0")
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    app.screen.query_one("#contact-email", Input).value = NEW_EMAIL
    console.clock.advance(timedelta(hours=9))  # past the 8-hour session
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, ReauthDialog)


async def answer(pilot: Pilot[Any], password: str) -> None:
    """Type the password in the prompt; Enter."""
    dialog = pilot.app.screen
    dialog.query_one("#reauth-password", Input).value = password
    dialog.query_one("#reauth-password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def captcha_shown(pilot: Pilot[Any]) -> bool:
    return bool(pilot.app.screen.query_one("#reauth-captcha-box").display)


async def test_captcha_after_wrong_passwords_then_the_save_is_retried(console: Console) -> None:
    app = console.app(console.backend("100002"))
    async with app.run_test(size=SIZE) as pilot:
        await expire_while_saving(pilot, console)
        assert not captcha_shown(pilot)
        for attempt in range(3):
            await answer(pilot, WRONG)
            assert isinstance(app.screen, ReauthDialog)
            # the third wrong password is the one after which the portal wants a captcha
            assert captcha_shown(pilot) is (attempt == 2)
        # the console does the work for the next try itself: nothing to type
        done = "Sprawdzanie zakończone."
        assert await wait_for_text(pilot, "#reauth-captcha-box", done) == done
        assert text_of(app, "#reauth-message") == "Nieprawidłowy kod nabywcy lub hasło."
        assert not app.screen.query("#reauth-captcha-box Input")
        await answer(pilot, "Woda!Nowak2026")
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.query_one("#contact-email", Input).value == NEW_EMAIL
        assert app.backend.session is not None
    # the failed save was repeated after signing in again
    token = console.service.login("100002", "Woda!Nowak2026").token
    assert console.service.profile(token).customer.email == NEW_EMAIL


async def test_a_lock_says_until_when_and_giving_up_signs_out(console: Console) -> None:
    app = console.app(console.backend("100004"))
    async with app.run_test(size=SIZE) as pilot:
        await expire_while_saving(pilot, console)
        for _ in range(10):
            await answer(pilot, WRONG)
        assert isinstance(app.screen, ReauthDialog)
        # the clock went from 10:00 (Warsaw) to 19:00; locked for 15 minutes
        message = "Zbyt wiele nieudanych prób. Konto zablokowane do 21.11.2026 19:15."
        assert text_of(app, "#reauth-message") == message
        assert not captcha_shown(pilot)
        # even the right password is refused while locked
        await answer(pilot, "Woda!Wojcik2026")
        assert isinstance(app.screen, ReauthDialog)
        assert text_of(app, "#reauth-message") == message
        await pilot.click("#cancel")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    with pytest.raises(AccountLocked):
        console.service.login("100004", "Woda!Wojcik2026")
    # nothing was saved: the save never got through
    row = console.service.store.one("SELECT email FROM customers WHERE number = '100004'")
    assert row is not None and row["email"] != NEW_EMAIL


async def test_a_captcha_asked_for_without_one_is_fetched_and_works(console: Console) -> None:
    """An error that says a captcha is needed but brings none (a server may leave it out):
    a new one is fetched from the backend, and answering it lets the right password in."""
    backend = console.backend()
    for _ in range(3):
        with pytest.raises(LoginFailed):
            await backend.login("100002", WRONG)
    captcha = await captcha_to_show(CaptchaRequired("Rozwiąż zadanie."), backend)
    assert captcha is not None
    with pytest.raises(CaptchaRequired):  # without the proof the password is not checked
        await backend.login("100002", "Woda!Nowak2026")
    session = await backend.login(
        "100002", "Woda!Nowak2026", captcha_id=captcha.id, captcha_answer=solve_captcha(captcha)
    )
    assert session.subject == "100002"
    assert await captcha_to_show(LoginFailed(), backend) is None
