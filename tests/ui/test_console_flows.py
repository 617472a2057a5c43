"""Flows of the account tabs: the e-invoice consent from Faktury and from Ustawienia, a
voluntary password change, and downloading a contract's own document on Umowy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input

from ibok_tui.domain.errors import LoginFailed
from ibok_tui.domain.models import Consents
from ibok_tui.screens.account.change_password import ChangePasswordDialog
from ibok_tui.screens.account.consents import EInvoiceDialog
from ibok_tui.screens.account.login import LoginScreen
from ibok_tui.screens.customer.contracts import ContractsScreen
from ibok_tui.screens.customer.invoices import InvoicesScreen
from ibok_tui.screens.customer.pulpit import PulpitScreen
from ibok_tui.screens.customer.settings import SettingsScreen
from tests.ui.console_support import SIZE, Console, settle, sign_in, text_of


def consents_of(console: Console, number: str) -> Consents:
    """What the portal has stored, read with a session of its own."""
    token = console.service.login(number, "Woda!Kowalski1").token
    return console.service.profile(token).customer.consents


async def open_consents(pilot: Pilot[Any], tab: str, key: str) -> EInvoiceDialog:
    await pilot.press(tab)
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, EInvoiceDialog)
    return dialog


async def test_e_invoice_withdrawn_from_faktury_and_accepted_again_from_ustawienia(
    console: Console,
) -> None:
    assert consents_of(console, "100001").e_invoice  # Jan Kowalski has the e-invoice
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_consents(pilot, "2", "f")
        box = dialog.query_one("#consent-e-invoice", Checkbox)
        assert box.value
        box.value = False
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        withdrawn = consents_of(console, "100001")
        assert not withdrawn.e_invoice and withdrawn.e_invoice_email == ""

        dialog = await open_consents(pilot, "u", "g")
        box = dialog.query_one("#consent-e-invoice", Checkbox)
        assert not box.value  # the dialog shows what the portal now has
        box.value = True
        dialog.query_one("#consent-email", Input).value = "faktury-bez-malpy"
        await pilot.click("#save")
        await settle(pilot)
        # a bad address is said, nothing is stored and the dialog keeps what was typed
        assert app.screen is dialog
        assert text_of(app, "#consent-message") == (
            "Podaj adres e-mail, na który mają przychodzić e-faktury."
        )
        assert dialog.query_one("#consent-email", Input).value == "faktury-bez-malpy"
        assert not consents_of(console, "100001").e_invoice
        dialog.query_one("#consent-email", Input).value = "faktury@kowalski.example.pl"
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
    accepted = consents_of(console, "100001")
    assert accepted.e_invoice
    assert accepted.e_invoice_email == "faktury@kowalski.example.pl"


async def test_voluntary_password_change_from_ustawienia(console: Console) -> None:
    app = console.app(console.backend("100001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangePasswordDialog)

        def field(name: str) -> Input:
            return dialog.query_one(f"#{name}", Input)

        # a new password against the policy is refused as it is typed
        field("new-password").value = "slabehaslo1"
        await settle(pilot)
        rules = text_of(app, "#new-rules")
        assert "✗ wielka litera" in rules and "✗ znak specjalny" in rules
        assert "✓ co najmniej 10 znaków" in rules
        field("old-password").value = "Woda!Kowalski1"
        field("repeat-password").value = "slabehaslo1"
        await pilot.click("#change")
        await settle(pilot)
        assert text_of(app, "#password-message") == "Hasło nie spełnia zasad."
        # a wrong current password: said clearly, the new password fields are kept
        field("old-password").value = "Zle!Haslo123"
        for name in ("new-password", "repeat-password"):
            field(name).value = "Moje!Nowe2026"
        await settle(pilot)
        assert "✗" not in text_of(app, "#new-rules")
        await pilot.click("#change")
        await settle(pilot)
        assert app.screen is dialog
        assert text_of(app, "#password-message") == "Obecne hasło jest nieprawidłowe."
        assert field("new-password").value == "Moje!Nowe2026"
        assert field("repeat-password").value == "Moje!Nowe2026"
        assert console.service.login("100001", "Woda!Kowalski1")  # nothing changed yet
        # the right current password: changed
        field("old-password").value = "Woda!Kowalski1"
        await pilot.click("#change")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        # the new password signs in, in the console and at the portal; the old one does not
        await pilot.press("ctrl+x")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "100001", "Moje!Nowe2026")
        assert isinstance(app.screen, PulpitScreen)
    assert console.service.login("100001", "Moje!Nowe2026").subject == "100001"
    with pytest.raises(LoginFailed):
        console.service.login("100001", "Woda!Kowalski1")


async def test_a_contracts_own_document_is_saved_to_downloads_and_opened(
    console: Console,
) -> None:
    app = console.app(console.backend("200001"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ContractsScreen)
        table = screen.query_one("#contracts-table", DataTable)
        assert table.row_count >= 2
        table.focus()
        await pilot.press("down")  # the second contract, not just the first row
        await settle(pilot)
        number = str(table.get_row_at(1)[0])
        await pilot.press("d")
        await settle(pilot)
        assert app.backend.session is not None
        token = app.backend.session.token
    expected = console.downloads / ("umowa-" + number.replace("/", "-") + ".pdf")
    assert console.opened == [expected]
    assert expected.parent == console.downloads
    content = expected.read_bytes()
    assert content.startswith(b"%PDF")
    assert f"/Title ({number})".encode() in content  # this contract's, not another's
    # the portal's document for that contract, but for the moment the PDF was rendered at
    rendered = console.service.contract_document(token, number)
    assert without_creation_date(content) == without_creation_date(rendered)


def without_creation_date(pdf: bytes) -> bytes:
    """A rendered PDF carries the wall-clock time it was made at, and a file ID hashed
    from it; the rest is the same for the same contract."""
    pdf = re.sub(rb"/CreationDate \(D:[0-9Z+'-]*\)", b"", pdf)
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", pdf)
