"""The regulations to the letter, in the console: each test names its source."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Label

from ibok_tui.i18n import money
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
    """Ustawa o VAT art. 106e ust. 1 pkt 14: the tax of the sum of the nets per rate. The
    demo's invoices have one rate (8 %): its sum is the total (99,01 zł net, 7,92 zł VAT,
    106,93 zł), shown once, without a row of the rate that would repeat it."""
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
        assert "w tym stawka" not in lines
        assert "99,01" in lines and "7,92" in lines and "106,93" in lines


async def test_an_invoice_of_two_rates_shows_the_vat_of_each_art_106e_ust_1_pkt_14(
    console: Console,
) -> None:
    """Two rates (8 % for water and sewage, 23 % for a service): one row per rate with the
    sum of its nets and the tax of that sum, then the totals."""
    import dataclasses
    from decimal import Decimal

    from rich.console import Console as RichConsole

    from ibok_tui.domain.billing import totals, vat_summary
    from ibok_tui.screens.forms.invoice_detail import invoice_table

    backend = console.backend("100001")
    invoice = await backend.invoice((await backend.invoices())[0].number)
    first, *rest = invoice.lines
    service = dataclasses.replace(
        first, vat_rate=Decimal("0.23"), vat=round(first.net * Decimal("0.23"))
    )
    service = dataclasses.replace(service, gross=service.net + service.vat)
    lines = (service, *rest)
    net, vat, gross = totals(lines)
    two = dataclasses.replace(invoice, lines=lines, net=net, vat=vat, gross=gross)
    out = RichConsole(width=120, record=True)
    out.print(invoice_table(two))
    shown = out.export_text()
    rows = {rate: (n, v) for rate, n, v in vat_summary(lines)}
    assert set(rows) == {Decimal("0.08"), Decimal("0.23")}
    for rate in ("8", "23"):
        [row] = [line for line in shown.splitlines() if f"w tym stawka {rate}%" in line]
        rate_net, rate_vat = rows[Decimal(rate) / 100]
        assert money(rate_net) in row and money(rate_vat) in row
    [total] = [line for line in shown.splitlines() if "Razem" in line]
    assert money(net) in total and money(vat) in total and money(gross) in total


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
                # the Będzin regulation's line, column and pie charts: Pomoc names the pie
                analyses = next(row for row in rows if row[0] == "7")[2].lower()
                assert ("kołowy" if language == "pl" else "pie chart") in analyses, analyses
        finally:
            set_language("pl")
