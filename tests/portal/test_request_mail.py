"""Requests that reach the office (issue 17.3), in the portal on both stores: hostile text
forges no header, a failed mail is recorded and sent again by one process, the readings'
digest goes once a period (Kartuzy: the operators get a mail when new readings appear)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from ibok_tui.domain.models import (
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
    RequestStatus,
    RouteState,
)
from ibok_tui.portal.mail import OutboxMailer, Recipients, build_message
from ibok_tui.portal.routing import RoutingError, load_routing, parse_routing
from ibok_tui.portal.service import PortalService, open_portal
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.clock import FakeClock
from tests.support.mail import body, messages

METERING = "odczyty@wodociagi-zalesie.example.pl"


def sign_in(portal: PortalService, number: str) -> str:
    return portal.login(number, PASSWORDS[number]).token


def office(portal: PortalService) -> str:
    return portal.operator_login("bok.anna", OPERATORS["bok.anna"]).token


def outbox(portal: PortalService) -> Path:
    mailer = portal.mailer
    assert isinstance(mailer, OutboxMailer)
    return mailer.folder


def route_of(portal: PortalService, request_id: str) -> RouteState:
    [found] = [r for r in portal.request_queue(office(portal)) if r.id == request_id]
    assert found.route is not None
    return found.route.state


@pytest.mark.parametrize(
    "subject",
    [
        "Sprawa\r\nBcc: wszyscy@example.com",
        "Sprawa\nBcc: wszyscy@example.com",
        "Sprawa\rBcc: wszyscy@example.com",
        "Sprawa\x00\x1b[31m\x85Bcc: wszyscy@example.com",
        "Sprawa\u2028Bcc: wszyscy@example.com",
    ],
)
def test_a_subject_with_line_breaks_or_controls_stays_one_header(subject: str) -> None:
    message = build_message("ibok@example.pl", ["a@example.pl", "b@example.pl"], subject, "x")
    assert message["Bcc"] is None
    text = bytes(message).decode()
    headers = text.split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert len(message.get_all("Subject") or []) == 1
    assert str(message["Subject"]).startswith("Sprawa ")
    assert {a.addr_spec for a in message["To"].addresses} == {"a@example.pl", "b@example.pl"}


def test_a_hostile_subject_stored_by_the_billing_system_forges_nothing_in_the_reply(
    portal: PortalService,
) -> None:
    """The server refuses CR/LF in a subject at the door; a row the billing system wrote
    straight into the table must still not make the reply's subject two headers."""
    jan = sign_in(portal, "100001")  # consented to e-mail notices
    request = portal.create_request(jan, RequestDraft(RequestCategory.OTHER, "Pismo", "Treść."))
    with portal.store.transaction():
        portal.store.execute(
            "UPDATE requests SET subject = ? WHERE id = ?",
            ("Pismo\r\nBcc: wszyscy@example.com\r\n\r\nFałszywa treść", request.id),
        )
    portal.reply_request(office(portal), request.id, "Odpowiedź.", RequestStatus.ANSWERED)
    [reply] = [m for m in messages(outbox(portal)) if "odpowiedź" in str(m["Subject"])]
    assert reply["Bcc"] is None
    assert "\n" not in str(reply["Subject"]) and "\r" not in str(reply["Subject"])
    assert "Odpowiedź." in body(reply)


class Refusing:
    """A mailer whose server is away: every send fails as a refused connection would."""

    def __init__(self) -> None:
        self.tries = 0

    def send(self, to: Recipients, subject: str, body: str) -> None:
        self.tries += 1
        raise ConnectionRefusedError("no")


