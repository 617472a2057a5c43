"""Kiosk mode: idle logout that leaves nothing of the customer on any screen, quit keys
that do nothing (the operator PIN closes it), no keyring, no file written."""

from __future__ import annotations

import gc
import io
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from ibok_tui.app import IbokApp
from ibok_tui.backends.base import AuthenticationRequired
from ibok_tui.config import Config, KioskSettings, dumps, load
from ibok_tui.credentials import CredentialStore
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.clerk.operator_kiosk import PinDialog
from ibok_tui.screens.customer.invoices import InvoicesScreen
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.screens.forms.base import TabScreen
from ibok_tui.screens.forms.dialogs import TextDialog
from ibok_tui.screens.forms.invoice_detail import InvoiceDialog
from ibok_tui.session.kiosk import KioskPolicy, hash_pin, pin_matches
from ibok_tui.tabs import TABS
from tests.ui.console_support import PASSWORDS, SMALL, Console, MemoryKeyring, settle, sign_in
from tests.ui.test_drafts import choose
from tests.ui.test_operator import office_app, serve, sign_in_operator


@dataclass
class Ticks:
    """A monotonic clock the test moves by hand."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def kiosk(ticks: Ticks, **options: Any) -> KioskPolicy:
    return KioskPolicy(clock=ticks, check_every=0.02, **options)


def _plain(rendered: object) -> str:
    if isinstance(rendered, str):
        return rendered
    plain = getattr(rendered, "plain", None)
    if isinstance(plain, str):
        return plain
    from rich.console import Console as RichConsole

    console = RichConsole(width=200, record=True, file=io.StringIO(), color_system=None)
    try:
        console.print(rendered)
    except Exception:
        return ""
    return console.export_text()


def everything_shown(app: IbokApp) -> str:
    """The text of every widget on every screen of every mode, and the notifications."""
    screens = {id(s): s for stack in app._screen_stacks.values() for s in stack}
    screens.update({id(s): s for s in app.screen_stack})
    parts: list[str] = []
    for screen in screens.values():
        for node in screen.walk_children(with_self=False):
            if isinstance(node, Input):
                parts.append(node.value)
            elif isinstance(node, TextArea):
                parts.append(node.text)
            elif isinstance(node, DataTable):
                for row in range(node.row_count):
                    parts += [_plain(cell) for cell in node.get_row_at(row)]
            else:
                parts.append(_plain(node.render()))
    parts += [n.message for n in app._notifications]
    return "\n".join(parts)


async def wait_for_login(pilot: Pilot[Any]) -> None:
    """Let the idle check run (every 0.02 s here) until the login screen is back."""
    for _ in range(200):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, LoginScreen) and pilot.app.backend.session is None:
            break
    await settle(pilot)


async def test_an_idle_kiosk_logs_out_and_leaves_nothing_of_the_customer(
    console: Console,
) -> None:
    ticks = Ticks()
    app = office_app(console, kiosk=kiosk(ticks))
    app.demo = False  # the demo's list of accounts would name the customers on its own
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "100001")
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceDialog)
        shown = everything_shown(app)
        assert "FV/100001" in shown and "Kowalski" in shown  # the check below can fail
        ticks.now += 119
        await pilot.pause(0.1)
        assert isinstance(app.screen, InvoiceDialog)  # not yet idle long enough
        ticks.now += 2
        await wait_for_login(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.backend.session is None
        shown = everything_shown(app)
        for trace in ("Kowalski", "100001", "FV/100001", "Leśna", "106,93"):
            assert trace not in shown, trace
        assert "Kowalski" not in app.export_screenshot()
        assert set(app._screen_stacks) == {"login"}
        assert app.dashboard_data is None and app.profile_data is None
        assert app.header_state.customer_name == ""


async def test_an_idle_clerk_is_signed_out_and_the_customer_session_ended(
    console: Console,
) -> None:
    ticks = Ticks()
    app = office_app(console, kiosk=kiosk(ticks))
    app.demo = False
    async with app.run_test(size=SMALL) as pilot:
        await sign_in_operator(pilot)
        office = app.backend
        await serve(pilot, "100001", "Leśn")
        assert isinstance(app.screen, PulpitScreen)
        acting = app.backend
        acting_token = acting.session.token  # type: ignore[union-attr]
        office_token = office.session.token  # type: ignore[union-attr]
        ticks.now += 121
        await wait_for_login(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.backend is office and office.session is None and acting.session is None
        shown = everything_shown(app)
        for trace in ("Kowalski", "100001", "Anna Kowalczyk", "Leśn"):
            assert trace not in shown, trace
    with pytest.raises(AuthenticationRequired):
        console.service.profile(acting_token)
    with pytest.raises(AuthenticationRequired):
        console.service.request_queue(office_token)


async def test_keys_keep_the_kiosk_awake(console: Console) -> None:
    ticks = Ticks()
    app = office_app(console, kiosk=kiosk(ticks))
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "100001")
        ticks.now += 100
        await pilot.press("2")
        ticks.now += 100  # 200 s since signing in, 100 s since the key
        await pilot.pause(0.1)
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        assert app.backend.session is not None


async def test_quit_keys_do_nothing_in_a_kiosk(console: Console) -> None:
    app = office_app(console, kiosk=kiosk(Ticks()))
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "100001")
        for key in ("ctrl+q", "ctrl+c", "ctrl+z"):
            await pilot.press(key)
            await settle(pilot)
        assert app.return_code is None
        assert isinstance(app.screen, PulpitScreen)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quit" not in commands and "Screenshot" not in commands
        assert "Aplikacja: Wyjście" not in commands
    plain = office_app(console)  # the same key closes a console that is not a kiosk
    async with plain.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert plain.return_code == 0


async def test_the_operator_pin_closes_the_kiosk(console: Console) -> None:
    app = office_app(console, kiosk=kiosk(Ticks(), pin_hash=hash_pin("4821")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, PinDialog)
        app.screen.query_one("#pin", Input).value = "1111"
        await pilot.press("enter")
        await settle(pilot)
        assert app.return_code is None
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
        app.screen.query_one("#pin", Input).value = "4821"
        await pilot.press("enter")
        await settle(pilot)
    assert app.return_code == 0


async def test_a_kiosk_remembers_nothing(console: Console, memory_keyring: MemoryKeyring) -> None:
    app = IbokApp(
        console.backend(),
        config_file=console.config_file,
        profile="test",
        credentials=CredentialStore("test"),
        kiosk=kiosk(Ticks()),
    )
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert not app.screen.query("#remember")  # a kiosk remembers nothing
        await sign_in(pilot, "100001")
        assert isinstance(app.screen, PulpitScreen)
        app.change_theme("nord")
        await pilot.press("ctrl+x")
        await settle(pilot)
    assert memory_keyring.entries == {}
    assert not console.config_file.exists()


async def test_a_kiosk_writes_no_file_and_shows_the_invoice_as_text(console: Console) -> None:
    app = office_app(console, kiosk=kiosk(Ticks()))
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "100001")
        assert app.theme == "ibok-kontrast"
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        text = everything_shown(app)
        assert "Faktura FV/100001/036" in text and "Razem" in text and "106,93" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e", "c")  # CSV export and copying are not offered
        await settle(pilot)
        await pilot.press("9")  # Dokumenty: downloading one would save it: not offered
        await settle(pilot)
        assert app.screen.check_action("download", ()) is False
        await pilot.press("enter")  # the detail is only read
        await settle(pilot)
        assert type(app.screen).__name__ == "DocumentDetail"
        assert "zawiadomienie-taryfa.pdf" in everything_shown(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u")  # Ustawienia: "export my data" is refused too
        await settle(pilot)
        app.screen.action_export()  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.clipboard == ""
    assert not console.downloads.exists()
    assert console.opened == []


def test_the_kiosk_policy() -> None:
    ticks = Ticks()
    policy = KioskPolicy(idle_seconds=30, clock=ticks)
    assert not policy.idle_expired()
    ticks.now += 29
    assert not policy.idle_expired()
    policy.touch()
    ticks.now += 29
    assert not policy.idle_expired()
    ticks.now += 1
    assert policy.idle_expired()
    assert not policy.allows_app_action("quit") and not policy.can_leave
    assert not policy.allows_screen_action("export_csv")
    assert policy.allows_screen_action("refresh")
    with pytest.raises(ValueError):
        KioskPolicy(idle_seconds=0)
    stored = hash_pin("4821")
    assert "4821" not in stored
    assert pin_matches("4821", stored) and not pin_matches("4822", stored)
    assert not pin_matches("4821", "garbage")
    with_pin = KioskPolicy(pin_hash=stored)
    assert with_pin.allows_app_action("quit") and with_pin.check_pin("4821")


def test_kiosk_settings_in_the_configuration(tmp_path: Any) -> None:
    path = tmp_path / "config.toml"
    assert "[kiosk]" not in dumps(Config())
    stored = hash_pin("4821")
    path.write_text(dumps(Config(kiosk=KioskSettings(idle_seconds=45, pin_hash=stored))))
    assert load(path).kiosk == KioskSettings(idle_seconds=45, pin_hash=stored)
    assert load(tmp_path / "none.toml").kiosk.idle_seconds == 120


# --- nothing of one customer survives for the next (issue #11) ----------------------------

EVERY_TAB = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "u", "question_mark")


def traces_of(console: Console, customer: str, other: str) -> set[str]:
    """Strings only `customer`'s data has: name, streets, meter serials, document numbers."""

    def facts(number: str) -> set[str]:
        token = console.service.login(number, PASSWORDS[number]).token
        profile = console.service.profile(token)
        found = {profile.customer.name, number}
        # a street alone is also in the utility's public notices (a burst main)
        found |= {p.address.one_line() for p in profile.properties}
        found |= {m.serial for m in console.service.meters(token)}
        found |= {i.number for i in console.service.invoices(token)}
        return {f for f in found if len(f) >= 5}

    mine, theirs = facts(customer), facts(other)
    return {t for t in mine if not any(t in f or f in t for f in theirs)}


