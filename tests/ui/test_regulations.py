"""The regulations to the letter, in the console: each test names its source."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Label

from ibok_tui.screens.forms.invoice_detail import InvoiceDialog
from tests.ui.console_support import SIZE, Console, settle, text_of


async def test_a_correction_is_titled_faktura_korygujaca_art_106j(console: Console) -> None:
    """Ustawa o VAT art. 106j: a correction is a "faktura korygująca"; the Faktury list names
    its kind so and its view is titled "Faktura korygująca KOR/…", not "Faktura KOR/…"."""
    app = console.app(console.backend("100004"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        app.screen.query_one("#invoice-number", Input).value = "KOR/"
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)[:2]] == [
            "KOR/100004/016",
            "faktura korygująca",
        ]
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceDialog)
        title = str(app.screen.query_one(".title", Label).render())
        assert title == "Faktura korygująca KOR/100004/016"


async def test_the_invoice_view_shows_vat_per_rate_art_106e_ust_1_pkt_14(
    console: Console,
) -> None:
    """Ustawa o VAT art. 106e ust. 1 pkt 14: the tax of the sum of the nets per rate; the
    view shows that rate's row (99,01 zł net, 7,92 zł VAT) and the total it makes."""
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceDialog)
        lines = text_of(app, "#invoice-lines")
        assert "w tym stawka 8%" in lines
        assert "99,01" in lines and "7,92" in lines and "106,93" in lines


async def test_dane_klienta_shows_regon_bedzin_regulation(console: Console) -> None:
    """The Będzin regulation lists the customer's data as "kod nabywcy, nazwa, adres, NIP,
    REGON, lista posesji": Dane klienta shows the business's REGON beside its NIP."""
    app = console.app(console.backend("200001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("0")
        await settle(pilot)
        data = text_of(app, "#customer-data")
        assert "NIP" in data and "1230045679" in data
        assert "REGON" in data and "146201538" in data


async def test_pomoc_describes_every_tab_in_polish_and_english(console: Console) -> None:
    """#14.7: Pomoc says what every tab does; Odczyty, Wodomierze, Zgłoszenia and Analizy
    were empty. Every row has its words, in Polish and, switched, in English."""
    from ibok_tui.i18n import set_language
    from ibok_tui.screens.customer.help import tab_rows

    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        try:
            for language in ("pl", "en"):
                set_language(language)
                rows = tab_rows(app, app)
                assert len(rows) == 12
                empty = [title for _key, title, what, _keys in rows if len(what) < 30]
                assert empty == [], (language, empty)
                whats = [what for _key, _title, what, _keys in rows]
                assert len(set(whats)) == len(whats)
                readings = next(row for row in rows if row[0] == "4")[2]
                if language == "en":
                    assert "reading" in readings.lower() and "odczyt" not in readings.lower()
                else:
                    assert "odczyt" in readings.lower()
        finally:
            set_language("pl")
