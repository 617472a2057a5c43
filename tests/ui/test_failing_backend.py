"""The proof of the error policy: a backend whose call fails (a `RuntimeError`, a decode
error that leaked from a library, a timeout) on each screen's first call leaves the app
up, says what happened and what to do, and the screen works again afterwards.

`FailingBackend` delegates to the real LocalBackend over the seeded demo portal, except
for the one call it is armed for. The HTTP-level failures (HTML, resets, timeouts on the
wire) are covered against a real bad server in tests/server/test_http_failures.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from rich.console import Console as RichConsole
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from ibok_tui.app import IbokApp
from ibok_tui.backends.base import Backend
from ibok_tui.screens.clerk.audit import AuditDialog
from ibok_tui.screens.clerk.customers import SEARCH_DELAY
from ibok_tui.screens.clerk.operator import OperatorScreen
from ibok_tui.screens.forms.dialogs import ChoiceDialog, ErrorDialog
from ibok_tui.screens.forms.reading_form import ReadingForm
from ibok_tui.screens.forms.request_form import RequestForm
from tests.support.bad_server import HTML, BadServer, bad_server, reply
from tests.ui.console_support import SIZE, Console, settle, sign_in, text_of
from tests.ui.test_drafts import choose
from tests.ui.test_operator import search, sign_in_operator

_LOCAL = {"label", "session", "close", "prepare"}  # no call to the portal in these
UNEXPECTED = "Tej czynności nie udało się wykonać z powodu błędu w konsoli."
LATE = "Serwer nie odpowiedział na czas."
FAILURES: dict[str, tuple[Callable[[], BaseException], str]] = {
    "runtime": (lambda: RuntimeError("boom FV/2026/0001"), UNEXPECTED),
    "decode": (lambda: msgspec.DecodeError("JSON is malformed: invalid character"), UNEXPECTED),
    "timeout": (TimeoutError, LATE),
}
ROOT = Path(__file__).resolve().parents[2]


class FailingBackend:
    """The real backend, but the next call (or the next call of `only`) fails once."""

    def __init__(self, inner: Backend) -> None:
        self._inner = inner
        self._armed: tuple[Callable[[], BaseException], str | None] | None = None
        self.failed: list[str] = []

    def arm(self, make: Callable[[], BaseException], only: str | None = None) -> None:
        self._armed = (make, only)

    @property
    def armed(self) -> bool:
        return self._armed is not None

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if name in _LOCAL or not callable(target):
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            armed = self._armed
            if armed is not None and armed[1] in (None, name):
                self._armed = None
                self.failed.append(name)
                raise armed[0]()
            return await target(*args, **kwargs)

        return call


def failing_app(console: Console) -> tuple[IbokApp, FailingBackend]:
    backend = FailingBackend(console.backend())
    return console.app(backend, remember=False), backend  # type: ignore[arg-type]


def shown_error(app: IbokApp) -> str:
    """The message of the error dialog on top (it must be there)."""
    assert isinstance(app.screen, ErrorDialog), app.screen_stack
    return text_of(app, "#error-message")


async def close_dialog(pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await settle(pilot)


CUSTOMER_TABS = ["2", "3", "4", "5", "6", "7", "8", "9", "0"]


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_every_customer_tab_survives_a_failing_first_call(
    console: Console, kind: str
) -> None:
    make, says = FAILURES[kind]
    app, backend = failing_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.arm(make, only="dashboard")  # Pulpit's first call, right after sign-in
        await sign_in(pilot, "100001")
        assert backend.failed == ["dashboard"]
        assert says in shown_error(app)
        await close_dialog(pilot)
        for key in CUSTOMER_TABS:
            backend.arm(make)
            await pilot.press(key)
            await settle(pilot)
            assert not backend.armed, f"tab {key} made no backend call"
            assert says in shown_error(app), key
            assert "boom" not in shown_error(app) and "DecodeError" not in shown_error(app)
            await close_dialog(pilot)
            tab = app.screen
            await pilot.press("r")  # the same tab, the backend well again: it loads
            await settle(pilot)
            assert app.screen is tab and not isinstance(app.screen, ErrorDialog), key
        await pilot.press("1")  # and back to Pulpit, which loads now
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.current_mode == "pulpit" and not isinstance(app.screen, ErrorDialog)
        assert app.is_running


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_ustawienia_and_its_dialogs_survive(console: Console, kind: str) -> None:
    make, says = FAILURES[kind]
    app, backend = failing_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        backend.arm(make)
        await pilot.press("u")
        await settle(pilot)
        backend.arm(make, only="password_policy")  # the password change's first call
        await pilot.press("h")
        await settle(pilot)
        assert backend.failed[-1] == "password_policy"
        assert app.screen.query("#new-password")  # the dialog is up and can be used
        shown = [n.message for n in app._notifications]
        assert any("Nie pobrano zasad haseł" in m and says in m for m in shown), shown
        backend.arm(make, only="change_password")  # and a failed change is shown too
        app.screen.query_one("#old-password", Input).value = "Woda!Kowalski1"
        app.screen.query_one("#new-password", Input).value = "Nowe!Haslo2026x"
        app.screen.query_one("#repeat-password", Input).value = "Nowe!Haslo2026x"
        app.screen.query_one("#change").press()
        await settle(pilot)
        assert backend.failed[-1] == "change_password"
        dialog = app.screen_stack[-2]
        message = str(dialog.query_one("#password-message", Static).content)
        assert says in message, message  # before: nothing at all
        assert dialog.query_one("#new-password", Input).value == "Nowe!Haslo2026x"
        await close_dialog(pilot)  # the error dialog (it says the same, with details)
        await close_dialog(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "faktury" and app.is_running


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_the_dialogs_that_load_data_survive(console: Console, kind: str) -> None:
    make, says = FAILURES[kind]
    app, backend = failing_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        # Faktury: the invoice's detail, then its payment
        await pilot.press("2")
        await settle(pilot)
        app.screen.query_one(DataTable).focus()
        for key, call in (("enter", "invoice"), ("z", "payment_details")):
            backend.arm(make, only=call)
            await pilot.press(key)
            await settle(pilot)
            assert backend.failed[-1] == call
            assert says in shown_error(app), call
            await close_dialog(pilot)
        forms = (  # tab, the form's first call, the form, where it says what happened
            ("4", "profile", ReadingForm, "#problem"),  # a bare worker that killed the app
            ("6", "meters", RequestForm, "#request-problem"),
        )
        for tab, call, form, problem in forms:
            await pilot.press(tab)
            await settle(pilot)
            backend.arm(make, only=call)
            await pilot.press("n")
            await settle(pilot)
            assert backend.failed[-1] == call
            assert isinstance(app.screen, form) and app.is_running
            assert says in text_of(app, problem), call
            app.screen.query_one(Input).value = "12"  # the form still takes input
            await pilot.press("escape")
            await settle(pilot)
            if isinstance(app.screen, ChoiceDialog):  # keep what was typed? (#14.2) no
                await choose(pilot, "discard")
        while isinstance(app.screen, ErrorDialog):
            await close_dialog(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert app.current_mode == "wodomierze" and app.is_running


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_the_clerks_tabs_and_audit_survive(console: Console, kind: str) -> None:
    from tests.ui.test_operator import office_app

    make, says = FAILURES[kind]
    backend = FailingBackend(console.backend())
    app = office_app(console)
    app.backend = backend  # type: ignore[assignment]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.arm(make, only="pending_registrations")  # Kolejka's first call
        await sign_in_operator(pilot)
        assert backend.failed == ["pending_registrations"]
        assert says in shown_error(app)
        await close_dialog(pilot)
        assert isinstance(app.screen, OperatorScreen)
        backend.arm(make, only="search_customers")  # Klienci's first call
        app.screen.query_one("#customer-query", Input).focus()
        await pilot.press(*"Kowal")
        await pilot.pause(SEARCH_DELAY * 2)
        await settle(pilot)
        assert backend.failed[-1] == "search_customers"
        assert says in shown_error(app)
        await close_dialog(pilot)
        table = await search(pilot, "Kowalski")  # searching again works
        assert table.row_count >= 1
        table.focus()
        backend.arm(make, only="audit_log")
        await pilot.press("a")
        await settle(pilot)
        assert backend.failed[-1] == "audit_log"
        assert not any(isinstance(s, AuditDialog) for s in app.screen_stack)
        assert says in shown_error(app)
        await close_dialog(pilot)
        await pilot.press("2")  # Kolejka, loaded again
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, OperatorScreen) and app.is_running


@pytest.mark.parametrize("kind", list(FAILURES))
async def test_sign_in_never_hangs_and_keeps_the_number(console: Console, kind: str) -> None:
    make, says = FAILURES[kind]
    app, backend = failing_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        backend.arm(make, only="login")
        await sign_in(pilot, "100001")
        assert backend.failed == ["login"]
        login = app.screen_stack[0]
        message = str(login.query_one("#login-message", Static).content)
        assert "Logowanie" not in message and says in message, message
        assert login.query_one("#number", Input).value == "100001"
        assert not login.query_one("#sign-in").disabled
        if isinstance(app.screen, ErrorDialog):
            await close_dialog(pilot)
        await sign_in(pilot, "100001")  # the next try goes in
        assert app.current_mode == "pulpit"


async def test_an_expired_session_prompt_never_hangs(console: Console) -> None:
    from ibok_tui.backends.base import SessionExpired
    from ibok_tui.screens.account.reauth import ReauthDialog

    app, backend = failing_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        backend.arm(lambda: SessionExpired("Sesja wygasła."), only="invoices")
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ReauthDialog)
        backend.arm(TimeoutError, only="login")
        app.screen.query_one("#reauth-password", Input).value = "Woda!Kowalski1"
        await pilot.press("enter")
        await settle(pilot)
        reauth = next(s for s in app.screen_stack if isinstance(s, ReauthDialog))
        assert LATE in str(reauth.query_one("#reauth-message", Static).content)
        assert not reauth.query_one("#sign-in").disabled
        assert app.is_running


async def test_a_failed_resume_says_why(console: Console, memory_keyring: Any) -> None:
    from ibok_tui.config import with_remembered
    from ibok_tui.credentials import CredentialStore

    CredentialStore("test").save("100001", "Woda!Kowalski1", "stale-token")
    backend = FailingBackend(console.backend())
    backend.arm(TimeoutError, only="login")
    app = IbokApp(
        backend,  # type: ignore[arg-type]
        config=with_remembered(console.app().config, "test", "100001"),
        config_file=console.config_file,
        profile="test",
        credentials=CredentialStore("test"),
        downloads_dir=console.downloads,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=6)
        assert app.current_mode == "login" and not app.resuming
        shown = [n.message for n in app._notifications]
        assert any("Nie udało się wznowić sesji" in m and LATE in m for m in shown), shown
        assert app.screen.query_one("#number", Input).value == "100001"


# --- the app-level safety net ----------------------------------------------------------------


async def test_a_bare_worker_that_fails_is_shown_and_the_app_stays(console: Console) -> None:
    app, _backend = failing_app(console)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def broken() -> None:
            raise RuntimeError("a worker that nobody guarded")

        app.run_worker(broken, exit_on_error=True)  # Textual's default: it ended the app
        await settle(pilot)
        assert app.is_running
        assert UNEXPECTED in shown_error(app)
        assert "RuntimeError" in text_of(app, "#error-details")
        app.run_worker(broken, exit_on_error=False)  # and one that failed in silence
        await settle(pilot)
        assert sum(isinstance(s, ErrorDialog) for s in app.screen_stack) == 2
        await close_dialog(pilot)
        await close_dialog(pilot)
        await sign_in(pilot, "100001")
        assert app.current_mode == "pulpit"
        tab = app.screen
        for exit_on_error in (True, False):  # a screen's workers: Textual tells only it
            tab.run_worker(broken, exit_on_error=exit_on_error)
            await settle(pilot)
            assert app.is_running and UNEXPECTED in shown_error(app), exit_on_error
            await close_dialog(pilot)
        assert app.screen is tab


async def test_a_crash_prints_no_locals_and_no_data(console: Console) -> None:
    app, _backend = failing_app(console)
    printed = io.StringIO()
    with pytest.raises(KeyError):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)

            def handler_with_data() -> None:
                invoice_number = "FV/2026/" + "4242" + "0"  # the old one showed locals
                raise KeyError(invoice_number)

            app.call_later(handler_with_data)
            await pilot.pause()
            rich = RichConsole(file=printed, width=120, color_system=None)
            for renderable in app._exit_renderables:
                rich.print(renderable)
    text = printed.getvalue()
    assert "KeyError" in text and "handler_with_data" in text  # type and frames stay
    assert "42420" not in text and "locals" not in text, text


# The captcha's proof of work is no I/O: a thread worker with exit_on_error=False whose
# result (or failure: no proof, so the server asks again) CaptchaBox.proof() awaits itself.
OWN_WORKERS = {("forms", "workers.py"), ("widgets", "captcha.py")}


def test_no_worker_bypasses_the_guard() -> None:
    """Only screens/forms/workers.py (and the captcha's computation) call Textual's run_worker;
    nobody uses @work."""
    offenders = []
    for path in sorted((ROOT / "ibok_tui").rglob("*.py")):
        if (path.parent.name, path.name) in OWN_WORKERS:
            continue
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), 1):
            if re.search(r"\brun_worker\(|@work\b|from textual import work", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


# --- the console against a server that answers HTML (the three symptoms) ---------


@pytest.fixture
async def bad() -> AsyncIterator[BadServer]:
    async for server in bad_server():
        yield server


def html_console(console: Console, url: str, **options: Any) -> IbokApp:
    from ibok_tui.backends.http import HttpBackend

    backend = HttpBackend(url, retries=0, **options)
    return console.app(backend, remember=False, demo=False)


@pytest.mark.parametrize("status", [200, 502])
async def test_an_html_answer_on_sign_in_ends_logowanie(
    console: Console, bad: BadServer, status: int
) -> None:
    bad.behaviour = reply(status, HTML, "text/html")
    app = html_console(console, bad.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "100001")
        message = text_of(app, "#login-message")
        assert f"(HTML, status {status})" in message and "Logowanie" not in message, message
        assert app.screen.query_one("#number", Input).value == "100001"


async def test_html_after_sign_in_and_in_the_reading_form(console: Console, bad: BadServer) -> None:
    from datetime import UTC, datetime

    from ibok_tui.backends.http import HttpBackend
    from ibok_tui.domain.models import Role, Session

    bad.behaviour = reply(200, HTML, "text/html")
    session = Session("t", Role.CUSTOMER, "100001", "Jan", datetime(2030, 1, 1, tzinfo=UTC))
    app = console.app(HttpBackend(bad.url, retries=0, session=session), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = shown_error(app)  # Pulpit's dashboard, or the profile: HTML either way
        assert "(HTML, status 200)" in message and "DecodeError" not in message, message
        while isinstance(app.screen, ErrorDialog):
            await close_dialog(pilot)
        await pilot.press("4")
        await settle(pilot)
        while isinstance(app.screen, ErrorDialog):
            await close_dialog(pilot)
        await pilot.press("n")  # the reading form: a bare worker killed the app here
        await settle(pilot)
        assert isinstance(app.screen, ReadingForm) and app.is_running
        assert "(HTML, status 200)" in text_of(app, "#problem")