def strings_reachable(root: object, skip: tuple[object, ...]) -> Iterator[tuple[str, str]]:
    """Every string reachable from `root` by references, with the chain of types that
    holds it; not entering `skip` (the demo portal, which holds every customer by
    design), classes, modules or a function's globals (the whole program)."""
    import types

    seen = {id(s) for s in skip}
    parent: dict[int, tuple[int, str]] = {}
    todo = [root]

    def chain(item: object) -> str:
        names, key = [], id(item)
        while key in parent and len(names) < 40:
            key, name = parent[key]
            names.append(name)
        return " < ".join(names)

    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, str):
            yield item, chain(item)
            continue
        if isinstance(item, type | types.ModuleType | types.CodeType | bytes | int | float):
            continue
        if isinstance(item, types.FunctionType):
            found = [c.cell_contents for c in item.__closure__ or () if _filled(c)]
            found += list(item.__defaults__ or ())
        else:
            found = gc.get_referents(item)
        for child in found:
            if id(child) not in seen and id(child) not in parent:
                parent[id(child)] = (id(item), type(item).__qualname__)
        todo += found


def _filled(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


async def visit_every_tab(pilot: Pilot[Any], typed: str) -> list[weakref.ref[Any]]:
    """Open every tab, type into its filter if it has one; weak references to the tabs."""
    app = pilot.app
    tabs = []
    for key in EVERY_TAB:
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, TabScreen), key
        tabs.append(weakref.ref(app.screen))
        if app.screen.query(".filter"):
            await pilot.press("slash", *typed)
            await settle(pilot)
            await pilot.press("escape")
    return tabs


