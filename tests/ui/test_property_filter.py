"""The chosen property (key `w`) filters every tab whose data belongs to a property.

The bakery (200001) has three properties and five meters. With one property chosen each
tab shows only that property's rows and says how many it hides; "all" brings back
everything. The data is loaded once: switching the property re-filters it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from ibok_tui.app import IbokApp
from ibok_tui.domain.models import RequestCategory, RequestDraft
from ibok_tui.screens.forms.dialogs import ChoiceDialog
from ibok_tui.widgets.chart import Chart
from ibok_tui.widgets.panel import Panel
from tests.ui.console_support import PASSWORDS, SIZE, Console, settle, text_of

BAKERY = "200001"
SHOP = "P-200001-2"  # Sklep firmowy: one meter
SHOP_METER = "M-WK-2303-51820"
ALL_METERS = {
    "M-WP-1710-00912",
    "M-WK-2011-30455",
    SHOP_METER,
    "M-WK-2206-77301",
    "M-WK-2212-80017",
}
WAREHOUSE_METER = "M-WK-2206-77301"  # of Magazyn (P-200001-3)


def keys(app: IbokApp, selector: str) -> set[str]:
    table = app.screen.query_one(selector, DataTable)
    return {str(key.value) for key in table.rows}


def note(app: IbokApp) -> str | None:
    """The property note above the tab's content, or None while it is hidden."""
    widget = app.screen.query_one("#property-note", Static)
    return text_of(app, "#property-note") if widget.display else None


async def choose(pilot: Pilot[Any], position: int) -> None:
    """`w` on Pulpit, then the option at `position` (0: all properties, 1…: a property)."""
    await pilot.press("1")
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChoiceDialog)
    await pilot.press(*(["down"] * position), "enter")
    await settle(pilot)


async def tab(pilot: Pilot[Any], key: str) -> None:
    await pilot.press(key)
    await settle(pilot)


def bakery_facts(console: Console) -> dict[str, Any]:
    """What the portal says belongs to the shop, and the whole account's counts."""
    token = console.service.login(BAKERY, PASSWORDS[BAKERY]).token
    invoices = console.service.invoices(token)
    rows = console.service.settlements(token).rows
    return {
        "invoices": {i.number for i in invoices},
        "shop_invoices": {i.number for i in invoices if i.property_id == SHOP},
        "shop_to_pay": sum(r.to_pay for r in rows if r.property_id == SHOP),
        "contracts": {c.number for c in console.service.contracts(token)},
        "shop_contracts": {
            c.number for c in console.service.contracts(token) if c.property_id == SHOP
        },
        "shop_readings": {r.id for r in console.service.readings(token, SHOP_METER)},
    }


def file_meter_request(console: Console) -> str:
    """A garden-meter request about a meter of the warehouse (another property)."""
    token = console.service.login(BAKERY, PASSWORDS[BAKERY]).token
    draft = RequestDraft(
        category=RequestCategory.GARDEN_METER_INSTALL,
        subject="Montaż wodomierza ogrodowego",
        body="Prosimy o montaż przy magazynie.",
        meter_id=WAREHOUSE_METER,
    )
    return console.service.create_request(token, draft).id


