"""Wodomierze: filter, detail with coloured legalization and sub-meters, garden meter requests."""

# ruff: noqa: F811  (pytest fixtures imported from tests/ui/tab_harness.py)

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable, Input, Select, Static

from ibok_tui.backends.local import LocalBackend
from ibok_tui.domain.models import RequestCategory
from ibok_tui.portal.service import PortalService
from ibok_tui.screens.customer.meters import MetersScreen
from ibok_tui.screens.forms.request_form import RequestForm
from tests.ui.console_support import Console
from tests.ui.tab_harness import TabHarness, local, service, settle  # noqa: F401
from tests.ui.test_drafts import choose


def detail(app: TabHarness) -> Text:
    content = app.screen.query_one("#meter-info", Static).content
    assert isinstance(content, Text)
    return content


def style_of(text: Text, needle: str) -> str:
    start = text.plain.index(needle)
    return " ".join(str(s.style) for s in text.spans if s.start <= start < s.end)


async def test_filter_by_serial_and_legalization_colours(local: LocalBackend) -> None:
    app = TabHarness(local, MetersScreen, customer="200001")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#meters-table", DataTable)
        assert table.row_count == 5
        assert "20.01.2027 (wygasa w ciągu 90 dni)" in detail(app).plain
        assert style_of(detail(app), "20.01.2027") == "yellow"
        app.screen.query_one("#serial-filter", Input).value = "wp-1710"
        await settle(pilot)
        assert table.row_count == 1
        table.move_cursor(row=0)
        await settle(pilot)
        text = detail(app)
        assert "Wodomierz WP-1710-00912" in text.plain
        assert "20.10.2026 (wygasła)" in text.plain
        assert style_of(text, "20.10.2026") == "bold red"
        for label in ("Średnica:", "Miejsce:", "Stan:", "Właściciel:", "Data montażu:"):
            assert label in text.plain


async def test_main_meter_lists_its_garden_sub_meter(local: LocalBackend) -> None:
    app = TabHarness(local, MetersScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = detail(app).plain
        assert "Wodomierz WK-1908-40211" in text
        assert "Podliczniki:\n  OG-2104-00518  ogród, kran przy tarasie" in text
        assert style_of(detail(app), "20.03.2028") == "green"


async def test_garden_meter_removal_creates_a_request_and_a_second_replacement_is_refused(
    local: LocalBackend, service: PortalService
) -> None:
    app = TabHarness(local, MetersScreen, customer="100002")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # the main meter: only a garden meter can be replaced
        await settle(pilot)
        assert isinstance(app.screen, MetersScreen)
        app.screen.query_one("#meters-table", DataTable).move_cursor(row=1)
        await settle(pilot)
        # her garden meter's replacement is in progress already (the demo's ZG/2026/000002):
        # a second is refused in the form, naming the first, and what was typed stays
        await pilot.press("x")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RequestForm)
        assert form.query_one("#category", Select).value == RequestCategory.GARDEN_METER_REPLACE
        form.query_one("#body").load_text("Wodomierz ogrodowy przecieka.")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        problem = str(form.query_one("#request-problem", Static).content)
        assert "jest już w toku (ZG/2026/" in problem
        assert form.query_one("#body").text == "Wodomierz ogrodowy przecieka."  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        if not isinstance(app.screen, MetersScreen):  # the draft's question: discard it
            await choose(pilot, "discard")
        await pilot.press("delete")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RequestForm)
        assert form.query_one("#category", Select).value == RequestCategory.GARDEN_METER_REMOVE
        assert form.query_one("#meter", Select).value == "M-OG-2104-00518"
        form.query_one("#body").load_text("Proszę zdjąć wodomierz.")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MetersScreen)
    rows = service.store.all(
        "SELECT * FROM requests WHERE customer_number = '100002' AND body = ?",
        ("Proszę zdjąć wodomierz.",),
    )
    assert [(r["category"], r["meter_id"], r["subject"]) for r in rows] == [
        ("garden_meter_remove", "M-OG-2104-00518", "Demontaż wodomierza ogrodowego OG-2104-00518")
    ]


async def test_wodomierze_names_each_meters_property_under_all_and_shows_the_legalization(
    console: Console,
) -> None:
    from tests.ui.test_property_filter import BAKERY, SHOP, SHOP_METER, choose

    app = console.app(console.backend(BAKERY))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        table = app.screen.query_one("#meters-table", DataTable)
        keys = [str(c.key.value) for c in table.ordered_columns]
        assert keys[:2] == ["serial", "property"]
        index = keys.index("property")
        shop_row = table.get_row_index(SHOP_METER)
        assert str(table.get_cell_at((shop_row, index))) == "Sklep firmowy"
        # the legalization date is whole inside the table at 120 columns
        ends = 0
        for column in table.ordered_columns:
            ends += column.get_render_width(table)
            if column.key.value == "legalization":
                break
        assert ends <= table.scrollable_content_region.width
        await choose(pilot, 2)  # one property: no column to say which
        assert app.selected_property == SHOP
        assert "property" not in [str(c.key.value) for c in table.ordered_columns]
