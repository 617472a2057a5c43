"""The notices the iBOK sends (issue #16.3), over the portal on both stores: each kind once,
only with the consent, retried after a failure and never doubled, dropped when the consent
goes, header-safe with hostile text; the lease that lets one worker run the schedule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from ibok_tui.domain.models import Consents, NoticeChannel, NoticeState, NoticeTopic
from ibok_tui.portal import leases
from ibok_tui.portal.mail import OutboxMailer
from ibok_tui.portal.notice_kinds import concerns
from ibok_tui.portal.notify import LEASE, Notifier
from ibok_tui.portal.service import PortalService
from ibok_tui.portal.sms import HttpSmsGateway, sms_number
from tests.support.accounts import PASSWORDS
from tests.support.clock import FakeClock
from tests.support.mail import body, messages
from tests.support.notices import (
    ANNA,
    EVERY_TOPIC,
    JAN,
    JAN_PHONE,
    NEW_INVOICES,
    NOTICE_NOW,
    PIOTR,
    WORKS_ID,
    make_everything_due,
)
from tests.support.sms_gateway import Gateway, sms_gateway

RUN = timedelta(minutes=5)


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with sms_gateway() as found:
        yield found


@pytest.fixture
def due(portal: PortalService, clock: FakeClock, gateway: Gateway) -> PortalService:
    clock.now = NOTICE_NOW
    make_everything_due(portal.store)
    portal.core.sms = HttpSmsGateway(gateway.url)
    return portal


def mails(portal: PortalService) -> list[EmailMessage]:
    mailer = portal.mailer
    assert isinstance(mailer, OutboxMailer)
    return messages(mailer.folder)


def ledger(portal: PortalService) -> dict[tuple[str, str, str, str], str]:
    return {
        (r["kind"], r["subject"], r["customer_number"], r["channel"]): r["state"]
        for r in portal.store.all("SELECT * FROM notice_ledger")
    }


def test_every_kind_goes_once_by_each_consented_channel(
    due: PortalService, gateway: Gateway
) -> None:
    report = due.notifier.run(RUN)
    assert report is not None and not report.failed
    rows = ledger(due)
    for topic in EVERY_TOPIC:
        assert (topic, NoticeChannel.EMAIL.value) in {(k[0], k[3]) for k in rows if k[2] == JAN}
        assert (topic, NoticeChannel.SMS.value) in {(k[0], k[3]) for k in rows if k[2] == JAN}
    assert set(rows.values()) == {NoticeState.SENT.value}
    sent_mail = [k for k in rows if k[3] == "email"]
    assert len(mails(due)) == len(sent_mail)
    assert len(gateway.messages) == len([k for k in rows if k[3] == "sms"])
    assert {m["to"] for m in gateway.messages} == {JAN_PHONE}

    # a second run, and another process's, send nothing more
    assert due.notifier.run(RUN) is not None
    other = Notifier(due.core)
    leases.release(due.store, LEASE, due.notifier.holder, due.core.now())
    assert other.run(RUN) is not None
    assert len(mails(due)) == len(sent_mail)
    assert len(gateway.messages) == len([k for k in rows if k[3] == "sms"])


def test_the_e_invoice_carries_its_pdf_and_a_plain_notice_none(due: PortalService) -> None:
    due.notifier.run(RUN)
    [jan] = [m for m in mails(due) if str(m["Subject"]) == f"iBOK: e-faktura {NEW_INVOICES[JAN]}"]
    [pdf] = list(jan.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == "FV-100001-N1.pdf"
    assert pdf.get_content().startswith(b"%PDF")
    [piotr] = [
        m for m in mails(due) if str(m["Subject"]) == f"iBOK: nowa faktura {NEW_INVOICES[PIOTR]}"
    ]
    assert str(piotr["To"]) == "piotr.wisniewski@example.pl"
    assert list(piotr.iter_attachments()) == []
    assert "108,00" in body(piotr)


def test_a_customer_without_consent_gets_nothing(due: PortalService, gateway: Gateway) -> None:
    due.notifier.run(RUN)
    assert [m for m in mails(due) if "anna.nowak" in str(m["To"])] == []
    assert all(key[2] != ANNA for key in ledger(due))
    # Piotr consents to e-mail notices, not to SMS
    assert all(key[3] == "email" for key in ledger(due) if key[2] == PIOTR)


def test_a_withdrawn_consent_stops_what_follows_and_a_failed_retry(
    due: PortalService, gateway: Gateway, clock: FakeClock
) -> None:
    gateway.refuse = 100  # the gateway is down: every SMS of this run fails
    due.notifier.run(RUN)
    failed = [k for k, state in ledger(due).items() if state == NoticeState.FAILED.value]
    assert failed and all(k[3] == "sms" for k in failed)
    session = due.login(JAN, PASSWORDS[JAN]).token
    due.set_consents(
        session,
        Consents(e_invoice=True, e_invoice_email="jan.kowalski@example.pl", notify_email=False),
    )
    gateway.refuse = 0
    clock.advance(timedelta(minutes=6))
    before = len(mails(due))
    due.notifier.run(RUN)
    assert gateway.messages == []  # the SMS consent went: nothing was sent again
    assert {ledger(due)[k] for k in failed} == {NoticeState.DROPPED.value}
    # a new works notice, after the withdrawal, reaches Jan by no channel
    with due.store.transaction():
        due.store.execute(
            "INSERT INTO notices (id, kind, title, body, published_at, valid_from, area)"
            " VALUES ('N-after', 'failure', 'Awaria', 'x', ?, '2026-12-02', 'ul. Leśna')",
            (clock.now.isoformat(),),
        )
    due.notifier.run(RUN)
    assert all(k[2] != JAN for k in ledger(due) if k[1] == "N-after")
    assert len(mails(due)) == before


def test_a_failed_sms_is_sent_again_once_after_the_pause(
    due: PortalService, gateway: Gateway, clock: FakeClock
) -> None:
    gateway.refuse = 1
    due.notifier.run(RUN)
    [failed] = [k for k, s in ledger(due).items() if s == NoticeState.FAILED.value]
    refused = gateway.refused[0]
    due.notifier.run(RUN)  # too early: not yet
    assert ledger(due)[failed] == NoticeState.FAILED.value
    clock.advance(timedelta(minutes=6))
    due.notifier.run(RUN)
    due.notifier.run(RUN)
    assert ledger(due)[failed] == NoticeState.SENT.value
    again = [m for m in gateway.messages if m["id"] == refused["id"]]
    assert len(again) == 1 and again[0]["text"] == refused["text"]
    assert len({m["id"] for m in gateway.messages}) == len(gateway.messages)


def test_hostile_texts_inject_no_header(due: PortalService) -> None:
    with due.store.transaction():
        due.store.execute(
            "UPDATE notices SET title = ? WHERE id = ?",
            ("Prace\r\nBcc: wszyscy@example.com\r\n\r\nFałsz", WORKS_ID),
        )
        due.store.execute(
            "UPDATE customers SET name = ? WHERE number = ?",
            ("Jan\r\nBcc: x@example.com", JAN),
        )
    due.notifier.run(RUN)
    for message in mails(due):
        assert message["Bcc"] is None
        assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
    [works] = [m for m in mails(due) if "Prace" in str(m["Subject"])]
    assert "Fałsz" in str(works["Subject"])


def test_the_ledger_is_the_customers_and_the_clerks(due: PortalService) -> None:
    due.notifier.run(RUN)
    jan = due.login(JAN, PASSWORDS[JAN]).token
    mine = due.sent_notices(jan)
    assert {n.topic for n in mine} == set(NoticeTopic)
    assert all(n.state is NoticeState.SENT and n.sent_at is not None for n in mine)
    office = due.operator_login("bok.anna", "Operator!2026a").token
    assert due.customer_notices(office, JAN) == mine
    assert due.customer_notices(office, ANNA) == []


def test_one_holder_of_the_lease_at_a_time(portal: PortalService, clock: FakeClock) -> None:
    store, now = portal.store, clock()
    assert leases.take(store, "x", "a", now, timedelta(minutes=1))
    assert not leases.take(store, "x", "b", now, timedelta(minutes=1))
    assert leases.take(store, "x", "a", now, timedelta(minutes=1))  # renewed by its holder
    assert leases.held_by(store, "x", now) is not None
    assert leases.take(store, "x", "b", now + timedelta(minutes=2), timedelta(minutes=1))
    leases.release(store, "x", "a", now)  # not the holder any more: changes nothing
    assert not leases.take(store, "x", "a", now + timedelta(minutes=2), timedelta(minutes=1))
    leases.release(store, "x", "b", now + timedelta(minutes=2))
    assert leases.take(store, "x", "a", now + timedelta(minutes=2), timedelta(minutes=1))


def test_a_second_worker_runs_nothing_while_the_first_holds_the_schedule(
    portal: PortalService,
) -> None:
    other = Notifier(portal.core)
    assert portal.notifier.run(RUN) is not None
    assert other.run(RUN) is None


@pytest.mark.parametrize(
    ("area", "street", "concerned"),
    [
        ("Zalesie Górne, ul. Leśna", "ul. Leśna", True),
        ("ul. lesna; ul. Parkowa", "ul. Leśna", True),
        ("Leśna Polana", "ul. Leśna", False),
        ("ul. Parkowa", "ul. Leśna", False),
        ("", "ul. Leśna", True),
    ],
)
def test_a_notice_concerns_the_streets_its_area_names(
    area: str, street: str, concerned: bool
) -> None:
    assert concerns(area, street) is concerned


@pytest.mark.parametrize(
    ("phone", "number"),
    [
        ("+48 601 234 567", "+48601234567"),
        ("601-234-567", "+48601234567"),
        ("0048601234567", "+48601234567"),
        ("12345", None),
        ("+48 601\n234", None),
        ("", None),
    ],
)
def test_a_phone_becomes_an_sms_number_or_none(phone: str, number: str | None) -> None:
    assert sms_number(phone) == number


def test_no_gateway_no_sms(template_db: Path, tmp_path: Path) -> None:
    from tests.support.portal import copy_portal

    clock = FakeClock(NOTICE_NOW)
    portal = copy_portal(template_db, tmp_path, clock)
    make_everything_due(portal.store)
    portal.notifier.run(RUN)
    assert all(k[3] == "email" for k in ledger(portal))
    portal.store.close()
