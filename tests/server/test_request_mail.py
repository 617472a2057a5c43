"""Requests that reach the office (issue 17.3) through `ibok serve` into a real SMTP sink
(aiosmtpd): Kartuzy's "a request goes to a defined group of recipients as an e-mail with
the sender's details in its footer", "the operators get a mail when new readings appear",
replies by e-mail with consent, and a routing that is refused at start."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.server.conftest import API, server_pair, sign_in, sign_in_operator
from tests.support.http_server import ROOT, ServerProcess, free_port

ROUTING = """
readings = "metering"
digest_minutes = 60
[groups]
dispatcher = ["dispatcher@utility.example.pl", "night-shift@utility.example.pl"]
complaints = ["complaints@utility.example.pl"]
metering = ["metering@utility.example.pl"]
office = ["bok@utility.example.pl"]
[categories]
failure = "dispatcher"
water_quality = "dispatcher"
complaint = "complaints"
default = "office"
"""
DISPATCHER = ["dispatcher@utility.example.pl", "night-shift@utility.example.pl"]
REFUSED = "bok@utility.example.pl"  # the sink refuses this one: the office's mail fails


class Sink:
    """An SMTP server's mailboxes: every accepted message with its envelope."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        found = []
        for envelope in self.envelopes:
            if address in envelope.rcpt_tos:
                message = message_from_bytes(envelope.content, policy=policy.default)
                assert isinstance(message, EmailMessage)
                found.append(message)
        return found

    def wait(self, check: Callable[[], bool], timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "no such mail reached the sink"
            time.sleep(0.05)


def text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # SMTP's line ends


@pytest.fixture
def sink() -> Iterator[tuple[Sink, str]]:
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def routing(tmp_path: Path) -> Path:
    path = tmp_path / "routing.toml"
    path.write_text(ROUTING, encoding="utf-8")
    return path


def create(http: httpx.Client, headers: dict[str, str], category: str, subject: str) -> Any:
    answer = http.post(
        "/me/requests",
        headers=headers,
        json={"category": category, "subject": subject, "body": "Proszę o pomoc.\nPilne."},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


@contextmanager
def serving(db: Path | str, smtp: str, routing: Path) -> Iterator[httpx.Client]:
    """A client of one `ibok serve` that mails through `smtp` by the routing file."""
    args = ["--smtp", smtp, "--routing", str(routing)]
    with (
        ServerProcess(db, args=args) as server,
        httpx.Client(base_url=server.url + API, timeout=30) as http,
    ):
        yield http


def queued(http: httpx.Client, office: dict[str, str], request_id: str) -> Any:
    answer = http.get("/operator/requests", headers=office)
    assert answer.status_code == 200, answer.text
    [found] = [r for r in answer.json() if r["id"] == request_id]
    return found


def test_kartuzy_a_failure_arrives_in_the_dispatchers_mailbox_with_the_sender_in_the_footer(
    shared_db: Path | str, sink: tuple[Sink, str], routing: Path
) -> None:
    mailbox, smtp = sink
    with serving(shared_db, smtp, routing) as http:
        anna = sign_in(http, "100002")
        failure = create(http, anna, "failure", "Brak wody na ulicy")
        mailbox.wait(lambda: bool(mailbox.to(DISPATCHER[0])))
        [mail] = mailbox.to(DISPATCHER[0])
        assert sorted(mailbox.envelopes[-1].rcpt_tos) == sorted(DISPATCHER)
        assert failure["number"] in str(mail["Subject"])
        body, footer = text(mail).split("\n-- \n")
        assert "Rodzaj: awaria" in body and "Proszę o pomoc.\nPilne." in body
        assert "Nadawca: Anna Nowak" in footer and "Kod nabywcy: 100002" in footer
        assert "E-mail: anna.nowak@example.pl" in footer

        # a complaint goes to the complaints office, not to the dispatcher
        complaint = create(http, anna, "complaint", "Reklamacja faktury")
        mailbox.wait(lambda: bool(mailbox.to("complaints@utility.example.pl")))
        assert [complaint["number"] in str(m["Subject"]) for m in mailbox.to(DISPATCHER[0])] == [
            False
        ]

        # the queue shows where each went, and that the mail went (recorded by the mail
        # thread, after the answer)
        office = sign_in_operator(http)
        mailbox.wait(lambda: queued(http, office, failure["id"])["route"]["state"] == "sent")
        route = queued(http, office, failure["id"])["route"]
        assert route["group"] == "dispatcher" and route["recipients"] == DISPATCHER
        assert queued(http, office, complaint["id"])["route"]["group"] == "complaints"

        # the office's own address refuses mail: the queue says it failed
        other = create(http, anna, "other", "Pismo")
        mailbox.wait(lambda: queued(http, office, other["id"])["route"]["state"] == "failed")
        assert queued(http, office, other["id"])["route"]["attempts"] == 1


def test_a_reply_reaches_a_consenting_customer_by_email_and_not_one_without(
    shared_db: Path | str, sink: tuple[Sink, str], routing: Path
) -> None:
    mailbox, smtp = sink
    with serving(shared_db, smtp, routing) as http:
        office = sign_in_operator(http)
        for number, address in (("100001", "jan.kowalski@example.pl"), ("100002", None)):
            request = create(http, sign_in(http, number), "other", f"Pytanie {number}")
            answer = http.post(
                f"/operator/requests/{request['id']}/reply",
                headers=office,
                json={"text": "Odczyt w przyszłym tygodniu.", "status": "answered"},
            )
            assert answer.status_code == 200, answer.text
            if address is not None:
                mailbox.wait(lambda a=address: bool(mailbox.to(a)))  # type: ignore[misc]
                [reply] = mailbox.to(address)
                assert request["number"] in str(reply["Subject"])
                assert "Odczyt w przyszłym tygodniu." in text(reply)
        time.sleep(1.0)  # the mail thread's delay, many times over
        assert mailbox.to("anna.nowak@example.pl") == []


def test_kartuzy_new_readings_reach_the_metering_team_once_over_two_servers(
    shared_db: Path | str, sink: tuple[Sink, str], routing: Path
) -> None:
    mailbox, smtp = sink
    args = ["--smtp", smtp, "--routing", str(routing)]
    env = {"IBOK_OFFICE_TICK": "0.2"}  # each process tries the digest five times a second
    with (
        server_pair(shared_db, args, env) as (first, _second),
        httpx.Client(base_url=first.url + API, timeout=30) as http,
    ):
        jan = sign_in(http, "100001")
        [meter] = http.get("/me/meters", headers=jan).json()
        submitted = http.post(
            "/me/readings", headers=jan, json={"meter_id": meter["id"], "value": "1019,5"}
        )
        assert submitted.status_code == 201, submitted.text
        mailbox.wait(lambda: bool(mailbox.to("metering@utility.example.pl")))
        time.sleep(2.0)  # ten more ticks of each process
        [digest] = mailbox.to("metering@utility.example.pl")
        assert "100001" in text(digest) and meter["serial"] in text(digest)


def test_a_bad_routing_file_stops_the_start_naming_its_entry(
    tmp_path: Path, template_db: Path
) -> None:
    path = tmp_path / "routing.toml"
    path.write_text(ROUTING.replace("metering@utility.example.pl", "metering@@utility"), "utf-8")
    command = [sys.executable, "-m", "ibok_tui.cli", "serve", "--db", str(tmp_path / "x.sqlite")]
    done = subprocess.run(
        [*command, "--routing", str(path), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 2
    assert "groups.metering[1]" in done.stderr and "metering@@utility" in done.stderr
    assert not (tmp_path / "x.sqlite").exists()  # refused before anything was opened