def test_a_failed_mail_is_recorded_and_sent_again_once(
    portal: PortalService, clock: FakeClock
) -> None:
    working = portal.core.mailer
    refusing = Refusing()
    portal.core.mailer = refusing
    anna = sign_in(portal, "100002")
    request = portal.create_request(
        anna, RequestDraft(RequestCategory.FAILURE, "Awaria", "Wyciek.")
    )
    assert refusing.tries == 1
    assert route_of(portal, request.id) is RouteState.FAILED  # the request itself is kept
    portal.core.mailer = working
    portal.office_tick()
    assert route_of(portal, request.id) is RouteState.FAILED  # not yet: 5 minutes later
    clock.advance(timedelta(minutes=6))
    portal.office_tick()
    assert route_of(portal, request.id) is RouteState.SENT
    portal.office_tick()
    sent = [m for m in messages(outbox(portal)) if request.number in str(m["Subject"])]
    assert len(sent) == 1


def test_kartuzy_new_readings_reach_the_metering_team_once_a_period(
    portal: PortalService, clock: FakeClock
) -> None:
    def digests() -> list[EmailMessage]:
        return [m for m in messages(outbox(portal)) if "nowe odczyty" in str(m["Subject"])]

    portal.office_tick()
    assert digests() == []  # nothing new in the last period: no mail
    clock.advance(timedelta(days=40))  # a new billing period
    jan = sign_in(portal, "100001")
    [meter] = portal.meters(jan)
    last = max(portal.readings(jan, meter.id), key=lambda r: r.read_on)
    value = f"{(last.index + 4_000) / 1000:.3f}".replace(".", ",")
    portal.submit_reading(jan, ReadingSubmission(meter.id, value))
    portal.office_tick()
    portal.office_tick()  # a second worker in the same period: nothing more
    [digest] = digests()
    assert {a.addr_spec for a in digest["To"].addresses} == {METERING}
    text = body(digest)
    assert "100001" in text and meter.serial in text
    assert str(digest["Subject"]).endswith("(1)")
    clock.advance(timedelta(hours=1))
    portal.office_tick()
    assert len(digests()) == 1  # nothing new since: no second mail


def test_an_unrouted_category_is_shown_as_such(portal: PortalService) -> None:
    routing = portal.core.routing
    portal.core.routing = replace(routing, categories={RequestCategory.OTHER: "bok"})
    anna = sign_in(portal, "100002")
    request = portal.create_request(anna, RequestDraft(RequestCategory.FAILURE, "A", "B"))
    assert route_of(portal, request.id) is RouteState.UNROUTED
    assert messages(outbox(portal)) == []


GOOD = """
digest_minutes = 30
readings = "odczyty"
[groups]
dyspozytor = ["dyspozytor@wodociagi.example.pl"]
odczyty = "odczyty@wodociagi.example.pl"
[categories]
failure = "dyspozytor"
default = "odczyty"
"""


def test_a_routing_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "routing.toml"
    path.write_text(GOOD, encoding="utf-8")
    routing = load_routing(path)
    assert routing.group_of(RequestCategory.FAILURE) == (
        "dyspozytor",
        ("dyspozytor@wodociagi.example.pl",),
    )
    assert routing.group_of(RequestCategory.COMPLAINT) == (
        "odczyty",
        ("odczyty@wodociagi.example.pl",),
    )
    assert routing.digest_every == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("change", "entry", "code"),
    [
        ({"groups": {"d": ["ok@example.pl", "zly@@adres"]}}, "groups.d[2]", "invalid_email"),
        ({"groups": {"d": ["ok@example.pl\r\nBcc: x@example.pl"]}}, "groups.d[1]", "invalid_email"),
        ({"groups": {"d": []}}, "groups.d", "required"),
        ({"groups": {"zła nazwa": ["ok@example.pl"]}}, "groups.zła nazwa", "invalid_group_name"),
        ({"categories": {"failure": "d"}}, "categories.water_quality", "required"),
        ({"categories": {"default": "nie-ma"}}, "categories.default", "unknown_group"),
        ({"categories": {"default": "d", "awaria": "d"}}, "categories.awaria", "unknown_category"),
        ({"readings": "nie-ma"}, "readings", "unknown_group"),
        ({"digest_minutes": 0}, "digest_minutes", "out_of_range"),
        ({"digest_minutes": True}, "digest_minutes", "out_of_range"),
        ({"extra": 1}, "extra", "unknown_entry"),
    ],
)
def test_a_bad_routing_is_refused_naming_its_entry(
    change: dict[str, object], entry: str, code: str
) -> None:
    data: dict[str, object] = {
        "groups": {"d": ["ok@example.pl"]},
        "categories": {"default": "d"},
        **change,
    }
    with pytest.raises(RoutingError) as refused:
        parse_routing(data)
    assert (refused.value.entry, refused.value.code) == (entry, code)


