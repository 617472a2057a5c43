"""The account's life: password reset by mail, registration, blocking one's own access,
terminating the agreement and exporting one's data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ibok_tui.backends.base import (
    AuthenticationRequired,
    Backend,
    Forbidden,
    LoginFailed,
    ValidationFailed,
)
from ibok_tui.domain.models import AccountStatus, Registration
from ibok_tui.domain.registration import registration_checks
from ibok_tui.i18n.problems import known
from tests.conformance.conftest import Portal
from tests.support.accounts import NEW_PASSWORD, PASSWORDS, customer, operator
from tests.support.captcha import solve_captcha
from tests.support.clock import FakeClock
from tests.support.mail import messages, newest_code, newest_mail


async def test_password_reset_by_mail_is_single_use(portal: Portal, backend: Backend) -> None:
    # a wrong e-mail sends nothing and says nothing
    await backend.request_password_reset("100001", "someone@example.pl")
    await backend.request_password_reset("999999", "jan.kowalski@example.pl")
    assert messages(portal.outbox) == []

    await backend.request_password_reset("100001", "Jan.Kowalski@example.pl")
    mail = newest_mail(portal.outbox, to="jan.kowalski@example.pl")
    assert "hasła" in str(mail["Subject"])
    token = newest_code(portal.outbox, "reset")

    with pytest.raises(ValidationFailed) as weak:
        await backend.reset_password(token, "slabe")
    assert weak.value.fields == {"new_password"}
    await backend.reset_password(token, NEW_PASSWORD)
    with pytest.raises(ValidationFailed) as again:
        await backend.reset_password(token, "Inne!Haslo2028")
    assert again.value.fields == {"token"}
    with pytest.raises(ValidationFailed) as made_up:
        await backend.reset_password("made-up-token", "Inne!Haslo2028")
    assert made_up.value.fields == {"token"}

    with pytest.raises(LoginFailed):
        await backend.login("100001", PASSWORDS["100001"])
    assert (await backend.login("100001", NEW_PASSWORD)).subject == "100001"


async def test_a_reset_code_expires_after_an_hour(
    portal: Portal, backend: Backend, clock: FakeClock
) -> None:
    await backend.request_password_reset("100002", "anna.nowak@example.pl")
    token = newest_code(portal.outbox, "reset", to="anna.nowak@example.pl")
    clock.advance(timedelta(minutes=61))
    with pytest.raises(ValidationFailed) as late:
        await backend.reset_password(token, NEW_PASSWORD)
    assert late.value.fields == {"token"}


async def _registration(backend: Backend, **changes: object) -> Registration:
    captcha = await backend.new_captcha()
    terms = await backend.terms()
    fields: dict[str, object] = {
        "customer_number": "100008",
        "last_invoice_number": "FV/100008/012",
        "full_name": "Barbara Szymańska",
        "email": "barbara.szymanska@example.pl",
        "password": "Woda!Szymanska8",
        "password_repeat": "Woda!Szymanska8",
        "terms_version": terms.version,
        "terms_accepted": True,
        "captcha_id": captcha.id,
        "captcha_answer": solve_captcha(captcha),
    }
    fields.update(changes)
    return Registration(**fields)  # type: ignore[arg-type]


async def _status(portal: Portal, number: str) -> AccountStatus:
    office = await operator(portal)
    found = [c for c in await office.search_customers(number) if c.number == number]
    assert len(found) == 1
    await office.logout()
    return found[0].status


async def test_registration_with_the_last_invoice(portal: Portal, backend: Backend) -> None:
    await backend.register(await _registration(backend))
    assert await _status(portal, "100008") is AccountStatus.PENDING
    with pytest.raises(Forbidden) as pending:
        await backend.login("100008", "Woda!Szymanska8")
    assert pending.value.code == "account_pending"

    mail = newest_mail(portal.outbox, to="barbara.szymanska@example.pl")
    assert "rejestr" in str(mail["Subject"])
    code = newest_code(portal.outbox, "activation")
    await backend.confirm_registration(code)
    session = await backend.login("100008", "Woda!Szymanska8")
    assert session.subject == "100008"
    assert (await backend.profile()).customer.email == "barbara.szymanska@example.pl"
    # the code is spent
    with pytest.raises(ValidationFailed) as spent:
        await backend.confirm_registration(code)
    assert spent.value.fields == {"token"}
    # the account exists now: registering again is refused
    with pytest.raises(ValidationFailed) as twice:
        await backend.register(await _registration(backend))
    assert twice.value.fields == {"last_invoice_number"}


async def test_registration_errors_name_the_fields_and_store_nothing(
    portal: Portal, backend: Backend, clock: FakeClock
) -> None:
    with pytest.raises(ValidationFailed) as bad:
        await backend.register(
            await _registration(
                backend,
                full_name=" ",
                email="barbara@",
                password="krotkie",
                password_repeat="inne",
                terms_accepted=False,
                captcha_answer="no-nonce",
            )
        )
    assert {
        "full_name",
        "email",
        "password",
        "password_repeat",
        "terms_accepted",
        "captcha_answer",
    } <= bad.value.fields
    assert all(known(e.code, e.field) for e in bad.value.errors)  # each one worded

    # an older invoice, or another customer's, does not prove anything
    for invoice in ("FV/100008/011", "FV/100001/036"):
        with pytest.raises(ValidationFailed) as no_match:
            await backend.register(await _registration(backend, last_invoice_number=invoice))
        assert no_match.value.fields == {"last_invoice_number"}
    # a captcha is checked, whatever else is right
    with pytest.raises(ValidationFailed) as captcha:
        await backend.register(await _registration(backend, captcha_id="no-such-captcha"))
    assert captcha.value.fields == {"captcha_answer"}

    # a captcha left for more than ten minutes is stale
    stale = await _registration(backend)
    clock.advance(timedelta(minutes=11))
    with pytest.raises(ValidationFailed) as late:
        await backend.register(stale)
    assert late.value.fields == {"captcha_answer"}

    assert messages(portal.outbox) == []
    assert await _status(portal, "100008") is AccountStatus.UNREGISTERED

    await backend.register(await _registration(backend))
    assert await _status(portal, "100008") is AccountStatus.PENDING
    assert len(messages(portal.outbox)) == 1


async def test_block_own_access(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(ValidationFailed) as wrong:
        await jan.block_access("Woda!Kowalski2")
    assert wrong.value.fields == {"password"}
    assert (await jan.profile()).customer.number == "100001"

    await jan.block_access(PASSWORDS["100001"])
    assert jan.session is None
    with pytest.raises(Forbidden) as blocked:
        await jan.login("100001", PASSWORDS["100001"])
    assert blocked.value.code == "account_blocked"
    assert await _status(portal, "100001") is AccountStatus.BLOCKED_BY_CUSTOMER

    office = await operator(portal)
    await office.unblock_account("100001", "klient potwierdził tożsamość w BOK")
    assert (await jan.login("100001", PASSWORDS["100001"])).subject == "100001"


async def test_terminate_the_agreement(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    token = anna.session.token if anna.session else ""
    with pytest.raises(ValidationFailed) as wrong:
        await anna.terminate("Woda!Nowak2027")
    assert wrong.value.fields == {"password"}

    await anna.terminate(PASSWORDS["100002"])
    assert anna.session is None
    with pytest.raises(LoginFailed) as refused:
        await anna.login("100002", PASSWORDS["100002"])
    assert type(refused.value) is LoginFailed
    later = await portal.client()
    with pytest.raises(AuthenticationRequired):
        await later.resume(token)

    office = await operator(portal)
    found = await office.search_customers("100002")
    assert [(c.number, c.status) for c in found] == [("100002", AccountStatus.TERMINATED)]


async def test_export_everything(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    data = await jan.export_data()
    assert data["customer"]["number"] == "100001"
    assert data["customer"]["name"] == "Jan Kowalski"
    invoices = data["invoices"]
    assert len(invoices) == 36
    assert {i["number"] for i in invoices} >= {"FV/100001/001", "FV/100001/036"}
    assert all(i["lines"] for i in invoices)
    readings = data["readings"]["M-WK-2209-11873"]
    assert len(readings) == len(await jan.readings("M-WK-2209-11873"))
    assert readings[-1]["index"] == 1012814
    assert [r["number"] for r in data["requests"]] == ["ZG/2026/000004"]
    assert data["contracts"][0]["number"] == "UM/2023/100001-1"
    # nobody else's data
    text = repr(data)
    assert "100002" not in text and "Anna Nowak" not in text


async def test_the_clerk_sees_what_a_registrant_gave_beside_the_utilitys_data(
    portal: Portal, backend: Backend
) -> None:
    """#14.6: a pending registration carries the registrant's name, last invoice number
    and e-mail beside the utility's name, newest invoice and the e-mail it had before; once
    activated the registrant's copy is gone (personal data kept no longer than needed)."""
    form = await _registration(backend, full_name="  Barbara  Szymanska ", email="b@example.pl")
    await backend.register(form)
    office = await operator(portal)
    [pending] = [p for p in await office.pending_registrations() if p.customer_number == "100008"]
    assert (pending.given_name, pending.given_invoice) == ("Barbara  Szymanska", "FV/100008/012")
    assert (pending.name, pending.last_invoice) == ("Barbara Szymańska", "FV/100008/012")
    # the utility had no e-mail of hers: nothing to compare, said as such
    assert (pending.email, pending.email_on_record) == ("b@example.pl", "")
    checks = {c.field: c.matches for c in registration_checks(pending)}
    assert checks == {"name": False, "last_invoice": True, "email": None}
    # the demo's own pending account: its registrant wrote the name without "ń"
    [tomasz] = [p for p in await office.pending_registrations() if p.customer_number == "100005"]
    assert tomasz.given_name == "Tomasz Kaminski" and tomasz.name == "Tomasz Kamiński"
    assert tomasz.email_on_record == "t.kaminski@poczta.example.pl"
    assert tomasz.given_invoice == tomasz.last_invoice != ""
    await office.activate_registration("100008")
    assert [p for p in await office.pending_registrations() if p.customer_number == "100008"] == []
    await office.reject_registration("100005", "dane niezgodne")
    assert await office.pending_registrations() == []