async def test_every_tab_shows_the_chosen_property_then_all_again(console: Console) -> None:
    facts = bakery_facts(console)
    warehouse_request = file_meter_request(console)
    app = console.app(console.backend(BAKERY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # everything first: every tab loads its data under "all"
        assert keys(app, "#meters-table") == ALL_METERS
        assert note(app) is None
        await tab(pilot, "2")
        assert keys(app, "#invoices-table") == facts["invoices"]
        await tab(pilot, "3")
        assert keys(app, "#settlements-table") == facts["invoices"]
        await tab(pilot, "4")
        assert keys(app, "#meter-table") == ALL_METERS
        await tab(pilot, "5")
        assert keys(app, "#meters-table") == ALL_METERS
        await tab(pilot, "6")
        requests = keys(app, "#request-table")
        assert warehouse_request in requests and len(requests) == 3
        await tab(pilot, "7")
        assert app.screen.query_one("#chart-meter", Select).value == "M-WK-2011-30455"
        await tab(pilot, "8")
        assert keys(app, "#contracts-table") == facts["contracts"]

        await choose(pilot, 2)  # the second property: the shop
        assert app.selected_property == SHOP
        assert keys(app, "#meters-table") == {SHOP_METER}
        assert note(app) == "Posesja Sklep firmowy: pokazano 1 z 5"
        alerts = text_of(app, "#alerts")
        assert "Legalizacja" not in alerts  # both warnings are of the bakery's meters
        assert "Masz zaległe płatności." in alerts  # the account's own alert stays
        assert "Całe konto (wszystkie posesje)" in text_of(app, "#balance")
        assert "(wszystkie posesje)" in app.screen.query_one("#use", Panel).title

        await tab(pilot, "2")
        assert keys(app, "#invoices-table") == facts["shop_invoices"]
        shop, everything = len(facts["shop_invoices"]), len(facts["invoices"])
        assert note(app) == f"Posesja Sklep firmowy: pokazano {shop} z {everything}"

        await tab(pilot, "3")
        assert keys(app, "#settlements-table") == facts["shop_invoices"]
        balance = text_of(app, "#balance-box")
        assert "Całe konto (wszystkie posesje):" in balance
        assert "Dokumenty posesji Sklep firmowy:" in balance
        expected = f"{facts['shop_to_pay'] / 100:_.2f}".replace(".", ",").replace("_", "\xa0")
        assert f"do zapłaty {expected}\xa0zł" in balance

        await tab(pilot, "4")
        assert keys(app, "#meter-table") == {SHOP_METER}
        assert "WK-2303-51820" in text_of(app, "#meter-title")
        assert keys(app, "#reading-table") <= facts["shop_readings"]
        assert keys(app, "#reading-table")

        await tab(pilot, "5")
        assert keys(app, "#meters-table") == {SHOP_METER}
        assert "Wodomierz WK-2303-51820" in text_of(app, "#meter-info")

        await tab(pilot, "6")
        assert keys(app, "#request-table") == requests - {warehouse_request}
        assert note(app) == "Posesja Sklep firmowy: pokazano 2 z 3"

        await tab(pilot, "7")
        select = app.screen.query_one("#chart-meter", Select)
        assert [value for _label, value in select._options if isinstance(value, str)] == [
            SHOP_METER
        ]
        assert select.value == SHOP_METER
        assert app.screen.data.meter.id == SHOP_METER  # type: ignore[attr-defined]
        app.screen.show_kind("payments")  # type: ignore[attr-defined]
        await settle(pilot)
        assert "(całe konto)" in app.screen.query_one(Chart).plt.build()
        assert "brutto (całe konto)" in text_of(app, "#analysis-stats")  # the forecast

        await tab(pilot, "8")
        assert keys(app, "#contracts-table") == facts["shop_contracts"]

        await choose(pilot, 0)  # all properties again
        assert app.selected_property is None
        assert keys(app, "#meters-table") == ALL_METERS
        assert "Legalizacja" in text_of(app, "#alerts")
        assert "Całe konto" not in text_of(app, "#balance")
        for key, selector, expected_keys in (
            ("2", "#invoices-table", facts["invoices"]),
            ("3", "#settlements-table", facts["invoices"]),
            ("4", "#meter-table", ALL_METERS),
            ("5", "#meters-table", ALL_METERS),
            ("6", "#request-table", requests),
            ("8", "#contracts-table", facts["contracts"]),
        ):
            await tab(pilot, key)
            assert keys(app, selector) == expected_keys, key
            assert note(app) is None, key
        await tab(pilot, "3")
        assert "Całe konto" not in text_of(app, "#balance-box")
        await tab(pilot, "7")
        select = app.screen.query_one("#chart-meter", Select)
        assert {value for _label, value in select._options if isinstance(value, str)} == (
            ALL_METERS
        )
        assert select.value == SHOP_METER  # the meter shown stays shown


async def test_a_tab_first_opened_after_the_choice_loads_only_that_property(
    console: Console,
) -> None:
    facts = bakery_facts(console)
    app = console.app(console.backend(BAKERY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, 2)
        await tab(pilot, "4")
        assert keys(app, "#meter-table") == {SHOP_METER}
        assert "WK-2303-51820" in text_of(app, "#meter-title")
        assert keys(app, "#reading-table") <= facts["shop_readings"]
        await tab(pilot, "7")
        assert app.screen.query_one("#chart-meter", Select).value == SHOP_METER
        assert app.screen.data.meter.id == SHOP_METER  # type: ignore[attr-defined]
        await tab(pilot, "3")
        assert keys(app, "#settlements-table") == facts["shop_invoices"]
        await pilot.press("n")  # unpaid only: reloaded from the portal, still filtered
        await settle(pilot)
        assert keys(app, "#settlements-table") <= facts["shop_invoices"]
        balance = text_of(app, "#balance-box")
        assert "Dokumenty posesji Sklep firmowy:" in balance
        # another property: the meter shown in Odczyty follows
        await choose(pilot, 3)  # Magazyn
        await tab(pilot, "4")
        assert keys(app, "#meter-table") == {WAREHOUSE_METER, "M-WK-2212-80017"}
        assert app.screen.meter_id in {WAREHOUSE_METER, "M-WK-2212-80017"}  # type: ignore[attr-defined]
        assert "WK-2303-51820" not in text_of(app, "#meter-title")
        assert note(app) == "Posesja Magazyn: pokazano 2 z 5"


async def test_a_single_property_customer_sees_no_note(console: Console) -> None:
    app = console.app(console.backend("100002"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.selected_property == "P-100002-1"  # chosen for them: the only one
        assert "Całe konto" not in text_of(app, "#balance")
        for key in ("1", "2", "3", "4", "5", "6", "7", "8"):
            await tab(pilot, key)
            assert note(app) is None, key
        await tab(pilot, "5")
        assert len(keys(app, "#meters-table")) == 2  # the main meter and the garden one
        await tab(pilot, "3")
        assert "Całe konto" not in text_of(app, "#balance-box")