def test_a_routing_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "routing.toml"
    path.write_text("[groups\n", encoding="utf-8")
    with pytest.raises(RoutingError) as refused:
        load_routing(path)
    assert refused.value.code == "not_toml"
    with pytest.raises(RoutingError) as missing:
        load_routing(tmp_path / "none.toml")
    assert missing.value.code == "unreadable"


def test_the_stored_routing_is_checked_when_first_needed_and_by_the_server_at_start(
    template_db: Path, tmp_path: Path, clock: FakeClock
) -> None:
    """Opening the portal (the demo's console resuming a session) does not read the routing:
    checking its addresses imports the e-mail validator, most of opening the store. A bad
    one is refused, naming its entry, when a request needs it, and stops a server at once."""
    from ibok_tui.server.state import ServerConfig, ServerState
    from tests.support.portal import copy_db

    db = copy_db("sqlite", template_db, tmp_path / "db")
    bad = '{"groups": {"bok": ["not an address"]}, "categories": {"default": "bok"}}'
    first = open_portal(db, outbox=tmp_path / "outbox", clock=clock)
    with first.store.transaction():
        first.store.execute(
            "INSERT INTO settings (key, value) VALUES ('routing', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (bad,),
        )
    first.store.close()
    portal = open_portal(db, outbox=tmp_path / "outbox", clock=clock)  # not read: no error
    anna = sign_in(portal, "100002")
    assert portal.dashboard(anna).customer.number == "100002"
    with pytest.raises(RoutingError) as refused:
        portal.create_request(anna, RequestDraft(RequestCategory.FAILURE, "A", "B"))
    assert (refused.value.entry, refused.value.code) == ("groups.bok[1]", "invalid_email")
    portal.store.close()
    with pytest.raises(RoutingError) as at_start:
        ServerState(ServerConfig(db=db, outbox=tmp_path / "outbox"))
    assert at_start.value.entry == "groups.bok[1]"


def test_the_outbox_never_shows_a_message_half_written(tmp_path: Path) -> None:
    """A reader of the outbox folder (the demo's user, a test waiting for a code) sees each
    message whole or not at all, even one with a large attachment being written."""
    import threading
    from email import message_from_bytes, policy

    mailer = OutboxMailer(tmp_path / "outbox")
    scan = ("skan.pdf", "application/pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40_000)
    done = threading.Event()

    def send() -> None:
        for n in range(3):
            mailer.send("jan.kowalski@example.pl", f"Skan {n}", "W załączniku skan.", [scan])
        done.set()

    sender = threading.Thread(target=send)
    sender.start()
    read: set[str] = set()
    while not done.is_set() or len(read) < 3:
        paths = list(mailer.folder.glob("*.eml")) if mailer.folder.exists() else []
        for path in (p for p in paths if p.name not in read):
            read.add(path.name)  # each read once, the moment it is first seen
            parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert str(parsed["Subject"]).startswith("Skan "), path.name
            assert parsed.get_payload()[-1].get_payload(decode=True) == scan[2]
    sender.join()
    assert sorted(str(m["Subject"]) for m in messages(mailer.folder)) == [
        "Skan 0",
        "Skan 1",
        "Skan 2",
    ]
