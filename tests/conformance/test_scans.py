"""Signed contract scans: what they are comes from their content, their names are cleaned,
a customer's scans are limited, and a scan can be withdrawn until the utility accepts it."""

from __future__ import annotations

from datetime import date

import pytest

from ibok_tui.backends.base import Conflict, Forbidden, NotFound, ValidationFailed
from ibok_tui.domain.models import DocumentKind, ScanStatus
from ibok_tui.domain.text import unsafe_character
from ibok_tui.i18n.problems import field_text
from tests.conformance.conftest import Portal
from tests.support import scans
from tests.support.accounts import customer, operator

JAN_CONTRACT = "UM/2023/100001-1"


async def test_upload_a_signed_scan(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    number = JAN_CONTRACT
    with pytest.raises(ValidationFailed) as empty:
        await jan.upload_contract_scan(number, "umowa.pdf", b"")
    assert empty.value.fields == {"content"}
    assert (await jan.contract(number)).scans == ()

    content = scans.pdf()
    first = await jan.upload_contract_scan(number, "umowa.PDF", content, idempotency_key="k-1")
    again = await jan.upload_contract_scan(number, "umowa.PDF", content, idempotency_key="k-1")
    assert again == first
    assert first.kind is DocumentKind.SCAN
    assert first.scan_status is ScanStatus.SUBMITTED
    assert (first.mime, first.filename) == ("application/pdf", "umowa.pdf")
    assert first.size == len(content)
    assert first.customer_number == "100001"
    assert first.created_on == date(2026, 11, 21)
    assert (await jan.contract(number)).scans == (first,)
    assert [d.id for d in await jan.documents()].count(first.id) == 1
    meta, stored = await jan.document_content(first.id)
    assert (meta, stored) == (first, content)

    photo = await jan.upload_contract_scan(number, "strona2.png", scans.png())
    assert photo.mime == "image/png"
    page = await jan.upload_contract_scan(number, "strona3.jpeg", scans.jpeg())
    assert (page.mime, page.filename) == ("image/jpeg", "strona3.jpeg")
    assert [s.id for s in (await jan.contract(number)).scans] == [first.id, photo.id, page.id]
    with pytest.raises(NotFound):
        await jan.upload_contract_scan("UM/2023/100002-1", "umowa.pdf", content)


@pytest.mark.parametrize("name", sorted(scans.fakes()))
async def test_a_file_that_is_not_a_scan_is_refused(portal: Portal, name: str) -> None:
    """HTML, an ELF binary, a zip, and files with only the right magic: none is stored."""
    jan = await customer(portal, "100001")
    with pytest.raises(ValidationFailed) as refused:
        await jan.upload_contract_scan(JAN_CONTRACT, name, scans.fakes()[name])
    assert refused.value.fields == {"content"}
    assert {e.code for e in refused.value.errors} <= {"unsupported_type", "unreadable"}
    assert (await jan.contract(JAN_CONTRACT)).scans == ()
    assert all(d.kind is not DocumentKind.SCAN for d in await jan.documents())


async def test_the_type_is_the_contents_never_the_names(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    png_as_pdf = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.pdf", scans.png())
    assert (png_as_pdf.mime, png_as_pdf.filename) == ("image/png", "umowa.pdf.png")
    pdf_as_exe = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.exe", scans.pdf())
    assert (pdf_as_exe.mime, pdf_as_exe.filename) == ("application/pdf", "umowa.exe.pdf")
    nameless = await jan.upload_contract_scan(JAN_CONTRACT, "", scans.jpeg())
    assert (nameless.mime, nameless.filename) == ("image/jpeg", "skan.jpg")
    meta, _ = await jan.document_content(png_as_pdf.id)
    assert meta.mime == "image/png"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../etc/umowa.pdf", "umowa.pdf"),
        ("C:\\Users\\jan\\skan umowy.pdf", "skan umowy.pdf"),
        ("umowa\u202efdp.exe.pdf", "umowafdp.exe.pdf"),  # a bidi override would show "exe.pdf"
        ("\x1b]52;c;aGk=\x07umowa\x1b[2J.pdf", "]52;c;aGk=umowa[2J.pdf"),
        ("umowa\r\nX-Injected: 1.pdf", "umowa X-Injected: 1.pdf"),
        ("  ..ukryty.pdf. ", "ukryty.pdf"),
        ("a" * 250 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
async def test_a_scans_name_is_cleaned(portal: Portal, sent: str, stored: str) -> None:
    """Cleaned; or, where the rule for untrusted text refuses control and bidi characters
    at the door, refused as a whole with the field named and nothing stored."""
    jan = await customer(portal, "100001")
    try:
        scan = await jan.upload_contract_scan(JAN_CONTRACT, sent, scans.pdf())
    except ValidationFailed as refused:
        assert unsafe_character(sent) is not None  # only such a name may be refused
        assert refused.fields == {"filename"}
        assert (await jan.contract(JAN_CONTRACT)).scans == ()
        return
    assert scan.filename == stored
    assert unsafe_character(scan.filename) is None
    assert [s.filename for s in (await jan.contract(JAN_CONTRACT)).scans] == [stored]


async def test_a_name_longer_than_255_characters_is_refused(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(ValidationFailed) as refused:
        await jan.upload_contract_scan(JAN_CONTRACT, "a" * 252 + ".pdf", scans.pdf())
    assert refused.value.fields == {"filename"}
    assert (await jan.contract(JAN_CONTRACT)).scans == ()


async def test_one_scan_over_the_size_limit_is_refused(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(ValidationFailed) as too_large:
        await jan.upload_contract_scan(JAN_CONTRACT, "skan.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    assert too_large.value.fields == {"content"}
    assert {e.code for e in too_large.value.errors} == {"too_large"}
    assert (await jan.contract(JAN_CONTRACT)).scans == ()


async def test_a_customers_scans_are_limited_in_number(portal: Portal) -> None:
    """20 scans awaiting acceptance at most (the default); withdrawing or an operator's
    acceptance makes room again."""
    jan = await customer(portal, "100001")
    page = scans.png()
    sent = [await jan.upload_contract_scan(JAN_CONTRACT, f"s{i}.png", page) for i in range(20)]
    with pytest.raises(ValidationFailed) as full:
        await jan.upload_contract_scan(JAN_CONTRACT, "s21.png", page)
    [error] = full.value.errors
    assert (error.field, error.code, error.params["limit"]) == ("content", "scan_count_limit", "20")
    assert "20" in field_text(error) and "wycofaj" in field_text(error)
    assert len((await jan.contract(JAN_CONTRACT)).scans) == 20

    await jan.withdraw_contract_scan(sent[0].id)
    await jan.upload_contract_scan(JAN_CONTRACT, "s21.png", page)
    with pytest.raises(ValidationFailed):
        await jan.upload_contract_scan(JAN_CONTRACT, "s22.png", page)
    bok = await operator(portal)
    await bok.accept_contract_scan(sent[1].id)
    await jan.upload_contract_scan(JAN_CONTRACT, "s22.png", page)


async def test_a_scan_can_be_withdrawn_until_it_is_accepted(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    first = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.pdf", scans.pdf())
    second = await jan.upload_contract_scan(JAN_CONTRACT, "strona2.png", scans.png())

    await jan.withdraw_contract_scan(first.id)
    assert [s.id for s in (await jan.contract(JAN_CONTRACT)).scans] == [second.id]
    assert first.id not in {d.id for d in await jan.documents()}
    with pytest.raises(NotFound):
        await jan.document_content(first.id)
    with pytest.raises(NotFound):  # a second withdrawal finds nothing
        await jan.withdraw_contract_scan(first.id)

    bok = await operator(portal)
    assert [s.id for s in await bok.pending_scans()] == [second.id]  # the withdrawn one is gone
    accepted = await bok.accept_contract_scan(second.id)
    assert await bok.pending_scans() == []
    assert accepted.scan_status is ScanStatus.ACCEPTED
    assert accepted.customer_number == "100001"
    assert (await bok.accept_contract_scan(second.id)) == accepted  # accepting twice is fine
    [shown] = (await jan.contract(JAN_CONTRACT)).scans
    assert shown.scan_status is ScanStatus.ACCEPTED
    with pytest.raises(Conflict) as kept:
        await jan.withdraw_contract_scan(second.id)
    assert kept.value.code == "scan_accepted"
    assert [s.id for s in (await jan.contract(JAN_CONTRACT)).scans] == [second.id]
    audit = await bok.audit_log("100001")
    assert any(a.action == "accept_contract_scan" for a in audit)


async def test_only_ones_own_scans_and_only_scans_can_be_withdrawn(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    scan = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.pdf", scans.pdf())
    anna = await customer(portal, "100002")
    with pytest.raises(NotFound):
        await anna.withdraw_contract_scan(scan.id)
    letter = next(d for d in await jan.documents() if d.kind is not DocumentKind.SCAN)
    with pytest.raises(NotFound):  # a letter of the utility is not the customer's to delete
        await jan.withdraw_contract_scan(letter.id)
    assert letter.scan_status is None
    with pytest.raises(NotFound):
        await (await operator(portal)).accept_contract_scan(letter.id)
    with pytest.raises(Forbidden):  # accepting is the utility's, not the customer's
        await jan.accept_contract_scan(scan.id)
    assert [s.id for s in (await jan.contract(JAN_CONTRACT)).scans] == [scan.id]
