"""Invoices, settlements and how to pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from ibok_tui.backends.base import NotFound, ValidationFailed
from ibok_tui.domain.models import (
    Invoice,
    InvoiceKind,
    InvoiceQuery,
    InvoiceStatus,
    SettlementFilter,
)
from ibok_tui.domain.money import vat_of
from tests.conformance.conftest import Portal
from tests.support.accounts import customer


async def test_invoices_newest_first(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    invoices = await jan.invoices()
    assert len(invoices) == 36
    assert invoices[0].number == "FV/100001/036"
    assert invoices[-1].number == "FV/100001/001"
    issued = [i.issue_date for i in invoices]
    assert issued == sorted(issued, reverse=True)
    assert {i.customer_number for i in invoices} == {"100001"}
    last = invoices[0]
    assert (last.status, last.gross, last.paid, last.to_pay) == (
        InvoiceStatus.OVERDUE,
        10693,
        0,
        10693,
    )
    assert last.due_date == date(2026, 11, 19)
    assert {i.status for i in invoices[1:]} == {InvoiceStatus.PAID}


async def test_invoice_filters(portal: Portal) -> None:
    jan = await customer(portal, "100001")

    async def numbers(**query: object) -> list[str]:
        found = await jan.invoices(InvoiceQuery(**query))  # type: ignore[arg-type]
        return [i.number for i in found]

    assert await numbers(number="035") == ["FV/100001/035"]
    assert await numbers(number="fv/100001/03") == [f"FV/100001/03{n}" for n in range(6, -1, -1)]
    assert await numbers(number="%") == []
    assert await numbers(date_from=date(2026, 9, 1), date_to=date(2026, 10, 31)) == [
        "FV/100001/035",
        "FV/100001/034",
    ]
    assert await numbers(date_from=date(2026, 11, 5)) == ["FV/100001/036"]
    assert await numbers(status=InvoiceStatus.OVERDUE) == ["FV/100001/036"]
    assert len(await numbers(status=InvoiceStatus.PAID)) == 35
    assert await numbers(status=InvoiceStatus.UNPAID) == []
    assert await numbers(number="036", date_from=date(2026, 1, 1), status=InvoiceStatus.PAID) == []


async def test_interest_notes_of_the_business(portal: Portal) -> None:
    bakery = await customer(portal, "200001")
    notes = await bakery.invoices(InvoiceQuery(kind=InvoiceKind.INTEREST_NOTE))
    assert len(notes) == 2
    assert all(n.number.startswith("NO/200001/") for n in notes)
    overdue = await bakery.invoices(InvoiceQuery(status=InvoiceStatus.OVERDUE))
    assert overdue and all(i.to_pay > 0 and i.due_date < date(2026, 11, 21) for i in overdue)


def _vat_per_rate(invoice: Invoice) -> int:
    """VAT act art. 106e ust. 1 pkt 14: each rate's VAT from the sum of the nets at it."""
    nets: dict[Decimal, int] = {}
    for line in invoice.lines:
        nets[line.vat_rate] = nets.get(line.vat_rate, 0) + line.net
    return sum(vat_of(net, rate) for rate, net in nets.items())


async def test_invoice_vat_from_the_sum_of_nets_art_106e_ust_1_pkt_14(portal: Portal) -> None:
    """VAT act art. 106e ust. 1 pkt 14 ("kwotę podatku od sumy wartości sprzedaży netto"):
    the 036 invoice's lines carry 3,13 + 4,38 + 0,42 = 7,93 zł of VAT each rounded, but the
    invoice's VAT is 8 % of the 99,01 zł net, 7,92 zł; the PDF shows the same."""
    jan = await customer(portal, "100001")
    invoice = await jan.invoice("FV/100001/036")
    assert invoice.lines
    assert sum(line.net for line in invoice.lines) == invoice.net == 9901
    assert sum(line.vat for line in invoice.lines) == 793
    assert invoice.vat == _vat_per_rate(invoice) == 792
    assert invoice.gross == 10693
    listed = (await jan.invoices(InvoiceQuery(number="036")))[0]
    assert (listed.net, listed.vat, listed.gross) == (9901, 792, 10693)
    text = "".join(
        page.extract_text()
        for page in PdfReader(BytesIO(await jan.invoice_pdf(invoice.number))).pages
    )
    assert "7,92" in text and "106,93" in text and "106,94" not in text
    assert invoice.net + invoice.vat == invoice.gross
    assert (invoice.period_from, invoice.period_to) == (date(2026, 10, 1), date(2026, 10, 31))
    for line in invoice.lines:
        assert line.net + line.vat == line.gross
    with pytest.raises(NotFound):
        await jan.invoice("FV/100001/999")