@pytest.mark.parametrize("ending", ["logout", "idle"])
async def test_nothing_of_the_last_customer_survives_for_the_next(
    console: Console, ending: str
) -> None:
    ticks = Ticks()
    app = office_app(console, kiosk=kiosk(ticks))
    app.demo = False  # the demo's list of accounts names every customer on its own
    traces = traces_of(console, "200001", "100001")
    assert "FV/200001/108" in traces and any("Złoty Kłos" in t for t in traces)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "200001")
        a_tabs = await visit_every_tab(pilot, "Kłos")
        await pilot.press("2")
        await settle(pilot)
        await app.change_language("en")
        await settle(pilot)
        await app.change_language("pl")
        await settle(pilot)
        a_tabs.append(weakref.ref(app.screen))
        shown = everything_shown(app)
        assert "FV/200001/108" in shown
        # a request left unsent, kept as a draft (#14.2): in memory, this session's only
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Faktura FV/200001/108", "escape")
        await settle(pilot)
        await choose(pilot, "keep")
        assert len(app.session.drafts) == 1
        if ending == "logout":
            await pilot.press("ctrl+x")
            await settle(pilot)
        else:
            ticks.now += 121
            await wait_for_login(pilot)
        assert isinstance(app.screen, LoginScreen) and app.backend.session is None
        assert len(app.session.drafts) == 0
        await sign_in(pilot, "100001")
        b_tabs = await visit_every_tab(pilot, "FV")
        assert "Kowalski" in everything_shown(app)  # B's data is there to be seen

        shown = everything_shown(app) + app.export_screenshot()
        left = sorted(
            shown[max(0, shown.find(t) - 300) : shown.find(t) + 80] for t in traces if t in shown
        )
        assert left == [], left
        installed = [s for stack in app._screen_stacks.values() for s in stack]
        assert set(app._screen_stacks) <= {"login", *(m for _k, m, *_r in TABS)}
        assert not any(ref() in installed for ref in a_tabs)
        assert all(ref() in installed for ref in b_tabs)
        assert app.backend.session is not None and app.backend.session.subject == "100001"
        assert app.header_state.customer_number == "100001"
        skip = (console.service, getattr(app.backend, "_service", None))
        found = sorted(
            {
                f"{t} in {text!r} held by {path}"
                for text, path in strings_reachable(app, skip)
                for t in traces
                if t in text
            }
        )
        assert found == [], found
        alive = a_tabs
        # a backend call of the last session may still be finishing (seconds on a busy
        # machine: the loop ends as soon as none is left)
        for _ in range(200):
            await pilot.pause(0.05)
            gc.collect()
            alive = [ref for ref in a_tabs if ref() is not None]
            if not alive:
                break
        assert [ref() for ref in alive] == []
