"""Hostile and impossible input is refused alike by both backends, each refusal naming its
field: the demo (LocalBackend, the portal called directly) checks what the server's door
checks, so nothing the demo stores could not have come through the server either."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from datetime import date
from typing import Any

import pytest

from ibok_tui.backends.base import Backend, ValidationFailed
from ibok_tui.domain.models import (
    Address,
    Consents,
    ContactUpdate,
    InvoiceQuery,
    NoticeDraft,
    NoticeKind,
    ReadingSubmission,
    Registration,
    RequestCategory,
    RequestDraft,
    RequestStatus,
    Resolution,
)
from tests.conformance.conftest import Portal
from tests.support.accounts import NEW_PASSWORD, customer, operator

FAR_FUTURE = date(9999, 12, 31)
ADDRESS = Address("ul. Leśna", "7", "05-500", "Zalesie", apartment="3")


async def _refused(call: Awaitable[Any], field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await call
    found = {e.field: e.code for e in refused.value.errors}
    assert found.get(field) == code, found


async def _meter(backend: Backend) -> str:
    return (await backend.meters())[0].id


@pytest.mark.parametrize("address", ["a@b..pl", "jan@", "jan kowalski@example.pl", "a@b"])
async def test_contact_and_e_invoice_addresses_are_validated(portal: Portal, address: str) -> None:
    jan = await customer(portal, "100001")
    await _refused(jan.update_contact(ContactUpdate(email=address)), "email", "invalid_email")
    consents = Consents(e_invoice=True, e_invoice_email=address)
    await _refused(jan.set_consents(consents), "e_invoice_email", "invalid_email")
    assert (await jan.profile()).customer.email == "jan.kowalski@example.pl"


@pytest.mark.parametrize("character", ["\r", "\n", "\x00", "\x1b", "\u202e", "\x85"])
async def test_control_characters_are_refused_in_e_mails_names_and_addresses(
    portal: Portal, character: str
) -> None:
    jan = await customer(portal, "100001")
    email = f"jan.kowalski@example.pl{character}Bcc: x@example.pl"
    await _refused(jan.update_contact(ContactUpdate(email=email)), "email", "unsafe_character")
    consents = Consents(e_invoice=True, e_invoice_email=email)
    await _refused(jan.set_consents(consents), "e_invoice_email", "unsafe_character")
    street = ContactUpdate(address=Address(f"ul. Leśna{character}", "7", "05-500", "Zalesie"))
    await _refused(jan.update_contact(street), "address.street", "unsafe_character")
    flat = ContactUpdate(address=Address("ul. Leśna", "7", "05-500", "Zalesie", f"1{character}"))
    await _refused(jan.update_contact(flat), "address.apartment", "unsafe_character")
    stored = (await jan.profile()).customer
    assert character not in stored.email + stored.address.street + stored.address.apartment


async def test_a_clean_address_is_still_stored(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    updated = await jan.update_contact(ContactUpdate(email="jan.k@example.pl", address=ADDRESS))
    assert updated.email == "jan.k@example.pl" and updated.address == ADDRESS


async def test_registration_refuses_hostile_names_and_invalid_e_mails(
    portal: Portal, backend: Backend
) -> None:
    captcha = await backend.new_captcha()
    terms = await backend.terms()
    form = Registration(
        customer_number="100008",
        last_invoice_number="FV/2026/10/0001",
        full_name="Jan\x1b]0;pwned\x07 Nowy",
        email="nowy@example..pl",  # refused once the name is clean
        password=NEW_PASSWORD,
        password_repeat=NEW_PASSWORD,
        terms_version=terms.version,
        terms_accepted=True,
        captcha_id=captcha.id,
        captcha_answer="0000",
    )
    await _refused(backend.register(form), "full_name", "unsafe_character")
    named = dataclasses.replace(form, full_name="Jan Nowy")
    await _refused(backend.register(named), "email", "invalid_email")


async def test_password_reset_refuses_an_impossible_address(backend: Backend) -> None:
    await _refused(
        backend.request_password_reset("100001", "jan@@example.pl"), "email", "invalid_email"
    )
    await _refused(
        backend.request_password_reset("100001", "jan.kowalski@example.pl\r\nBcc: x@y.pl"),
        "email",
        "unsafe_character",
    )
    await backend.request_password_reset("100001", "nobody@example.pl")  # no match: no word


async def test_readings_refuse_far_dates_and_endless_numbers(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    meter = await _meter(jan)
    far = ReadingSubmission(meter_id=meter, value="1013", read_on=FAR_FUTURE)
    await _refused(jan.submit_reading(far), "read_on", "out_of_range")
    ancient = ReadingSubmission(meter_id=meter, value="1013", read_on=date(1, 1, 1))
    await _refused(jan.submit_reading(ancient), "read_on", "out_of_range")
    endless = ReadingSubmission(meter_id=meter, value="1" * 5000)
    await _refused(jan.submit_reading(endless), "value", "too_long")
    large = ReadingSubmission(meter_id=meter, value="1" * 30)
    await _refused(jan.submit_reading(large), "value", "too_large")
    for field in ("date_from", "date_to"):
        dates = {field: FAR_FUTURE}
        await _refused(jan.series(meter, Resolution.MONTH, **dates), field, "out_of_range")


async def test_invoice_filters_refuse_far_dates_and_control_characters(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    far = InvoiceQuery(date_to=FAR_FUTURE)
    await _refused(jan.invoices(far), "date_to", "out_of_range")
    await _refused(jan.invoices(InvoiceQuery(number="FV\x1b[2J")), "number", "unsafe_character")
    assert await jan.invoices(InvoiceQuery(date_to=date(2199, 12, 31)))  # the last sane day


async def test_requests_and_replies_refuse_control_characters(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    subject = RequestDraft(RequestCategory.OTHER, "Awaria\x1b[2J", "Opis")
    await _refused(jan.create_request(subject), "subject", "unsafe_character")
    body = RequestDraft(RequestCategory.OTHER, "Awaria", "Opis\x1b]52;c;ZXZpbA==\x07")
    await _refused(jan.create_request(body), "body", "unsafe_character")
    created = await jan.create_request(
        RequestDraft(RequestCategory.OTHER, "Awaria", "Dwie linie\n\ti wcięcie")
    )
    assert created.body == "Dwie linie\n\ti wcięcie"
    staff = await operator(portal)
    reply = staff.reply_request(created.id, "Odpowiedź\x9b2J", RequestStatus.IN_PROGRESS)
    await _refused(reply, "text", "unsafe_character")
    await _refused(staff.block_account("100002", "Powód\x00"), "reason", "unsafe_character")
    notice = NoticeDraft(NoticeKind.INFO, "Tytuł\u202e", "Treść", valid_from=date(2026, 12, 1))
    await _refused(staff.publish_notice(notice), "title", "unsafe_character")
    forever = NoticeDraft(NoticeKind.INFO, "Tytuł", "Treść", date(2026, 12, 1), FAR_FUTURE)
    await _refused(staff.publish_notice(forever), "valid_to", "out_of_range")


async def test_scan_file_names_refuse_control_characters(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    contract = (await jan.contracts())[0].number
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    for name in ("skan\r\n.png", "skan\x1b[2J.png", "skan\u202egnp.pdf"):
        await _refused(
            jan.upload_contract_scan(contract, name, png), "filename", "unsafe_character"
        )