async def test_correction_of_an_estimate(portal: Portal) -> None:
    maria = await customer(portal, "100004")
    [correction] = await maria.invoices(InvoiceQuery(kind=InvoiceKind.CORRECTION))
    [estimate] = await maria.invoices(InvoiceQuery(kind=InvoiceKind.ESTIMATED))
    assert correction.corrects == estimate.number
    assert correction.gross < 0 and correction.to_pay == 0
    assert correction.status is InvoiceStatus.SETTLED_BY_CORRECTION
    # every document's lines add up, the correction's negative ones included
    for listed in await maria.invoices():
        detail = await maria.invoice(listed.number)
        assert detail.lines, detail.number
        assert sum(line.net for line in detail.lines) == detail.net, detail.number
        assert _vat_per_rate(detail) == detail.vat, detail.number
        assert detail.net + detail.vat == detail.gross, detail.number


async def test_invoice_pdf(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    pdf = await jan.invoice_pdf("FV/100001/036")
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    with pytest.raises(NotFound):
        await jan.invoice_pdf("FV/100001/999")


async def test_settlement_rows_carry_their_invoice_property(portal: Portal) -> None:
    bakery = await customer(portal, "200001")
    invoices = {i.number: i.property_id for i in await bakery.invoices()}
    rows = {r.number: r.property_id for r in (await bakery.settlements()).rows}
    assert rows == {number: invoices[number] for number in rows}
    assert len(set(rows.values())) == 3  # the bakery's three properties


async def test_settlements_paid_and_unpaid(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    everything = await jan.settlements()
    assert len(everything.rows) == 36
    assert await jan.settlements(SettlementFilter.ALL) == everything
    [unpaid] = (await jan.settlements(SettlementFilter.UNPAID)).rows
    assert (unpaid.number, unpaid.owed, unpaid.to_pay, unpaid.overdue) == (
        "FV/100001/036",
        10693,
        10693,
        True,
    )
    paid = (await jan.settlements(SettlementFilter.PAID)).rows
    assert len(paid) == 35
    assert all(r.to_pay == 0 and r.paid == r.owed and r.payments for r in paid)
    balance = everything.balance
    assert balance.owed - balance.paid == balance.balance == 10693
    assert balance.overdue == 10693 and balance.to_pay == 10693 and balance.overpayment == 0


async def test_overpayment(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    settlements = await anna.settlements()
    balance = settlements.balance
    assert balance.balance < 0
    assert balance.overpayment == -balance.balance == 18450
    assert balance.to_pay == 0 and balance.overdue == 0
    assert settlements.unassigned_payments
    assert (await anna.settlements(SettlementFilter.UNPAID)).rows == ()
    # nothing to pay, so no transfer details
    with pytest.raises(ValidationFailed) as nothing:
        await anna.payment_details()
    assert nothing.value.fields == {"amount"}


async def test_overdue_business_with_interest_notes(portal: Portal) -> None:
    bakery = await customer(portal, "200001")
    settlements = await bakery.settlements()
    notes = [r for r in settlements.rows if r.kind is InvoiceKind.INTEREST_NOTE]
    assert len(notes) == 2
    overdue = [r for r in settlements.rows if r.overdue]
    assert overdue
    assert settlements.balance.overdue == sum(r.to_pay for r in overdue) == 127831
    unpaid = (await bakery.settlements(SettlementFilter.UNPAID)).rows
    assert {r.number for r in unpaid} == {r.number for r in settlements.rows if r.to_pay > 0}


def _assert_zbp(payload: str, account: str, amount: int) -> list[str]:
    fields = payload.split("|")
    assert len(fields) == 9
    nip, country, qr_account, qr_amount, recipient, title = fields[:6]
    assert nip == "5250001003" and country == "PL"
    assert len(qr_account) == 26 and qr_account.isdigit() and qr_account == account
    assert len(qr_amount) == 6 and qr_amount.isdigit() and int(qr_amount) == amount
    assert 0 < len(recipient) <= 20 and 0 < len(title) <= 32
    assert fields[6:] == ["", "", ""]
    assert len(payload) <= 160
    return fields


async def test_payment_details_for_the_balance_and_an_invoice(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    account = (await jan.profile()).customer.bank_account
    whole = await jan.payment_details()
    assert whole.amount == 10693
    assert whole.account == account and len(account) == 26 and account.isdigit()
    assert whole.recipient == "Wodociągi Miejskie w Zalesiu Sp. z o.o."
    assert whole.recipient_nip == "5250001003"
    assert "100001" in whole.title
    _assert_zbp(whole.qr_payload, account, 10693)
    assert whole.online_url.startswith("https://")

    one = await jan.payment_details("FV/100001/036")
    assert one.amount == 10693
    fields = _assert_zbp(one.qr_payload, account, 10693)
    assert "FV/100001/036" in fields[5]
    assert "FV/100001/036" in one.title
    assert "106.93" in one.online_url

    with pytest.raises(ValidationFailed) as paid:
        await jan.payment_details("FV/100001/035")
    assert paid.value.fields == {"amount"}
    with pytest.raises(NotFound):
        await jan.payment_details("FV/100001/999")
