"""Every dialog at 80×24 (and 120×40, and 75 rows for the longest): its title, its
buttons and its frame are on screen, not cut off and not scrolled away, whatever the
length of what it shows; its body scrolls instead (screens/forms/dialogs.py)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button

from tests.ui.console_support import SIZE, SMALL, Console, settle
from tests.ui.dialog_catalogue import DIALOGS, OPERATOR, Place
from tests.ui.dialog_catalogue import LONG_BODY as DIALOG_LONG_BODY


def fully_shown(screen: Screen[Any], widget: Widget) -> bool:
    """The whole widget is drawn: inside the screen and not clipped by a scrolling parent."""
    geometry = screen.find_widget(widget)
    return geometry.region.area > 0 and geometry.visible_region == geometry.region


def kept_on_screen(screen: Screen[Any]) -> list[Widget]:
    """What must be visible on opening: the frame, its title and its buttons."""
    frame = screen.query_one(".dialog")
    kept: list[Widget] = [frame, *screen.query(".dialog .title")]
    for row in screen.query(".dialog .buttons").results(Horizontal):
        kept += [b for b in row.query(Button) if b.display]
    return kept


def place(console: Console, app: Any) -> Place:
    """Over the console of customer 100001 (Pulpit); a clerk's dialog gets a clerk's
    backend on the same portal."""

    async def office() -> Any:
        backend = console.backend()
        await backend.operator_login(*OPERATOR)
        return backend

    return Place(app, app.backend, console.folder, office)


async def open_dialog(console: Console, pilot: Any, name: str) -> Screen[Any]:
    app = pilot.app
    await settle(pilot)
    entry = DIALOGS[name]
    dialog = await entry.open(place(console, app))
    assert type(dialog).__name__ == entry.dialog, name
    await app.push_screen(dialog)
    await settle(pilot)
    return app.screen


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_dialog_keeps_its_title_and_buttons_on_screen(
    console: Console, name: str, size: tuple[int, int]
) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=size) as pilot:
        screen = await open_dialog(console, pilot, name)
        kept = kept_on_screen(screen)
        hidden = [repr(w) for w in kept if not fully_shown(screen, w)]
        assert hidden == [], f"{name} at {size}: {hidden}"
        # opened at its top: its first label is not under the docked title
        assert screen.query_one(".dialog").scroll_y == 0, f"{name} opened scrolled"
        if name not in ("choice", "file_picker", "terms_admin", "audit"):
            assert screen.query(".dialog .buttons Button"), f"{name} has no buttons"


def in_frame_view(screen: Screen[Any], widget: Widget) -> bool:
    """The widget is between the dialog's docked title and its buttons (a widget taller
    than that view: its top row is)."""
    frame = screen.query_one(".dialog")
    if any(node.has_class("buttons") for node in widget.ancestors):
        return fully_shown(screen, widget)  # the docked buttons' row
    top = max((t.region.bottom for t in frame.query("* > .title")), default=frame.region.y)
    bottom = min((b.region.y for b in frame.query("* > .buttons")), default=frame.region.bottom)
    region = widget.region
    if region.height > bottom - top:
        return top <= region.y < bottom
    return top <= region.y and region.bottom <= bottom


@pytest.mark.parametrize("name", ["register", "request_form", "change_password", "keys_help"])
async def test_tab_through_a_long_dialog_at_80x24_keeps_the_focus_in_view(
    console: Console, name: str
) -> None:
    """The dialogs that scroll at 80×24: opened at the top with the first field in view,
    and Tab scrolls each next field into view, never under the title or the buttons."""
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_dialog(console, pilot, name)
        assert screen.query_one(".dialog").max_scroll_y > 0, "it does not scroll at 80×24"
        seen = set()
        for _step in range(len(screen.focus_chain)):
            focused = screen.focused
            assert focused is not None
            seen.add(id(focused))
            assert in_frame_view(screen, focused), f"{name}: {focused!r} out of view"
            await pilot.press("tab")
            await settle(pilot)
        assert len(seen) == len(screen.focus_chain)


@pytest.mark.parametrize("rows", [24, 40, 75])
async def test_the_reply_to_a_long_request_keeps_its_fields_in_view(
    console: Console, rows: int
) -> None:
    """A request of 10,000 characters: the status, the reply box and the buttons stay on
    screen; the request's own text scrolls in its part of the dialog."""
    app = console.app(console.backend("100001"))
    async with app.run_test(size=(120 if rows > 24 else 80, rows)) as pilot:
        screen = await open_dialog(console, pilot, "reply")
        for selector in ("#reply-status", "#reply-text", "#send", "#cancel", "#reply-about"):
            assert fully_shown(screen, screen.query_one(selector)), (selector, rows)
        body = screen.query_one("#reply-body-scroll")
        assert body.max_scroll_y > 0  # the request is there, scrolled in its own box
        assert screen.find_widget(body).visible_region.height >= 5


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
async def test_the_registrations_terms_show_their_text(
    console: Console, size: tuple[int, int]
) -> None:
    """The terms box has its height and shows the terms (it was an empty frame)."""
    app = console.app(console.backend())
    async with app.run_test(size=size) as pilot:
        screen = await open_dialog(console, pilot, "register")
        box = screen.query_one("#terms-text")
        box.scroll_visible(animate=False)
        await settle(pilot)
        body = screen.query_one("#terms-body")
        terms = await app.backend.terms()
        assert terms.text[:40] in str(body.render())
        assert fully_shown(screen, box) and box.region.height >= 6
        assert screen.find_widget(body).visible_region.height >= 4


async def test_a_refused_registration_shows_its_first_error_at_80x24(console: Console) -> None:
    """Everything filled in but the terms not accepted: the tick box far below the fold is
    focused and its message is in view."""
    app = console.app(console.backend())
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_dialog(console, pilot, "register")
        values = {
            "customer_number": "100009",
            "last_invoice_number": "FV/100009/001",
            "full_name": "Anna Nowa",
            "email": "anna@example.com",
            "password": "Woda!Nowa2026x",
            "password_repeat": "Woda!Nowa2026x",
        }
        for name, value in values.items():
            screen.query_one(f"#reg-{name}").value = value  # type: ignore[attr-defined]
        screen.query_one("#submit", Button).press()
        await settle(pilot)
        message = screen.query_one("#err-terms_accepted")
        assert "regulamin" in str(message.render()).lower()
        assert screen.focused is screen.query_one("#reg-terms")
        assert fully_shown(screen, message) and fully_shown(screen, screen.focused)
        assert all(fully_shown(screen, b) for b in screen.query(".buttons Button"))


async def test_a_refused_request_focuses_its_field_with_the_message_in_view(
    console: Console,
) -> None:
    """A request of 10,000 characters (the limit is 5,000) at 80×24: refused, the body is
    focused, its message and the buttons are on screen, and nothing typed is lost."""
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_dialog(console, pilot, "request_form")
        screen.query_one("#send", Button).press()
        await settle(pilot)
        message = screen.query_one("#error-body")
        assert str(message.render()).strip()
        assert screen.focused is screen.query_one("#body")
        assert fully_shown(screen, message)
        assert all(fully_shown(screen, b) for b in screen.query(".buttons Button"))
        assert screen.query_one("#body").text == DIALOG_LONG_BODY  # type: ignore[attr-defined]
