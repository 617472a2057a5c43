"""Remember me and the keyring, logout, forgotten password, registration."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from ibok_tui.config import Config, with_remembered
from ibok_tui.config import load as load_config
from ibok_tui.config import save as save_config
from ibok_tui.credentials import CredentialStore
from ibok_tui.domain.models import AccountStatus
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.account.password_reset import PasswordResetDialog
from ibok_tui.screens.account.register import RegisterScreen
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.widgets.quick_controls import QuickToggle
from tests.support.mail import newest_code
from tests.ui.console_support import (
    SIZE,
    Console,
    MemoryKeyring,
    settle,
    sign_in,
    text_of,
    wait_for_text,
)

DONE = "Sprawdzanie zakończone."


async def test_remember_me_resumes_without_the_password_and_logout_forgets_the_token(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        remember = app.screen.query_one("#remember", QuickToggle)
        assert remember.display
        remember.value = True
        await sign_in(pilot, "100001")
        assert isinstance(app.screen, PulpitScreen)
    stored = CredentialStore("test").load()
    assert stored is not None
    assert stored.customer == "100001"
    assert stored.password == "Woda!Kowalski1"
    assert stored.token
    # the next start goes straight to Pulpit
    again = console.app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=5)
        assert isinstance(again.screen, PulpitScreen)
        assert again.backend.session is not None
        assert again.backend.session.token == stored.token
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert isinstance(again.screen, LoginScreen)
        assert again.header_state.customer_name == ""
    after = CredentialStore("test").load()
    assert after is not None and after.token is None
    assert after.password == "Woda!Kowalski1"
    # after a logout the next start is the login screen, not a resumed session
    assert load_config(console.config_file).remembered == {}
    third = console.app()
    async with third.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=5)
        assert isinstance(third.screen, LoginScreen)
        assert third.backend.session is None


async def test_a_remembered_session_opens_on_pulpit_and_falls_back_to_the_login(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    """The config names whom to resume; Pulpit is the first screen. An expired token is
    replaced by signing in with the remembered password; with nothing usable left, the
    login screen takes over, says so, and the next start no longer tries."""
    session = console.service.login("100001", "Woda!Kowalski1", remember=True)
    CredentialStore("test").save("100001", "Woda!Kowalski1", session.token)
    console.service.logout(session.token)  # the token no longer works; the password does
    save_config(with_remembered(Config(), "test", "100001"), console.config_file)
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, PulpitScreen)  # before any backend call
        await settle(pilot, rounds=5)
        assert app.backend.session is not None
        assert text_of(app, "#balance").startswith("Saldo: do zapłaty")
    kept = CredentialStore("test").load()
    assert kept is not None and kept.token == app.backend.session.token
    # a changed password makes the remembered one useless: back to the login screen
    console.service.change_password(kept.token, "Woda!Kowalski1", "Moje!Nowe2026")
    CredentialStore("test").forget_token("100001")
    again = console.app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=5)
        assert isinstance(again.screen, LoginScreen)
        assert again.backend.session is None
        assert again.screen.query_one("#number", Input).value == "100001"
    assert load_config(console.config_file).remembered == {}


async def test_a_password_change_updates_the_remembered_password(
    console: Console, memory_keyring: MemoryKeyring
) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#remember", QuickToggle).value = True
        await sign_in(pilot, "100001")
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        for name, value in (
            ("old-password", "Woda!Kowalski1"),
            ("new-password", "Moje!Nowe2026"),
            ("repeat-password", "Moje!Nowe2026"),
        ):
            app.screen.query_one(f"#{name}", Input).value = value
        await pilot.click("#change")
        await settle(pilot)
        assert app.backend.session is not None
        token = app.backend.session.token
    stored = CredentialStore("test").load()
    assert stored is not None
    assert stored.password == "Moje!Nowe2026"
    assert stored.token == token


async def test_without_a_keyring_remember_me_is_not_offered(
    console: Console, no_keyring: None
) -> None:
    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query("#remember")
        assert text_of(app, "#keyring-note") == (
            "Brak systemowego pęku kluczy: hasła nie można zapamiętać."
        )
        await sign_in(pilot, "100001")
        assert isinstance(app.screen, PulpitScreen)


async def test_forgotten_password_is_reset_with_the_mailed_code(console: Console) -> None:
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#number").value = "100001"  # type: ignore[attr-defined]
        await pilot.press("f2")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PasswordResetDialog)
        assert dialog.query_one("#reset-number").value == "100001"  # type: ignore[attr-defined]
        dialog.query_one("#reset-email").value = "jan.kowalski@example.pl"  # type: ignore[attr-defined]
        await pilot.click("#send")
        await settle(pilot)
        assert dialog.query_one("#reset-step2").display
        code = newest_code(console.outbox, "reset")
        dialog.query_one("#reset-code").value = code  # type: ignore[attr-defined]
        dialog.query_one("#reset-password").value = "Inne!Haslo2026"  # type: ignore[attr-defined]
        dialog.query_one("#reset-password-repeat").value = "Inne!Haslo2026"  # type: ignore[attr-defined]
        await pilot.click("#set")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "100001", "Inne!Haslo2026")
        assert isinstance(app.screen, PulpitScreen)


async def test_registration_shows_terms_checks_the_password_and_keeps_the_form(
    console: Console,
) -> None:
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RegisterScreen)
        terms = console.service.terms()
        assert terms.version in text_of(app, "#terms-body")
        values = {
            "customer_number": "100008",
            "last_invoice_number": "FV/100008/999",
            "full_name": "Barbara Szymańska",
            "email": "barbara@example.pl",
            "password": "slabe",
            "password_repeat": "slabe",
        }
        for name, value in values.items():
            form.query_one(f"#reg-{name}").value = value  # type: ignore[attr-defined]
        await settle(pilot)
        assert "✗ wielka litera" in text_of(app, "#reg-rules")
        await pilot.click("#submit")
        await settle(pilot)
        assert text_of(app, "#err-password") == "Hasło nie spełnia zasad."
        assert text_of(app, "#err-terms_accepted") == "Zaakceptuj regulamin."
        # fix the password, accept the terms, answer the captcha: the invoice is wrong
        for name in ("password", "password_repeat"):
            form.query_one(f"#reg-{name}").value = "Barbara!2026x"  # type: ignore[attr-defined]
        form.query_one("#reg-terms", Checkbox).value = True
        assert await wait_for_text(pilot, "#reg-captcha-box", DONE) == DONE  # done by itself
        await pilot.click("#submit")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert "nie zgadzają się" in text_of(app, "#err-last_invoice_number")
        assert form.query_one("#reg-full_name").value == "Barbara Szymańska"  # type: ignore[attr-defined]
        # the right invoice number: registered, pending activation
        form.query_one("#reg-last_invoice_number").value = "FV/100008/012"  # type: ignore[attr-defined]
        await pilot.click("#submit")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    row = console.service.store.one("SELECT status FROM customers WHERE number = '100008'")
    assert row is not None and row["status"] == AccountStatus.PENDING.value


async def test_nothing_of_a_session_stays_in_memory_once_the_console_is_quiet_after_logout(
    console: Console,
) -> None:
    """The tabs of the last customer (and the data on them) are freed by the first quiet
    moment after logout: what a kiosk must not keep (quiet_gc.py, the property hook)."""
    import weakref

    from ibok_tui.screens.customer.invoices import InvoicesScreen

    app = console.app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "200001")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("w")  # the property choice reaches every loaded tab
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        invoices = app.screen
        assert isinstance(invoices, InvoicesScreen)
        gone = weakref.ref(invoices)
        del invoices
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        app.quiet_gc.last_input -= app.quiet_gc.quiet  # the user has been quiet since
        assert app.quiet_gc.tick()
        assert gone() is None
