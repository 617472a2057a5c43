"""The end of the supply contract (issue #17.2), over every backend: the utility's grace
period (Będzin §8.6: the account is deactivated within 24 hours; Warszawa II.7: within 30
calendar days), the customer told at once (e-mail with consent, Pulpit) and able to export
every invoice until then, then a sign-in refused with its own words and the personal data
billing does not need erased (the terms' §8.7), the invoices kept."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest

from ibok_tui.backends.base import (
    Backend,
    Conflict,
    Forbidden,
    LoginFailed,
    NotFound,
    SessionExpired,
    ValidationFailed,
)
from ibok_tui.domain.models import AccountStatus, ContractEndGrace, GraceUnit
from tests.conformance.conftest import Portal
from tests.support.accounts import PASSWORDS, customer, operator
from tests.support.clock import PINNED_NOW, FakeClock
from tests.support.mail import body, messages, newest_mail

JAN = "100001"  # has an e-mail address and consents to notices by e-mail
ANNA = "100002"  # has an address, no consent
BEDZIN = ContractEndGrace(24, GraceUnit.HOURS)
WARSZAWA = ContractEndGrace(30, GraceUnit.DAYS)


async def _office(portal: Portal, grace: ContractEndGrace) -> Backend:
    office = await operator(portal)
    assert await office.set_contract_end_grace(grace) == grace
    assert await office.contract_end_grace() == grace
    return office


def _pdfs(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.testzip() is None
        return {name: opened.read(name) for name in opened.namelist()}


async def test_bedzin_8_6_deactivated_24_hours_after_the_end_is_recorded(
    portal: Portal, clock: FakeClock
) -> None:
    office = await _office(portal, BEDZIN)
    jan = await customer(portal, JAN)
    assert (await jan.dashboard()).customer.contract_end is None
    before = len(messages(portal.outbox))

    end = await office.end_contract(JAN, date(2026, 11, 20))
    assert end.ended_on == date(2026, 11, 20)
    assert end.recorded_at == PINNED_NOW
    assert end.deactivates_at == PINNED_NOW + timedelta(hours=24)
    # the customer is told at once: Pulpit (a stored answer, old since the write) and mail
    shown = (await jan.dashboard()).customer.contract_end
    assert shown == end
    mail = newest_mail(portal.outbox, to="jan.kowalski@example.pl")
    assert len(messages(portal.outbox)) == before + 1
    text = body(mail)
    assert "20.11.2026" in text and "22.11.2026" in text and "10:00" in text
    assert "umowa na dostawę wody" in str(mail["Subject"])
    # the same end recorded again (an import run twice) changes nothing and mails nothing
    assert await office.end_contract(JAN, date(2026, 11, 20)) == end
    assert len(messages(portal.outbox)) == before + 1
    with pytest.raises(Conflict) as other:
        await office.end_contract(JAN, date(2026, 11, 1))
    assert other.value.code == "contract_end_recorded"

    # until then every invoice can be exported, one PDF each
    invoices = await jan.invoices()
    pdfs = _pdfs(await jan.invoice_archive())
    assert len(pdfs) == len(invoices) > 0
    assert all(content.startswith(b"%PDF-") for content in pdfs.values())
    assert sorted(pdfs) == sorted(i.number.replace("/", "-") + ".pdf" for i in invoices)

    clock.advance(timedelta(hours=23, minutes=59))
    jan = await customer(portal, JAN)  # a sign-in in the last minute: its session ends then
    assert jan.session is not None and jan.session.expires_at == end.deactivates_at
    assert (await jan.dashboard()).customer.status is AccountStatus.ACTIVE
    clock.advance(timedelta(minutes=1))
    # the open session ends at the deadline, and a new sign-in is told why it cannot
    with pytest.raises(SessionExpired):
        await jan.dashboard()
    fresh = await portal.client()
    with pytest.raises(Forbidden) as refused:
        await fresh.login(JAN, PASSWORDS[JAN])
    assert refused.value.code == "account_deactivated"
    assert refused.value.params == {"date": "2026-11-22"}
    # whatever the password: its hash is gone with the rest (§8.7)
    with pytest.raises(Forbidden) as wrong:
        await fresh.login(JAN, "Zle!Haslo2026")
    assert wrong.value.code == "account_deactivated"


async def test_warszawa_ii_7_blocked_after_30_calendar_days(
    portal: Portal, clock: FakeClock
) -> None:
    office = await _office(portal, WARSZAWA)
    end = await office.end_contract(JAN, date(2026, 11, 20))
    # recorded on Saturday 21.11 at 10:00: the rest of that day and 30 whole days after it,
    # to midnight in Poland (CET, UTC+1) at the start of 22.12
    assert end.deactivates_at == datetime(2026, 12, 21, 23, 0, tzinfo=UTC)
    clock.advance(end.deactivates_at - PINNED_NOW - timedelta(seconds=1))
    jan = await customer(portal, JAN)  # a session opened on the last day
    assert jan.session is not None and jan.session.expires_at == end.deactivates_at
    assert await jan.invoices()
    clock.advance(timedelta(seconds=1))
    with pytest.raises(SessionExpired):
        await jan.invoices()
    with pytest.raises(Forbidden) as refused:
        await (await portal.client()).login(JAN, PASSWORDS[JAN])
    assert refused.value.code == "account_deactivated"
    assert refused.value.params == {"date": "2026-12-22"}


async def test_a_contract_ending_later_keeps_the_account_until_then(
    portal: Portal, clock: FakeClock
) -> None:
    office = await _office(portal, BEDZIN)
    end = await office.end_contract(JAN, date(2026, 12, 31))
    # the last day ends at midnight in Poland; the 24 hours run from then
    assert end.deactivates_at == datetime(2026, 12, 31, 23, 0, tzinfo=UTC) + timedelta(hours=24)


async def test_8_7_personal_data_erased_invoices_kept(portal: Portal, clock: FakeClock) -> None:
    office = await _office(portal, BEDZIN)
    jan = await customer(portal, JAN)
    invoices = await jan.invoices()
    await office.end_contract(JAN, date(2026, 11, 20))
    clock.advance(timedelta(hours=25))
    office = await operator(portal)  # the first session lived its 8 hours
    # the clerk's search (or any sign-in) deactivates the accounts whose time passed
    found = await office.search_customers(JAN)
    assert found[0].status is AccountStatus.DEACTIVATED
    desk = await office.act_for(JAN)
    profile = await desk.profile()
    kept = profile.customer
    assert kept.name == "Jan Kowalski" and kept.number == JAN
    assert kept.address.street  # billing needs the address
    assert (kept.email, kept.phone) == ("", "")
    assert not any(
        (
            kept.consents.e_invoice,
            kept.consents.notify_email,
            kept.consents.notify_sms,
            kept.consents.marketing,
        )
    )
    assert kept.consents.e_invoice_email == ""
    assert [i.number for i in await desk.invoices()] == [i.number for i in invoices]
    actions = [str(entry.action) for entry in await office.audit_log(JAN)]
    assert {"record_contract_end", "deactivate"} <= set(actions)
    # a password reset cannot bring the account back: no address is left to match
    fresh = await portal.client()
    await fresh.request_password_reset(JAN, "jan.kowalski@example.pl")
    assert not any(
        "nowego hasła" in str(m["Subject"]) and str(m["To"]) == "jan.kowalski@example.pl"
        for m in messages(portal.outbox)
    )


async def test_no_mail_without_consent(portal: Portal) -> None:
    office = await _office(portal, BEDZIN)
    before = len(messages(portal.outbox))
    end = await office.end_contract(ANNA, date(2026, 11, 20))
    anna = await customer(portal, ANNA)
    assert (await anna.dashboard()).customer.contract_end == end  # Pulpit tells her
    assert len(messages(portal.outbox)) == before


async def test_refusals(portal: Portal) -> None:
    office = await operator(portal)
    with pytest.raises(NotFound):
        await office.end_contract("999999", date(2026, 11, 20))
    with pytest.raises(Conflict) as unregistered:
        await office.end_contract("100008", date(2026, 11, 20))
    assert unregistered.value.code == "no_account_to_deactivate"
    for far in (date(1899, 12, 31), date(2199, 12, 31), date(2027, 11, 23)):
        with pytest.raises(ValidationFailed) as refused:
            await office.end_contract(JAN, far)
        assert refused.value.errors[0].field == "ended_on"
    assert refused.value.errors[0].code == "contract_end_too_late"
    assert refused.value.errors[0].params == {"max": "2027-11-22"}
    for wrong in (
        ContractEndGrace(0, GraceUnit.HOURS),
        ContractEndGrace(745, GraceUnit.HOURS),
        ContractEndGrace(-1, GraceUnit.DAYS),
        ContractEndGrace(10**12, GraceUnit.DAYS),
    ):
        with pytest.raises(ValidationFailed) as bad:
            await office.set_contract_end_grace(wrong)
        assert bad.value.errors[0].field == "amount"
        assert bad.value.errors[0].code == "grace_out_of_range"
    # the setting is the office's, the recording too: a customer may do neither
    jan = await customer(portal, JAN)
    for call in (
        jan.end_contract(JAN, date(2026, 11, 20)),
        jan.set_contract_end_grace(BEDZIN),
        jan.contract_end_grace(),
    ):
        with pytest.raises(Forbidden):
            await call
    # nothing was recorded by the refused calls
    assert (await jan.dashboard()).customer.contract_end is None


async def test_sign_in_refusals_stay_as_they_were(portal: Portal) -> None:
    """A deactivated account's own words; an unknown number still reads as a wrong password."""
    fresh = await portal.client()
    with pytest.raises(LoginFailed) as unknown:
        await fresh.login("999999", "Zle!Haslo2026")
    assert unknown.value.code == "login_failed"
