"""The walk over every tab and dialog of the customer's and the clerk's console, with a
terminal that records what each step wrote: one walk for the checks that need it (hostile
text cannot steer the terminal, tests/ui/test_hostile_text.py; no word of the other language
on screen, tests/ui/test_language_walk.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot

from ibok_tui.app import IbokApp
from tests.support.hostile import RAW, SHOWN
from tests.ui.console_support import SIZE, settle
from tests.ui.test_operator import search, serve

# what Textual itself writes that looks like a payload: the mouse pointer's shape (OSC 22,
# ended by BEL)
TEXTUALS_OWN = re.compile(r"\x1b\]22;[a-z-]+\x07")


class RecordingDriver(HeadlessDriver):
    """A terminal that keeps everything the app writes to it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.written: list[str] = []

    @property
    def is_headless(self) -> bool:
        return False  # so that the app writes its frames here

    def write(self, data: str) -> None:
        self.written.append(data)


@dataclass
class Terminal:
    """The steps of one run and what each wrote to the terminal."""

    pilot: Pilot[Any]
    mark: int = 0
    leaks: list[str] = field(default_factory=list)
    unseen: list[str] = field(default_factory=list)
    steps: int = 0

    @property
    def driver(self) -> RecordingDriver:
        driver = self.pilot.app._driver
        assert isinstance(driver, RecordingDriver)
        return driver

    look: Callable[[str, str], list[str]] | None = None  # (step, written) -> what is wrong

    def check(self, name: str, *, shown: bool = True) -> None:
        """What was written since the last check: no payload, and (if `shown`) its word;
        or, with `look`, what it finds."""
        written = TEXTUALS_OWN.sub("", "".join(self.driver.written[self.mark :]))
        self.mark = len(self.driver.written)
        self.steps += 1
        if self.look is not None:
            self.leaks.extend(f"{name}: {found}" for found in self.look(name, written))
            return
        found = [_context(written, raw) for raw in RAW if raw in written]
        if found:
            self.leaks.append(f"{name}: {', '.join(found)}")
        if shown and SHOWN not in written:
            self.unseen.append(name)

    async def press(self, name: str, *keys: str, shown: bool = True) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)
        self.check(name, shown=shown)

    async def dialog(self, name: str, key: str, screen: str, *, shown: bool = True) -> None:
        """Open a dialog with `key`, check it is `screen` and what it showed, close it."""
        await self.press(name, key, shown=shown)
        assert screen_name(self.pilot) == screen, (name, screen_name(self.pilot))
        await self.back(name)

    async def back(self, name: str) -> None:
        """Close what is open with Escape; what it uncovers is drawn again. A form with
        something typed asks whether to keep it as a draft (#14.2): discarded."""
        await self.press(f"{name}, closed", "escape", shown=False)
        if screen_name(self.pilot) == "ChoiceDialog":
            from tests.ui.test_drafts import choose

            await choose(self.pilot, "discard")

    def verdict(self) -> None:
        assert self.steps > 2
        assert self.leaks == [], "control sequences reached the terminal"
        assert self.unseen == [], "the hostile text was not shown"


def _context(written: str, raw: str) -> str:
    at = written.index(raw)
    return repr(written[max(0, at - 40) : at + 20])


def run(app: IbokApp) -> Any:
    app.driver_class = RecordingDriver
    return app.run_test(size=SIZE, headless=False, notifications=True)


def screen_name(pilot: Pilot[Any]) -> str:
    """The open screen's class (an error dialog's error with it, to say what went wrong)."""
    screen = pilot.app.screen
    error = getattr(screen, "error", None)
    return type(screen).__name__ + ("" if error is None else f": {error!r}")


async def walk_customer(term: Terminal) -> None:
    """Every tab and dialog of a customer's console, from Pulpit after sign-in."""
    tabs = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "u", "question_mark"]
    for key in tabs:
        await term.press(f"tab {key}", key, shown=key not in ("7", "question_mark"))
    # the dialogs
    await term.press("Faktury", "2", shown=False)
    await term.dialog("invoice detail", "enter", "InvoiceDialog")
    await term.press("Odczyty", "4", shown=False)
    await term.dialog("reading form", "n", "ReadingForm")
    await term.press("Odczyty: the readings", "tab", shown=False)
    await term.dialog("reading detail", "enter", "ReadingDetail")
    await term.press("Wodomierze", "5", shown=False)
    await term.press("Wodomierze: next meter", "down")
    await term.dialog("garden meter request", "g", "RequestForm")
    await term.press("Zgłoszenia", "6", shown=False)
    await term.press("Zgłoszenia: next request's detail", "down")
    await term.dialog("request form", "n", "RequestForm")
    await term.press("Umowy", "8", shown=False)
    await term.dialog("contract detail", "enter", "TextDialog")
    await term.press("Dokumenty", "9", shown=False)
    await term.press("Dokumenty: next document", "down")
    await term.press("Ustawienia", "u", shown=False)
    await term.dialog("consents", "g", "EInvoiceDialog")
    await term.dialog("change password", "h", "ChangePasswordDialog", shown=False)
    await term.press("Pulpit", "1", shown=False)
    await term.dialog("property chooser", "w", "ChoiceDialog")
    await term.dialog("keys help", "f1", "KeysHelpDialog", shown=False)
    await term.press("palette", "ctrl+p", shown=False)
    await term.press("palette search", *"faktur", shown=False)
    await term.back("palette")


async def walk_clerk(term: Terminal, serving: Callable[[], None] | None = None) -> None:
    """Every tab and dialog of the clerk's console, from Klienci after sign-in; `serving`
    is called while a customer is served."""
    pilot = term.pilot
    await search(pilot, "Kowalski")
    term.check("Klienci: search results")
    table = await search(pilot, "Leśna")
    term.check("Klienci: search by street")
    table.focus()
    await term.dialog("Klienci: the audit log", "a", "AuditDialog")
    await serve(pilot, "100001", "Kowalski")
    term.check("serving a customer: the banner")
    if serving is not None:
        serving()
    for key in ("2", "3", "6", "0", "1"):
        await term.press(f"serving: tab {key}", key)
    # 200001, the customer's console's, has nothing to pay
    await term.dialog("serving: pay the balance", "z", "PaymentDialog")
    await term.dialog("serving: the customer's audit", "f8", "AuditDialog")
    await term.dialog("serving: reading for the customer", "f6", "ReadingForm", shown=False)
    await term.dialog("serving: request for the customer", "f7", "RequestForm", shown=False)
    await term.press("back to the office", "f9", shown=False)
    await term.press("Kolejka: registrations", "2")
    await term.press("Kolejka: requests", "right_square_bracket")
    await term.dialog("Kolejka: reply", "o", "ReplyDialog")
    await term.dialog("Kolejka: status", "s", "ReplyDialog")
    await term.press("Kolejka: readings", "right_square_bracket")
    await term.press("Kolejka: notices", "right_square_bracket")
    await term.dialog("Kolejka: new notice", "n", "NoticeDialog", shown=False)
