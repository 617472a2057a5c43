"""The customer office (BOK): search, registrations, the request queue, readings to
import, blocking, password links, notices, acting for a customer and the audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from ibok_tui.backends.base import (
    AuthenticationRequired,
    Backend,
    Conflict,
    Forbidden,
    LoginFailed,
    NotFound,
    ValidationFailed,
)
from ibok_tui.domain.models import (
    AccountStatus,
    ContactUpdate,
    NoticeDraft,
    NoticeKind,
    ReadingStatus,
    ReadingSubmission,
    Registration,
    RequestCategory,
    RequestDraft,
    RequestStatus,
    Role,
)
from tests.conformance.conftest import Portal
from tests.support.accounts import NEW_PASSWORD, PASSWORDS, customer, operator
from tests.support.captcha import solve_captcha
from tests.support.mail import body, code_from, newest_mail

TODAY = date(2026, 11, 21)


async def _numbers(office: Backend, query: str) -> list[str]:
    return [c.number for c in await office.search_customers(query)]


async def test_search_customers(portal: Portal) -> None:
    office = await operator(portal)
    by_number = await office.search_customers("100001")
    assert by_number[0].number == "100001"
    assert by_number[0].name == "Jan Kowalski"
    assert by_number[0].status is AccountStatus.ACTIVE
    assert by_number[0].meter_serials == ("WK-2209-11873",)
    assert "ul. Leśna" in by_number[0].address
    assert await _numbers(office, "Nowak") == ["100002"]
    assert await _numbers(office, "kowalski") == ["100001"]
    assert set(await _numbers(office, "Leśn")) == {"100001", "100008"}
    # Polish letters fold too: upper case finds lower case and the other way round
    assert await _numbers(office, "WIŚNIEWSKI") == ["100003"]
    assert set(await _numbers(office, "LEŚNA")) == {"100001", "100008"}
    assert await _numbers(office, "złoty kłos") == ["200001"]
    # a street where only a property is, not the correspondence address
    assert await _numbers(office, "Parkowa") == ["200001"]
    [smart] = await office.search_customers("SM-2402")
    assert smart.number == "100003" and smart.meter_serials == ("SM-2402-00077",)
    assert await _numbers(office, "x") == []
    assert await _numbers(office, "nikt-taki") == []


async def test_search_folds_polish_letters_and_pages(portal: Portal) -> None:
    office = await operator(portal)
    assert await _numbers(office, "wisniewski") == ["100003"]
    assert await _numbers(office, "zloty klos") == ["200001"]
    every = [c.number for c in await office.search_customers("ul", limit=500)]
    assert len(every) >= 8
    paged: list[str] = []
    for offset in range(0, len(every) + 4, 4):
        paged += [c.number for c in await office.search_customers("ul", offset=offset, limit=4)]
    assert paged == every


@pytest.mark.parametrize("query", ["%", "__", '"', "*", "NEAR", "OR", "(", '" OR "', "a* OR b*"])
async def test_search_takes_hostile_text_as_text(portal: Portal, query: str) -> None:
    office = await operator(portal)
    assert len(await _numbers(office, query)) < 3


async def test_search_refuses_a_query_of_ten_thousand_characters(portal: Portal) -> None:
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as refused:
        await office.search_customers("ł" * 10_000)
    assert refused.value.fields == {"q"}


async def test_pending_registration_activated(portal: Portal) -> None:
    office = await operator(portal)
    pending = await office.pending_registrations()
    tomasz = next(p for p in pending if p.customer_number == "100005")
    assert tomasz.name == "Tomasz Kamiński"
    assert tomasz.email == "tomasz.kaminski@example.pl"
    assert tomasz.activate_by == tomasz.registered_at + timedelta(hours=72)
    await office.activate_registration("100005")
    assert "100005" not in [p.customer_number for p in await office.pending_registrations()]
    with pytest.raises(Conflict):
        await office.activate_registration("100005")
    with pytest.raises(Conflict):
        await office.activate_registration("100001")
    assert (await customer(portal, "100005")).session is not None
    entries = await office.audit_log("100005")
    assert [(e.operator, e.action) for e in entries][:1] == [("bok.anna", "activate_registration")]


async def test_pending_registration_rejected_with_a_reason(portal: Portal) -> None:
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as no_reason:
        await office.reject_registration("100005", "  ")
    assert no_reason.value.fields == {"reason"}
    assert "100005" in [p.customer_number for p in await office.pending_registrations()]
    await office.reject_registration("100005", "dane nie zgadzają się z umową")
    assert "100005" not in [p.customer_number for p in await office.pending_registrations()]
    [found] = await office.search_customers("100005")
    assert found.status is AccountStatus.REJECTED
    tomasz = await portal.client()
    with pytest.raises(LoginFailed) as refused:
        await tomasz.login("100005", PASSWORDS["100005"])
    assert type(refused.value) is LoginFailed

    # a rejected customer may register again, and be let in this time
    captcha = await tomasz.new_captcha()
    terms = await tomasz.terms()
    await tomasz.register(
        Registration(
            customer_number="100005",
            last_invoice_number="FV/100005/012",
            full_name="Tomasz Kamiński",
            email="t.kaminski@example.pl",
            password=NEW_PASSWORD,
            password_repeat=NEW_PASSWORD,
            terms_version=terms.version,
            terms_accepted=True,
            captcha_id=captcha.id,
            captcha_answer=solve_captcha(captcha),
        )
    )
    [again] = [p for p in await office.pending_registrations() if p.customer_number == "100005"]
    assert again.email == "t.kaminski@example.pl"
    await office.activate_registration("100005")
    assert (await tomasz.login("100005", NEW_PASSWORD)).subject == "100005"


async def test_request_queue_by_due_date(portal: Portal) -> None:
    office = await operator(portal)
    queue = await office.request_queue()
    assert queue
    due = [r.due_date for r in queue]
    assert due == sorted(due)
    assert {r.status for r in queue} <= {
        RequestStatus.NEW,
        RequestStatus.IN_PROGRESS,
        RequestStatus.WAITING_FOR_CUSTOMER,
    }
    assert {r.customer_number for r in queue} >= {"100002", "100004", "200001"}
    assert queue[0].due_date < TODAY  # the overdue come first
    everything = await office.request_queue(include_closed=True)
    assert len(everything) > len(queue)
    assert {r.id for r in queue} < {r.id for r in everything}
    assert [r.due_date for r in everything] == sorted(r.due_date for r in everything)
    assert any(r.status is RequestStatus.CLOSED for r in everything)


async def test_reply_to_a_request(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    office = await operator(portal)
    request = await anna.create_request(
        RequestDraft(RequestCategory.COMPLAINT, "Reklamacja", "Za wysoka faktura.")
    )
    assert request.id in [r.id for r in await office.request_queue()]
    with pytest.raises(ValidationFailed) as empty:
        await office.reply_request(request.id, " ", RequestStatus.ANSWERED)
    assert empty.value.fields == {"text"}
    replied = await office.reply_request(
        request.id, "Sprawdzamy odczyt.", RequestStatus.IN_PROGRESS
    )
    assert replied.status is RequestStatus.IN_PROGRESS
    assert replied.history[-1].author == "Anna Kowalczyk"
    assert replied.history[-1].text == "Sprawdzamy odczyt."
    answered = await office.reply_request(
        request.id, "Faktura jest prawidłowa.", RequestStatus.ANSWERED
    )
    assert request.id not in [r.id for r in await office.request_queue()]

    seen = await anna.request(request.id)
    assert answered.route is not None  # the office sees where it went; the customer not
    assert seen == replace(answered, route=None)
    assert seen.status is RequestStatus.ANSWERED
    assert [(e.status, e.text) for e in seen.history[1:]] == [
        (RequestStatus.IN_PROGRESS, "Sprawdzamy odczyt."),
        (RequestStatus.ANSWERED, "Faktura jest prawidłowa."),
    ]
    closed = await office.reply_request(request.id, "Zamykamy.", RequestStatus.CLOSED)
    assert closed.status is RequestStatus.CLOSED
    with pytest.raises(Conflict):
        await office.reply_request(request.id, "Jeszcze raz.", RequestStatus.IN_PROGRESS)
    with pytest.raises(NotFound):
        await office.reply_request("Z-no-such", "Tekst.", RequestStatus.ANSWERED)


async def test_pending_readings_imported(portal: Portal) -> None:
    office = await operator(portal)
    pending = await office.pending_readings()
    waiting = next(p for p in pending if p.customer_number == "100002")
    assert waiting.reading.id == "R-M-WK-1908-40211-pending"
    assert waiting.customer_name == "Anna Nowak"
    assert waiting.meter_serial == "WK-1908-40211"
    assert waiting.reading.status is ReadingStatus.PENDING
    assert waiting.reading.read_on == date(2026, 11, 19)
    assert await office.import_readings([waiting.reading.id, "R-no-such"]) == 1
    assert await office.import_readings([waiting.reading.id]) == 0
    assert waiting.reading.id not in [p.reading.id for p in await office.pending_readings()]
    anna = await customer(portal, "100002")
    imported = (await anna.readings("M-WK-1908-40211"))[-1]
    assert (imported.id, imported.status) == (waiting.reading.id, ReadingStatus.ACCEPTED)


async def test_block_and_unblock_an_account(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as no_reason:
        await office.block_account("100001", "")
    assert no_reason.value.fields == {"reason"}
    assert (await jan.profile()).customer.number == "100001"

    await office.block_account("100001", "podejrzenie przejęcia konta")
    with pytest.raises(AuthenticationRequired):
        await jan.profile()  # the session ended with the block
    with pytest.raises(Forbidden) as blocked:
        await jan.login("100001", PASSWORDS["100001"])
    assert blocked.value.code == "account_blocked"
    with pytest.raises(Conflict):
        await office.block_account("100001", "jeszcze raz")
    with pytest.raises(NotFound):
        await office.block_account("999999", "nie ma takiego")

    with pytest.raises(ValidationFailed) as no_reason_back:
        await office.unblock_account("100001", " ")
    assert no_reason_back.value.fields == {"reason"}
    await office.unblock_account("100001", "klient potwierdził tożsamość")
    assert (await jan.login("100001", PASSWORDS["100001"])).subject == "100001"
    with pytest.raises(Conflict):
        await office.unblock_account("100001", "nie jest zablokowane")
    actions = [e.action for e in await office.audit_log("100001")]
    assert actions[:2] == ["unblock_account", "block_account"]


async def test_unblock_the_account_blocked_in_the_demo(portal: Portal) -> None:
    office = await operator(portal)
    await office.unblock_account("100006", "wyjaśniono")
    assert (await customer(portal, "100006")).session is not None


async def test_issue_a_password_sends_a_link_and_no_password(portal: Portal) -> None:
    """The office sends a single-use link: no password is made or mailed (nor written to
    the outbox), the old one stops working, open sessions end, the link sets a new one."""
    signed_in = await customer(portal, "100001")
    office = await operator(portal)
    await office.issue_password("100001")
    mail = newest_mail(portal.outbox, to="jan.kowalski@example.pl")
    assert "hasło" in str(mail["Subject"])
    text = body(mail)
    assert "/reset?token=" in text and PASSWORDS["100001"] not in text
    code = code_from(mail, "reset")
    with pytest.raises(AuthenticationRequired):
        await signed_in.invoices()  # the open session ended
    jan = await portal.client()
    with pytest.raises(LoginFailed):
        await jan.login("100001", PASSWORDS["100001"])
    await jan.reset_password(code, NEW_PASSWORD)
    session = await jan.login("100001", NEW_PASSWORD)
    assert not session.must_change_password
    assert len(await jan.invoices()) == 36
    with pytest.raises(ValidationFailed):
        await jan.reset_password(code, "Jeszcze!Inne2031")  # used once
    with pytest.raises(Conflict):
        await office.issue_password("100005")  # pending: no password to give
    with pytest.raises(NotFound):
        await office.issue_password("999999")


async def test_publish_a_notice(portal: Portal) -> None:
    office = await operator(portal)
    draft = NoticeDraft(
        NoticeKind.FAILURE,
        "Awaria: ul. Sosnowa",
        "Brak wody do godz. 16:00.",
        valid_from=TODAY,
        valid_to=TODAY + timedelta(days=1),
        area="Zalesie Górne, ul. Sosnowa",
    )
    notice = await office.publish_notice(draft)
    assert (notice.kind, notice.title, notice.body) == (draft.kind, draft.title, draft.body)
    assert (notice.valid_from, notice.valid_to, notice.area) == (
        draft.valid_from,
        draft.valid_to,
        draft.area,
    )
    anyone = await portal.client()
    assert notice in await anyone.notices()
    jan = await customer(portal, "100001")
    assert notice.id in [n.id for n in (await jan.dashboard()).notices]

    with pytest.raises(ValidationFailed) as bad:
        await office.publish_notice(
            NoticeDraft(NoticeKind.INFO, "", " ", valid_from=TODAY, valid_to=date(2026, 11, 1))
        )
    assert bad.value.fields == {"title", "body", "valid_to"}
    assert len(await anyone.notices()) == 4


async def test_act_for_a_customer_is_audited(portal: Portal) -> None:
    office = await operator(portal, "bok.marek")
    acting = await office.act_for("100001")
    assert acting.session is not None
    assert acting.session.role is Role.CUSTOMER
    assert acting.session.subject == "100001"
    assert acting.session.acting_operator == "bok.marek"
    assert (await acting.profile()).customer.name == "Jan Kowalski"
    reading = await acting.submit_reading(ReadingSubmission("M-WK-2209-11873", "1019,5"))
    # the operator's own session is still the operator's
    assert office.session is not None and office.session.role is Role.OPERATOR

    jan = await customer(portal, "100001")
    seen = (await jan.readings("M-WK-2209-11873"))[-1]
    assert (seen.id, seen.status) == (reading.id, ReadingStatus.PENDING)
    assert seen.note  # marked as entered by the office
    entries = await office.audit_log("100001")
    by_action = {e.action: e for e in entries}
    assert by_action["submit_reading"].operator == "bok.marek"
    assert by_action["act_for"].operator == "bok.marek"
    assert all(e.customer_number == "100001" for e in entries)
    assert entries[0].id > entries[-1].id  # newest first
    assert "submit_reading" in [e.action for e in await office.audit_log()]
    # the customer's own acts are not the office's
    await jan.update_contact(ContactUpdate(phone="600100200"))
    assert "update_contact" not in [e.action for e in await office.audit_log("100001")]
    with pytest.raises(NotFound):
        await office.act_for("999999")
