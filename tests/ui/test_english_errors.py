"""In English the backend's (Polish) messages are shown in English: on the login screen,
beside a form's fields, in the error dialog, and after a trip over the HTTP wire."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from ibok_tui.backends.http_wire import error_from_problem
from ibok_tui.domain.errors import Conflict, ValidationFailed
from ibok_tui.domain.models import ReadingSubmission
from ibok_tui.i18n import set_language
from ibok_tui.i18n.problems import error_text
from ibok_tui.screens.forms.dialogs import ErrorDialog
from ibok_tui.server.problems import problem_body
from tests.support.accounts import PASSWORDS
from tests.ui.console_support import SIZE, Console, settle, sign_in, text_of


def _english(console: Console) -> None:
    console.config_file.parent.mkdir(parents=True, exist_ok=True)
    console.config_file.write_text('[settings]\nlanguage = "en"\n', encoding="utf-8")


async def test_wrong_password_and_a_blocked_account_in_english(console: Console) -> None:
    _english(console)
    app = console.app(remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001", "Zle!Haslo123")
        assert text_of(app, "#login-message") == "Wrong customer number or password."
        await sign_in(pilot, "100006", "Woda!Lewandowska6")  # blocked by the office
        assert text_of(app, "#login-message") == (
            "Access to the account is blocked. Contact the customer office."
        )


async def test_field_errors_from_the_backend_in_english(console: Console) -> None:
    _english(console)
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await settle(pilot)
        app.screen.query_one("#contact-email", Input).value = "not an e-mail"
        app.screen.query_one("#contact-address-postal_code", Input).value = "05540"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#err-contact-email") == "Enter a valid e-mail address."
        assert text_of(app, "#err-contact-address-postal_code") == (
            "A postal code looks like 00-000."
        )


async def test_the_error_dialog_in_english(console: Console) -> None:
    _english(console)
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        refused = Conflict(code="reading_imported")
        app.push_screen(ErrorDialog(refused))
        await settle(pilot)
        assert text_of(app, "#error-message") == (
            "The reading has already been accepted by the utility and cannot be changed."
        )


def test_a_message_over_the_http_wire_in_english() -> None:
    """The server sends the Polish text; the console translates what the client rebuilt."""
    from ibok_tui.server.limits import RateLimitExceeded

    body = problem_body(RateLimitExceeded(42))
    error = error_from_problem(body, 429)
    set_language("en")
    try:
        assert error_text(error) == "Too many attempts. Try again in 42 s."
    finally:
        set_language("pl")
    assert error_text(error) == "Zbyt wiele prób. Spróbuj ponownie za 42 s."


def test_every_pulpit_alert_of_the_demo_has_english(console: Console) -> None:
    """The alerts (overdue, legalization, night flow, spikes) come from the backend as kinds
    and params; each kind the demo customers have is shown in English in English mode."""
    from ibok_tui.i18n.render import alert_text

    kinds = set()
    set_language("en")
    try:
        for number in ("100001", "100002", "100003", "200001", "100004"):
            token = console.service.login(number, PASSWORDS[number]).token
            for alert in console.service.dashboard(token).alerts:
                kinds.add(alert.kind)
                assert alert.params or alert.kind == "overdue", alert
                english = alert_text(alert)
                assert english != alert.message, alert.message
                assert not set(english) & set("ąćęłńóśźż"), english
    finally:
        set_language("pl")
    assert {"overdue", "legalization", "night_flow"} <= kinds


async def test_the_real_servers_refusals_in_english(
    console: Console, template_db: Path, tmp_path: Path
) -> None:
    """Through `ibok serve` (a real uvicorn process): a refused sign-in on the login
    screen and a refused reading in the error dialog read in English, not in the server's
    Polish, because the console words the codes and params the server sent."""
    from tests.conformance.conftest import Portal
    from tests.support.http_server import http_portal

    portal = await http_portal(template_db, tmp_path, console.clock, Portal)
    _english(console)
    app = console.app(await portal.client(), remember=False, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001", "Zle!Haslo123")
        assert text_of(app, "#login-message") == "Wrong customer number or password."

        anna = await portal.client()
        await anna.login("100002", PASSWORDS["100002"])
        try:
            # Anna's reading of 19 November waits for import: a second one in the period
            await anna.submit_reading(ReadingSubmission("M-WK-1908-40211", "925,000"))
        except ValidationFailed as refused:
            assert "okresie" in refused.errors[0].message  # the server's own Polish
            app.push_screen(ErrorDialog(refused))
        finally:
            await anna.close()
        await settle(pilot)
        assert text_of(app, "#error-message") == (
            "A reading has already been submitted in this billing period. "
            "The next reading can be submitted from 01/01/2027."
        )
