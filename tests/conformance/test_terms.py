"""The e-service terms' life cycle, over both backends (#17.1): the utility publishes a
version, customers who consented are told by e-mail (Krapkowice §10.3), from its effective
day a customer must accept it before using the iBOK (Będzin §1.5, §10.2), or may terminate
the agreement instead (Będzin §8.3); the acceptance is in the clerk's audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ibok_tui.backends.base import (
    AuthenticationRequired,
    Backend,
    Conflict,
    Forbidden,
    LoginFailed,
    PasswordChangeRequired,
    TermsAcceptanceRequired,
    ValidationFailed,
)
from ibok_tui.domain.models import Registration, TermsDraft
from tests.conformance.conftest import Portal
from tests.support.accounts import NEW_PASSWORD, PASSWORDS, customer, operator
from tests.support.captcha import solve_captcha
from tests.support.clock import FakeClock
from tests.support.mail import body, messages, newest_mail

TODAY = date(2026, 11, 21)
IN_A_WEEK = TODAY + timedelta(days=7)
TEXT = "Regulamin iBOK, wersja 2027.1\n\n§1. Nowe zasady.\n§2. Odczyty do 25. dnia miesiąca."
CHANGES = "Odczyty podaje się do 25. dnia miesiąca."


def _draft(version: str = "2027.1", effective: date = IN_A_WEEK, **changed: str) -> TermsDraft:
    fields = {"text": TEXT, "changes": CHANGES, **changed}
    return TermsDraft(version=version, effective_from=effective, **fields)


async def _published(portal: Portal, effective: date = IN_A_WEEK) -> Backend:
    office = await operator(portal)
    published = await office.publish_terms(_draft(effective=effective))
    assert published.terms.version == "2027.1"
    return office


async def test_a_future_version_is_kept_but_does_not_apply_yet(portal: Portal) -> None:
    """Będzin §10.2: a change takes effect from its date; before it the terms in force stay."""
    await _published(portal)
    jan = await customer(portal, "100001")
    assert (await jan.terms()).version == "2026.1"
    status = await jan.terms_status()
    assert status.in_force.version == "2026.1" and not status.must_accept
    assert (await jan.dashboard()).customer.number == "100001"
    versions = await jan.terms_versions()
    assert [v.version for v in versions] == ["2027.1", "2026.1"]
    assert versions[0].changes == CHANGES and versions[0].text == TEXT
    assert versions[0].effective_from == IN_A_WEEK


async def test_customers_with_consent_are_told_by_e_mail(portal: Portal) -> None:
    """Krapkowice §10.3: changes are told by e-mail to those who agreed to notices."""
    office = await operator(portal)
    published = await office.publish_terms(_draft())
    assert published.notified == 1  # only Jan Kowalski consented to e-mail notices
    mail = newest_mail(portal.outbox, "jan.kowalski@example.pl")
    assert "2027.1" in body(mail) and CHANGES in body(mail)
    assert "28.11.2026" in str(mail["Subject"])
    told = {str(m["To"]) for m in messages(portal.outbox) if "regulamin" in str(m["Subject"])}
    assert told == {"jan.kowalski@example.pl"}


async def test_after_the_effective_day_nothing_but_the_terms_until_accepted(
    portal: Portal, clock: FakeClock
) -> None:
    """Będzin §1.5: the iBOK is only for customers who accepted the current version; the
    server holds every customer call back, not only the console."""
    await _published(portal)
    clock.advance(timedelta(days=7))
    jan = await customer(portal, "100001")  # signing in still works
    status = await jan.terms_status()
    assert status.must_accept and status.in_force.version == "2027.1"
    assert status.accepted_version == "2026.1"
    assert status.in_force.changes == CHANGES
    for call in (jan.dashboard, jan.invoices, jan.profile, jan.meters, jan.export_data):
        with pytest.raises(TermsAcceptanceRequired) as held:
            await call()
        assert held.value.params == {"version": "2027.1"}
    with pytest.raises(TermsAcceptanceRequired):
        await jan.change_password(PASSWORDS["100001"], NEW_PASSWORD)
    await jan.logout()  # logout stays open


async def test_an_accepted_version_is_recorded_and_in_the_audit_log(
    portal: Portal, clock: FakeClock
) -> None:
    await _published(portal)
    clock.advance(timedelta(days=8))
    office = await operator(portal)  # a new day's sign-in
    jan = await customer(portal, "100001")
    with pytest.raises(Conflict) as stale:
        await jan.accept_terms("2026.1")  # not the version in force
    assert stale.value.code == "terms_not_current"
    status = await jan.accept_terms("2027.1")
    assert not status.must_accept and status.accepted_version == "2027.1"
    assert status.accepted_at == clock.now
    assert (await jan.dashboard()).customer.number == "100001"
    # once is enough: the next sign-in goes straight in
    again = await customer(portal, "100001")
    assert not (await again.terms_status()).must_accept
    [entry] = [e for e in await office.audit_log("100001") if e.action == "accept_terms"]
    assert entry.detail == "2027.1" and entry.operator == "" and entry.at == clock.now
    assert "accept_terms" in [e.action for e in await office.audit_log()]


async def test_declining_the_customer_may_terminate_right_there(
    portal: Portal, clock: FakeClock
) -> None:
    """Będzin §8.3: a customer who does not accept the new terms may end the agreement."""
    await _published(portal)
    clock.advance(timedelta(days=7))
    jan = await customer(portal, "100001")
    await jan.terminate(PASSWORDS["100001"])
    with pytest.raises(LoginFailed):
        await (await portal.client()).login("100001", PASSWORDS["100001"])


async def test_the_office_acting_for_a_customer_is_not_held_and_cannot_accept(
    portal: Portal, clock: FakeClock
) -> None:
    await _published(portal)
    clock.advance(timedelta(days=7))
    office = await operator(portal)
    desk = await office.act_for("100001")
    assert (await desk.dashboard()).customer.number == "100001"
    with pytest.raises(Forbidden) as refused:
        await desk.accept_terms("2027.1")
    assert refused.value.code == "terms_customer_only"
    jan = await customer(portal, "100001")
    assert (await jan.terms_status()).must_accept


async def test_registration_records_the_version_in_force(portal: Portal, clock: FakeClock) -> None:
    """One registering after the effective day accepts that version, and is not asked again."""
    await _published(portal)
    clock.advance(timedelta(days=7))
    tomasz = await portal.client()
    office = await operator(portal)
    await office.reject_registration("100005", "ponowna rejestracja")
    terms = await tomasz.terms()
    assert terms.version == "2027.1"

    async def register(version: str) -> None:
        captcha = await tomasz.new_captcha()
        await tomasz.register(
            Registration(
                customer_number="100005",
                last_invoice_number="FV/100005/012",
                full_name="Tomasz Kamiński",
                email="t.kaminski@example.pl",
                password=NEW_PASSWORD,
                password_repeat=NEW_PASSWORD,
                terms_version=version,
                terms_accepted=True,
                captcha_id=captcha.id,
                captcha_answer=solve_captcha(captcha),
            )
        )

    with pytest.raises(ValidationFailed) as old:
        await register("2026.1")
    assert "terms_accepted" in old.value.fields
    await register("2027.1")
    await office.activate_registration("100005")
    await tomasz.login("100005", NEW_PASSWORD)
    status = await tomasz.terms_status()
    assert status.accepted_version == "2027.1" and not status.must_accept
    assert (await tomasz.dashboard()).customer.number == "100005"


async def test_publishing_is_for_the_office_and_checks_the_draft(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(Forbidden):
        await jan.publish_terms(_draft())
    anonymous = await portal.client()
    with pytest.raises(AuthenticationRequired):
        await anonymous.publish_terms(_draft())
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as empty:
        await office.publish_terms(_draft(version=" ", text=""))
    assert empty.value.fields == {"version", "text"}
    with pytest.raises(ValidationFailed) as past:
        await office.publish_terms(_draft(effective=TODAY - timedelta(days=1)))
    assert past.value.fields == {"effective_from"}
    await office.publish_terms(_draft(effective=TODAY))  # today is the earliest
    with pytest.raises(Conflict) as twice:
        await office.publish_terms(_draft(effective=IN_A_WEEK))
    assert twice.value.code == "terms_version_exists"
    assert [v.version for v in await office.terms_versions()] == ["2027.1", "2026.1"]
    # in force at once, for the next call of a signed-in customer too
    with pytest.raises(TermsAcceptanceRequired):
        await jan.dashboard()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "Regulamin\x1b]0;PWNED\x07"),
        ("text", "Regulamin \u202enie\u202c"),
        ("changes", "zmiana\x9b2J"),
        ("version", "2027.1\n"),
        ("version", "2027.1\x00"),
    ],
)
async def test_hostile_text_in_a_version_is_refused(portal: Portal, field: str, value: str) -> None:
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as refused:
        await office.publish_terms(_draft(**{field: value}))
    assert refused.value.fields == {field}
    assert [e.code for e in refused.value.errors] == ["unsafe_character"]
    assert [v.version for v in await office.terms_versions()] == ["2026.1"]


async def test_a_huge_text_is_bounded(portal: Portal) -> None:
    office = await operator(portal)
    with pytest.raises(ValidationFailed) as refused:
        await office.publish_terms(_draft(text="§ " * 60_000))
    assert refused.value.fields == {"text"}
    assert refused.value.errors[0].code == "too_long"
    with pytest.raises(ValidationFailed) as long_version:
        await office.publish_terms(_draft(version="2027." + "1" * 60))
    assert long_version.value.fields == {"version"}
    # a long but real text passes whole
    long_text = "§ Postanowienie.\n" * 5_000
    published = await office.publish_terms(_draft(text=long_text))
    assert published.terms.text == long_text.strip()


async def test_a_generated_password_is_changed_first_then_the_terms_are_asked(
    portal: Portal,
) -> None:
    await _published(portal, effective=TODAY)
    krzysztof = await customer(portal, "100007")  # must change the generated password
    with pytest.raises(PasswordChangeRequired):
        await krzysztof.dashboard()
    await krzysztof.change_password(PASSWORDS["100007"], NEW_PASSWORD)
    with pytest.raises(TermsAcceptanceRequired):
        await krzysztof.dashboard()
    assert (await krzysztof.accept_terms("2027.1")).accepted_version == "2027.1"
    assert (await krzysztof.dashboard()).customer.number == "100007"
