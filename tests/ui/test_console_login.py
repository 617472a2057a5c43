"""Signing in: success, wrong password, captcha, lock, forced change, clerk, unreachable."""

from __future__ import annotations

import contextlib

from ibok_tui.domain.errors import LoginFailed
from ibok_tui.screens.account.change_password import ChangePasswordDialog
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.clerk.operator import OperatorScreen
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.widgets.quick_controls import QuickToggle
from tests.support.unreachable import SwitchableBackend
from tests.ui.console_support import SIZE, Console, settle, sign_in, text_of, wait_for_text

DONE = "Sprawdzanie zakończone."


async def test_sign_in_shows_pulpit_with_header(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Woda!Kowalski1" in text_of(app, "#demo-accounts")
        await sign_in(pilot, "100001")
        assert isinstance(app.screen, PulpitScreen)
        header = text_of(app, "SessionHeader")
        assert "Jan Kowalski (100001)" in header
        assert "dane na dzień 20.11.2026" in header
        assert "do zapłaty 106,93\xa0zł" in header
        assert "Termin płatności minął" in text_of(app, "#balance")


async def test_wrong_password_stays_on_login_and_keeps_the_number(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "100001", "Zle!Haslo123")
        assert isinstance(app.screen, LoginScreen)
        assert text_of(app, "#login-message") == "Nieprawidłowy kod nabywcy lub hasło."
        assert app.screen.query_one("#number").value == "100001"  # type: ignore[attr-defined]
        assert app.backend.session is None


async def test_the_captcha_is_solved_by_the_console_itself(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await sign_in(pilot, "100002", "Zle!Haslo123")
        box = app.screen.query_one("#captcha-box")
        assert box.display  # the work for the next try began at once
        assert await wait_for_text(pilot, "#captcha-box", DONE) == DONE
        assert not app.screen.query("#captcha-box Input")  # nothing to type
        assert app.screen.query_one("#number").value == "100002"  # type: ignore[attr-defined]
        await sign_in(pilot, "100002")
        assert isinstance(app.screen, PulpitScreen)


async def test_a_captcha_asked_before_the_password_is_solved_and_sent_again(
    console: Console,
) -> None:
    """The portal asks for the work without checking the password (failures made
    elsewhere): the console does it and sends the same sign-in again."""
    for _ in range(3):
        with contextlib.suppress(LoginFailed):
            console.service.login("100002", "Zle!Haslo123")
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "100002")
        assert isinstance(app.screen, PulpitScreen)


async def test_lock_says_until_when(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await sign_in(pilot, "100004", "Zle!Haslo123")
        message = text_of(app, "#login-message")
        # locked for 15 minutes from the pinned 10:00 (Warsaw)
        assert message == "Zbyt wiele nieudanych prób. Konto zablokowane do 21.11.2026 10:15."
        await sign_in(pilot, "100004")
        assert app.backend.session is None
        assert "zablokowane do" in text_of(app, "#login-message")


async def test_generated_password_must_be_changed(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "100007")
        assert isinstance(app.screen, ChangePasswordDialog)
        dialog = app.screen
        dialog.query_one("#old-password").value = "Nadane!Haslo77"  # type: ignore[attr-defined]
        dialog.query_one("#new-password").value = "short"  # type: ignore[attr-defined]
        await settle(pilot)
        assert "✗ co najmniej 10 znaków" in text_of(app, "#new-rules")
        dialog.query_one("#new-password").value = "Moje!Nowe2026"  # type: ignore[attr-defined]
        dialog.query_one("#repeat-password").value = "Moje!Nowe2026"  # type: ignore[attr-defined]
        await settle(pilot)
        assert "✗" not in text_of(app, "#new-rules")
        await pilot.click("#change")
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen)
    assert console.service.login("100007", "Moje!Nowe2026").must_change_password is False


async def test_clerk_toggle_signs_in_an_operator(console: Console) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        toggle = app.screen.query_one("#operator", QuickToggle)
        for _field in range(3):  # number, password, "remember me", then the clerk's toggle
            await pilot.press("tab")
            if toggle.has_focus:
                break
        assert toggle.has_focus
        await pilot.press("space")
        await settle(pilot)
        assert toggle.value and "[X]" in str(toggle.render())
        assert text_of(app, "#number-label") == "Login pracownika"
        await pilot.click("#operator")  # a click turns it back, and again
        await pilot.click("#operator")
        await settle(pilot)
        assert toggle.value
        await sign_in(pilot, "bok.anna", "Operator!2026a")
        assert isinstance(app.screen, OperatorScreen)
        assert "Anna Kowalczyk" in text_of(app, "#operator-info")
        await pilot.press("1")  # customer tabs are not for clerks
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen)


async def test_unreachable_server_is_said_not_crashed(console: Console) -> None:
    backend = SwitchableBackend(console.backend(), down=True)
    app = console.app(backend)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "100001")
        assert isinstance(app.screen, LoginScreen)
        assert text_of(app, "#login-message") == "Nie można połączyć się z serwerem iBOK."
        backend.down = False
        await pilot.click("#sign-in")
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen)


async def test_tab_moves_from_the_number_to_the_password_as_a_person_types(
    console: Console,
) -> None:
    """Typed key by key, as in a terminal: Tab leaves the number for the password box."""
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"100001", "tab", *"Woda!Kowalski1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PulpitScreen), text_of(app, "#login-message")
