"""The payment QR code as the console draws it: read back from the screen's cells at
80×24 and 120×40, decoded by a real QR decoder (zxing-cpp) into the payment code, with
its full quiet zone of 4 light modules on every side (ISO/IEC 18004), the whole code on
screen beside the dialog's buttons."""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Button

from ibok_tui.domain.payments import qr_payload
from ibok_tui.drawing import MAX_VERSION, QUIET_ZONE, qr_content, qr_text
from ibok_tui.screens.customer.payment import PaymentDialog
from ibok_tui.widgets.qr import QrCode
from tests.support.qr_reader import Cell, decode, modules_from_cells, quiet_margins
from tests.ui.console_support import SIZE, SMALL, Console, settle
from tests.ui.test_dialogs_small import fully_shown

ACCOUNT = "61109010140000071219812874"


def _dark(color: Color | None) -> bool:
    assert color is not None, "a QR cell without its colour (it would take the terminal's)"
    red, green, blue = color.get_truecolor()
    return red + green + blue < 3 * 128


def screen_cells(screen: Screen[Any], widget: QrCode) -> list[list[Cell]]:
    """The cells the screen shows where the widget is, as the terminal gets them."""
    region = screen.find_widget(widget).visible_region
    strips = screen._compositor.render_strips()
    cells: list[list[Cell]] = []
    for y in range(region.y, region.bottom):
        row: list[Cell] = []
        for segment in strips[y].crop(region.x, region.right):
            style = segment.style
            assert style is not None
            for char in segment.text:
                row.append((char, _dark(style.color), _dark(style.bgcolor)))
        cells.append(row)
    return cells


def text_cells(text: Text) -> list[list[Cell]]:
    """The cells of `qr_text` (one style: black on white)."""
    style = Style.parse(text.style) if isinstance(text.style, str) else text.style
    return [
        [(c, _dark(style.color), _dark(style.bgcolor)) for c in line]
        for line in text.plain.splitlines()
    ]


@pytest.mark.parametrize("size", [SMALL, SIZE], ids=["80x24", "120x40"])
async def test_the_drawn_code_decodes_to_the_payment_with_its_quiet_zone(
    console: Console, size: tuple[int, int]
) -> None:
    app = console.app(console.backend("200001"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")  # the unpaid ones
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentDialog)
        qr = screen.query_one(QrCode)
        assert fully_shown(screen, qr)  # not cut by the screen or the dialog's frame
        for button in screen.query(Button):
            assert fully_shown(screen, button), button
        modules = modules_from_cells(screen_cells(screen, qr))
        assert decode(modules) == screen.details.qr_payload
        assert min(quiet_margins(modules)) >= QUIET_ZONE
        assert quiet_margins(modules)[:2] == (QUIET_ZONE, QUIET_ZONE)


@pytest.mark.parametrize(
    ("recipient", "title"),
    [
        ("Wodociągi Będzin", "Faktura FV/100001/036"),
        ("Żółć ęśąźń ŻÓŁĆ ĘŚĄŹŃ", "Zażółć gęślą jaźń ŻÓŁĆ ĘŚĄŹŃ ąęś"),  # every letter 2 bytes
        ("€" * 20, "€" * 32),  # 3 bytes each
        ("W" * 20, "9" * 32),  # the longest title, of digits
    ],
)
def test_every_payment_code_fits_80x24_with_its_quiet_zone(recipient: str, title: str) -> None:
    payload = qr_payload(
        nip="1234563218", account=ACCOUNT, amount=999_999, recipient=recipient, title=title
    )
    drawn = qr_text(payload)
    lines = drawn.plain.splitlines()
    assert len(lines) <= 23 and all(len(line) == len(lines[0]) <= 45 for line in lines)
    modules = modules_from_cells(text_cells(drawn))
    assert min(quiet_margins(modules)) >= QUIET_ZONE
    held = decode(modules)
    assert held == qr_content(payload)
    fields = held.split("|")
    assert fields[:4] == ["1234563218", "PL", ACCOUNT, "999999"]  # what the bank reads
    if title.startswith("Faktura"):  # a payment code that fits is held as it is
        assert held == payload


def test_a_code_is_never_larger_than_version_5() -> None:
    import segno

    assert MAX_VERSION == 5
    assert segno.make("x" * 106, error="l", boost_error=False).version == MAX_VERSION
