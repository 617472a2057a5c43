"""Hostile text cannot steer the terminal: a store whose every shown string carries control
sequences (written under the door, tests/support/hostile.py), shown through every tab and
dialog of the customer's and the clerk's console, and a hostile server's problem answers.

What is checked is the driver's output itself: the app runs with a recording driver, a
headless driver that says it is not headless, so `App._display` writes every frame to it
exactly as it would to a terminal (and Textual's direct writes, the clipboard and the bell,
go there too). No raw payload sequence may be in it, and the payload's visible word must
be, so that a test showing nothing cannot pass."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input

from ibok_tui.app import IbokApp
from ibok_tui.backends.http import HttpBackend
from ibok_tui.portal.service import open_portal
from ibok_tui.session.kiosk import KioskPolicy
from ibok_tui.widgets import textual_internals
from tests.support.clock import FakeClock
from tests.support.hostile import PAYLOAD, make_hostile
from tests.support.http_server import ServerProcess, clock_hook
from tests.ui.console_support import Console, settle, sign_in, text_of
from tests.ui.test_operator import office_app, search, serve, sign_in_operator
from tests.ui.walk import Terminal, run, screen_name, walk_clerk, walk_customer


@pytest.fixture
def hostile(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Console]:
    folder = tmp_path / "portal"
    folder.mkdir()
    shutil.copyfile(template_db, folder / "ibok.sqlite")
    make_hostile(folder / "ibok.sqlite")
    service = open_portal(folder / "ibok.sqlite", outbox=folder / "outbox", clock=clock)
    yield Console(service, tmp_path, clock)
    service.store.close()


async def test_a_customers_console_shows_hostile_text_without_obeying_it(
    hostile: Console,
) -> None:
    async with run(hostile.app()) as pilot:
        term = Terminal(pilot)
        await settle(pilot)
        term.check("login screen", shown=False)
        await sign_in(pilot, "200001")
        term.check("Pulpit after sign-in")  # the header has the customer's name
        assert "␛]0;PWNED␇" in text_of(pilot.app, "SessionHeader")  # visible stand-ins
        assert text_of(pilot.app, "#utility").count("PWNED") >= 6  # the contact details
        await walk_customer(term)
        term.verdict()


def banner(pilot: Pilot[Any]) -> None:
    assert "Kowalski ␛]0;PWNED␇" in text_of(pilot.app, "ActingBanner")


async def test_a_clerks_console_shows_hostile_text_without_obeying_it(
    hostile: Console,
) -> None:
    async with run(office_app(hostile)) as pilot:
        term = Terminal(pilot)
        await settle(pilot)
        await sign_in_operator(pilot)
        term.check("Klienci after sign-in", shown=False)  # the clerk's name is hostile too
        await walk_clerk(term, serving=lambda: banner(pilot))
        term.verdict()


async def test_without_the_guard_the_same_check_sees_the_payload(
    hostile: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above can fail: with Textual's own `Strip.render` the payload reaches the
    terminal on the first screen that shows the customer's name."""
    monkeypatch.setattr(Strip, "render", textual_internals.ORIGINAL_STRIP_RENDER)
    monkeypatch.setattr("ibok_tui.app.guard_terminal", lambda app: None)
    async with run(hostile.app()) as pilot:
        term = Terminal(pilot)
        await settle(pilot)
        await sign_in(pilot, "100001")
        term.check("Pulpit after sign-in")
        assert term.leaks and "\\x1b]0;PWNED" in term.leaks[0]
        assert PAYLOAD[:9] in "".join(term.driver.written)


def http_app(url: str, folder: Path, clock: FakeClock | None = None) -> IbokApp:
    hooks = {"request": [clock_hook(clock)]} if clock is not None else {}
    app = IbokApp(
        HttpBackend(url, event_hooks=hooks),
        config_file=folder / "config" / "config.toml",
        profile="test",
        credentials=None,
        downloads_dir=folder / "downloads",
        opener=lambda path: None,
    )
    if clock is not None:
        app.clock = clock  # type: ignore[attr-defined]
    return app


