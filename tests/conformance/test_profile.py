"""The customer's dashboard, profile, contact data, consents, contracts and documents."""

from __future__ import annotations

from datetime import date

import pytest

from ibok_tui.backends.base import NotFound, ValidationFailed
from ibok_tui.domain.models import (
    Address,
    Consents,
    ContactUpdate,
    ContractStatus,
    CustomerKind,
    DocumentKind,
    LegalizationState,
    NoticeKind,
)
from tests.conformance.conftest import Portal
from tests.support.accounts import customer

DATA_AS_OF = date(2026, 11, 20)


async def test_dashboard_of_jan(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    board = await jan.dashboard()
    assert board.customer.name == "Jan Kowalski"
    assert board.utility.short_name == "Wodociągi Zalesie"
    assert board.data_as_of == DATA_AS_OF
    assert board.balance.overdue == 10693 and board.balance.balance == 10693
    assert [a.kind for a in board.alerts] == ["overdue"]
    assert board.alerts[0].amount == 10693
    [summary] = board.meters
    assert summary.meter.serial == "WK-2209-11873"
    assert summary.last_reading is not None
    assert (summary.last_reading.read_on, summary.last_reading.index) == (
        date(2026, 10, 31),
        1012814,
    )
    months = [p.start for p in board.monthly_use]
    assert 1 <= len(months) <= 12 and months == sorted(months)
    assert months[-1].date() <= DATA_AS_OF
    assert all(p.litres >= 0 for p in board.monthly_use)
    assert any(n.kind is NoticeKind.MAINTENANCE for n in board.notices)
    assert board.forecast is not None
    assert board.forecast.period_from == date(2026, 11, 1)
    assert board.forecast.gross > board.forecast.net > 0


async def test_dashboard_alerts(portal: Portal) -> None:
    piotr = await customer(portal, "100003")
    alerts = (await piotr.dashboard()).alerts
    assert [(a.kind, a.meter_id) for a in alerts] == [("night_flow", "M-SM-2402-00077")]
    bakery = await customer(portal, "200001")
    board = await bakery.dashboard()
    kinds = [(a.kind, a.meter_id) for a in board.alerts]
    assert kinds[0] == ("overdue", None)
    assert ("legalization", "M-WP-1710-00912") in kinds  # expired
    assert ("legalization", "M-WK-2011-30455") in kinds  # expiring
    states = {m.meter.serial: m.meter.legalization for m in board.meters}
    assert states["WP-1710-00912"] is LegalizationState.EXPIRED
    assert states["WK-2011-30455"] is LegalizationState.EXPIRING
    assert len(board.meters) == 5


async def test_profile_of_a_business(portal: Portal) -> None:
    bakery = await customer(portal, "200001")
    profile = await bakery.profile()
    assert profile.customer.kind is CustomerKind.BUSINESS
    assert profile.customer.number == "200001"
    assert profile.data_as_of == DATA_AS_OF
    assert len(profile.properties) == 3
    serials = {m.serial for p in profile.properties for pt in p.points for m in pt.meters}
    assert len(serials) == 5
    assert {p.address.street for p in profile.properties} >= {"ul. Parkowa", "ul. Kolejowa"}
    assert len(profile.customer.bank_account) == 26


async def test_profile_with_a_garden_meter(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    profile = await anna.profile()
    meters = [m for p in profile.properties for pt in p.points for m in pt.meters]
    roles = {m.serial: (m.role.value, m.parent_id) for m in meters}
    assert roles["WK-1908-40211"] == ("main", None)
    assert roles["OG-2104-00518"][0] == "sub"


async def test_update_contact(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    new_address = Address("ul. Sosnowa", "7", "05-540", "Zalesie Górne", apartment="2")
    updated = await jan.update_contact(
        ContactUpdate(email="jan.k@example.pl", phone="+48 600 100 200", address=new_address)
    )
    assert updated.email == "jan.k@example.pl"
    assert updated.phone == "+48 600 100 200"
    assert updated.address == new_address
    assert (await jan.profile()).customer == updated
    # only what is given changes
    phone_only = await jan.update_contact(ContactUpdate(phone="600100300"))
    assert (phone_only.phone, phone_only.email) == ("600100300", "jan.k@example.pl")


async def test_invalid_contact_changes_nothing(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    before = (await jan.profile()).customer
    bad_address = Address("ul. Sosnowa", "7", "05540", "Zalesie Górne")
    with pytest.raises(ValidationFailed) as bad:
        await jan.update_contact(
            ContactUpdate(email="jan.kowalski@", phone="12ab", address=bad_address)
        )
    assert bad.value.fields == {"email", "phone", "address.postal_code"}
    # one bad field spoils the lot: the good ones are not stored either
    with pytest.raises(ValidationFailed) as one:
        await jan.update_contact(ContactUpdate(email="jan.k@example.pl", phone="123"))
    assert one.value.fields == {"phone"}
    with pytest.raises(ValidationFailed) as empty:
        await jan.update_contact(ContactUpdate(address=Address("", "7", "05-540", "")))
    assert empty.value.fields == {"address.street", "address.city"}
    assert (await jan.profile()).customer == before


async def test_e_invoice_consent(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    assert not (await anna.profile()).customer.consents.e_invoice
    accepted = await anna.set_consents(
        Consents(e_invoice=True, e_invoice_email="faktury@nowak.example.pl", notify_email=True)
    )
    assert accepted.consents.e_invoice
    assert accepted.consents.e_invoice_email == "faktury@nowak.example.pl"
    assert accepted.consents.notify_email and not accepted.consents.marketing

    moved = await anna.set_consents(
        Consents(e_invoice=True, e_invoice_email="anna@nowak.example.pl", notify_email=True)
    )
    assert moved.consents.e_invoice_email == "anna@nowak.example.pl"

    with pytest.raises(ValidationFailed) as bad:
        await anna.set_consents(Consents(e_invoice=True, e_invoice_email="nie-email"))
    assert bad.value.fields == {"e_invoice_email"}
    assert (await anna.profile()).customer.consents == moved.consents

    withdrawn = await anna.set_consents(Consents(e_invoice=False))
    assert not withdrawn.consents.e_invoice
    assert withdrawn.consents.e_invoice_email == ""
    assert (await anna.profile()).customer.consents == withdrawn.consents


async def test_contracts_and_their_documents(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    [contract] = await jan.contracts()
    assert contract.number == "UM/2023/100001-1"
    assert contract.status is ContractStatus.ACTIVE
    assert contract.customer_number == "100001"
    assert await jan.contract(contract.number) == contract
    pdf = await jan.contract_document(contract.number)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(NotFound):
        await jan.contract("UM/2023/999999-1")


async def test_documents(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    documents = await jan.documents()
    letter = next(d for d in documents if d.id == "D-100001-taryfa")
    assert letter.kind is DocumentKind.LETTER
    assert letter.filename == "zawiadomienie-taryfa.pdf"
    meta, content = await jan.document_content(letter.id)
    assert meta == letter
    assert content.startswith(b"%PDF")
    assert len(content) == letter.size
    with pytest.raises(NotFound):
        await jan.document_content("D-no-such")
