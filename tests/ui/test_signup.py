"""Signing up in the console (#14.6): the activation code from the registration e-mail is
typed beside "forgot password", the demo says where its mail went, and the reset dialog
asks for the new password twice."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ibok_tui.domain.models import AccountStatus, Registration
from ibok_tui.screens.account.activate import ActivateDialog
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.account.password_reset import PasswordResetDialog
from ibok_tui.screens.customer.pulpit import PulpitScreen
from tests.support.captcha import solve_captcha
from tests.support.mail import messages, newest_code
from tests.ui.console_support import SIZE, Console, settle, sign_in, text_of

BARBARA = "Woda!Szymanska8"


def _register_barbara(console: Console) -> None:
    captcha = console.service.new_captcha()
    console.service.register(
        Registration(
            customer_number="100008",
            last_invoice_number="FV/100008/012",
            full_name="Barbara Szymańska",
            email="barbara.szymanska@example.pl",
            password=BARBARA,
            password_repeat=BARBARA,
            terms_version=console.service.terms().version,
            terms_accepted=True,
            captcha_id=captcha.id,
            captcha_answer=solve_captcha(captcha),
        )
    )


def _status(console: Console) -> str:
    row = console.service.store.one("SELECT status FROM customers WHERE number = '100008'")
    assert row is not None
    return str(row["status"])


async def _activation_dialog(pilot: Pilot[Any]) -> ActivateDialog:
    """F5 on the login screen: the dialog that takes the code."""
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ActivateDialog)
    return dialog


async def test_the_activation_code_from_the_email_is_typed_on_the_login_screen(
    console: Console,
) -> None:
    _register_barbara(console)
    code = newest_code(console.outbox, "activation")
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _activation_dialog(pilot)
        field = dialog.query_one("#activate-code", Input)
        assert field.has_focus
        await pilot.press("enter")  # nothing typed: said, nothing sent
        await settle(pilot)
        assert text_of(app, "#activate-message") == "Wpisz kod z e-maila."
        field.value = code[:-2] + "xx"  # a mistyped code: refused, what to do said
        await pilot.press("enter")
        await settle(pilot)
        assert "nieprawidłowy" in text_of(app, "#activate-message")
        assert _status(console) == AccountStatus.PENDING.value
        assert field.value == code[:-2] + "xx"  # nothing typed is lost
        field.value = f"  {code}\n"  # pasted with spaces around: still the code
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert _status(console) == AccountStatus.ACTIVE.value
        await sign_in(pilot, "100008", BARBARA)
        assert isinstance(app.screen, PulpitScreen)


async def test_a_used_code_says_the_account_waits_no_more(console: Console) -> None:
    _register_barbara(console)
    code = newest_code(console.outbox, "activation")
    console.service.confirm_registration(code)
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _activation_dialog(pilot)
        dialog.query_one("#activate-code", Input).value = code
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActivateDialog)
        assert "nieprawidłowy" in text_of(app, "#activate-message")


async def test_the_reset_asks_twice_and_the_demo_says_where_the_mail_went(
    console: Console,
) -> None:
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PasswordResetDialog)
        dialog.query_one("#reset-number", Input).value = "100001"
        dialog.query_one("#reset-email", Input).value = "jan.kowalski@example.pl"
        await pilot.click("#send")
        await settle(pilot)
        said = text_of(app, "#reset-message")
        assert "Demo:" in said and str(console.outbox) in said
        assert len(messages(console.outbox)) == 1
        code = newest_code(console.outbox, "reset")
        dialog.query_one("#reset-code", Input).value = code
        dialog.query_one("#reset-password", Input).value = "Inne!Haslo2026"
        dialog.query_one("#reset-password-repeat", Input).value = "Inne!Haslo2062"
        await pilot.click("#set")
        await settle(pilot)
        assert isinstance(app.screen, PasswordResetDialog)
        assert text_of(app, "#reset-message") == "Hasła nie są takie same."
        assert dialog.query_one("#reset-password-repeat", Input).has_focus
        dialog.query_one("#reset-password-repeat", Input).value = "Inne!Haslo2026"
        await pilot.click("#set")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "100001", "Inne!Haslo2026")
        assert isinstance(app.screen, PulpitScreen)


async def test_a_server_backend_names_no_mail_folder(console: Console) -> None:
    """Only mail that stays on this machine is pointed at: an HTTP backend's server sends
    its own, and the message says nothing of a folder."""
    from ibok_tui.backends.http import HttpBackend
    from ibok_tui.widgets.mail_note import mail_note

    backend = HttpBackend("https://ibok.example.pl")
    try:
        assert backend.mail_folder is None and mail_note(backend) == ""
    finally:
        await backend.close()
    assert console.backend().mail_folder == console.outbox