async def test_a_hostile_customer_reaches_the_clerk_through_the_real_server_harmlessly(
    template_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    """The report's case: what a customer stored comes through `ibok serve` over HTTP into
    the clerk's Klienci, the banner and Kolejka."""
    db = tmp_path / "server" / "ibok.sqlite"
    db.parent.mkdir()
    shutil.copyfile(template_db, db)
    make_hostile(db)
    with ServerProcess(db) as server:
        async with run(http_app(server.url, tmp_path, clock)) as pilot:
            term = Terminal(pilot)
            await settle(pilot)
            await sign_in_operator(pilot)
            term.check("Klienci over HTTP", shown=False)
            await search(pilot, "Kowalski")
            term.check("Klienci over HTTP: search results")
            await serve(pilot, "100001", "Kowalski")
            term.check("serving over HTTP: the banner")
            await term.press("serving over HTTP: Zgłoszenia", "6")
            await term.press("back to the office", "f9", shown=False)
            await term.press("Kolejka over HTTP", "2")
            await term.press("Kolejka over HTTP: requests", "right_square_bracket", shown=False)
            term.verdict()


class HostileServer(BaseHTTPRequestHandler):
    """A server that answers every call with a problem whose texts carry the payload; a
    sign-in as 100001 succeeds (the session's name carries it too)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: dict[str, Any], kind: str = "problem+json") -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", f"application/{kind}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _problem(self, status: int, kind: str, **extra: Any) -> None:
        detail = f"Odmowa {PAYLOAD} koniec"
        body = {"type": f"urn:ibok:problem:{kind}", "code": kind, "detail": detail, **extra}
        self._answer(status, body)

    def do_GET(self) -> None:
        self._problem(409, "conflict")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        sent = json.loads(self.rfile.read(length) or b"{}")
        if self.path.endswith("/auth/login") and sent.get("customer_number") == "100001":
            session = {
                "token": "t",
                "role": "customer",
                "subject": "100001",
                "name": f"Jan {PAYLOAD} Kowalski",
                "expires_at": "2099-01-01T00:00:00+00:00",
            }
            self._answer(200, session, kind="json")
        elif self.path.endswith("/auth/login") and sent.get("customer_number") == "100008":
            captcha = {"id": "c1", "art": f"ART {PAYLOAD} ART"}
            self._problem(401, "captcha_required", captcha=captcha)
        elif self.path.endswith("/auth/login"):
            self._problem(429, "rate_limited")
        else:
            field_error = {"field": "email", "code": "x", "message": f"Pole {PAYLOAD} złe"}
            self._problem(422, "validation_failed", errors=[field_error])

    do_PUT = do_PATCH = do_DELETE = do_POST


@pytest.fixture
def hostile_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_a_hostile_servers_problems_are_shown_without_being_obeyed(
    hostile_server: str, tmp_path: Path
) -> None:
    async with run(http_app(hostile_server, tmp_path)) as pilot:
        term = Terminal(pilot)
        await settle(pilot)
        term.check("login screen", shown=False)
        await sign_in(pilot, "100009", "Zle!Haslo12345")
        term.check("login refused: the server's message")
        await sign_in(pilot, "100008", "Zle!Haslo12345")
        term.check("login refused: the captcha's drawing", shown=False)  # no drawing soon
        await term.press("password reset", "f2", shown=False)
        assert screen_name(pilot) == "PasswordResetDialog"
        pilot.app.screen.query_one("#reset-email", Input).value = "jan@example.pl"
        pilot.app.screen.query_one("#reset-number", Input).value = "100001"
        await pilot.click("#send")
        await settle(pilot)
        term.check("password reset refused: the field's message")
        await term.back("password reset")
        await sign_in(pilot, "100001", "Dowolne!Haslo1")
        term.check("Pulpit: the header and the error dialog")
        assert screen_name(pilot).startswith("ErrorDialog")
        await term.press("error dialog: its details", "tab", "enter", shown=False)
        while screen_name(pilot).startswith("ErrorDialog"):
            await term.back("error dialog")
        start = len(term.driver.written)
        pilot.app.notify(f"Toast [b]{PAYLOAD}[/b]")  # as a screen would, markup's default
        await settle(pilot)
        term.check("a toast")
        toast = "".join(term.driver.written[start:])
        assert "[b]␛]0;PWNED␇" in toast  # literal, with the visible stand-ins
        term.verdict()


async def test_a_kiosks_invoice_as_text_shows_hostile_lines_harmlessly(hostile: Console) -> None:
    """The kiosk shows an invoice's PDF as text (no file is saved): its lines' hostile
    descriptions are in that text."""
    app = office_app(hostile, kiosk=KioskPolicy(idle_seconds=600))
    async with run(app) as pilot:
        term = Terminal(pilot)
        await settle(pilot)
        await sign_in(pilot, "100001")
        term.check("kiosk: Pulpit")
        await term.press("kiosk: Faktury", "2")
        await term.dialog("kiosk: the invoice as text", "p", "TextDialog")
        term.verdict()


async def test_hostile_terms_are_shown_without_being_obeyed(hostile: Console) -> None:
    """A version of the terms whose text and changes carry the payload (written under the
    door): on the login screen's F4 and on the new terms' screen at sign-in."""
    from datetime import date

    hostile.service.store.execute(
        "INSERT INTO terms_versions (version, effective_from, text, changes, published_at)"
        " SELECT '2027.1', ?, text, changes, ? FROM terms_versions WHERE version = '2026.1'",
        (date(2026, 11, 21).isoformat(), "2026-11-21T08:00:00+00:00"),
    )
    async with run(hostile.app()) as pilot:
        term = Terminal(pilot)
        await settle(pilot)
        term.check("login screen", shown=False)
        await pilot.press("f4")
        await settle(pilot)
        term.check("the terms in force (F4)")
        await pilot.press("escape")
        await settle(pilot)
        await sign_in(pilot, "100001")
        await settle(pilot)
        assert screen_name(pilot) == "NewTermsScreen"
        term.check("the new terms at sign-in")
        term.verdict()
