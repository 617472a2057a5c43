"""The notices (issue #16.3 and #16.5) through real `ibok serve` processes into a real SMTP
sink (aiosmtpd) and an SMS gateway on 127.0.0.1: every kind is sent once across two
server processes over one store and a restart, never to a customer without the consent,
on SQLite and PostgreSQL; and `ibok notify` for cron, beside or without a server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from tests.server.conftest import open_shared_store, server_pair
from tests.support.http_server import ROOT, ServerProcess
from tests.support.mail import Sink, smtp_sink
from tests.support.notices import (
    ANNA,
    EVERY_TOPIC,
    JAN,
    JAN_PHONE,
    NOTICE_NOW,
    make_everything_due,
)
from tests.support.sms_gateway import sms_gateway

ENV = {
    "IBOK_CLOCK": NOTICE_NOW.isoformat(),
    "IBOK_OFFICE_TICK": "0.2",  # each process ticks five times a second
    "IBOK_NOTICE_EVERY": "0.2",
}


def ledger(db: Path | str) -> list[Any]:
    store = open_shared_store(db)
    try:
        return [
            dict(zip(r.keys(), tuple(r), strict=True))
            for r in store.all("SELECT * FROM notice_ledger")
        ]
    finally:
        store.close()


def wait(check: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the notices did not arrive"
        time.sleep(0.1)


def received(sink: Sink) -> list[tuple[str, EmailMessage]]:
    found = []
    for envelope in sink.messages:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        for address in envelope.rcpt_tos:
            found.append((address, message))
    return found


def all_sent(db: Path | str) -> bool:
    rows = ledger(db)
    jan = {(r["kind"], r["channel"]) for r in rows if r["customer_number"] == JAN}
    every = {(topic, channel) for topic in EVERY_TOPIC for channel in ("email", "sms")}
    return jan >= every and all(r["state"] == "sent" for r in rows)


def test_each_kind_is_sent_once_over_two_servers_and_a_restart(shared_db: Path | str) -> None:
    store = open_shared_store(shared_db)
    make_everything_due(store)
    store.close()
    with smtp_sink() as (sink, smtp), sms_gateway() as gateway:
        args = ["--smtp", smtp, "--sms-gateway", gateway.url]
        with server_pair(shared_db, args, ENV):
            wait(lambda: all_sent(shared_db))
            time.sleep(1.5)  # both processes tick again and again
        rows = ledger(shared_db)
        mail = received(sink)

        # once: one message per ledger row of e-mail, one SMS per row of SMS
        by_address = Counter(address for address, _ in mail)
        assert by_address == Counter(r["address"] for r in rows if r["channel"] == "email")
        subjects = [(address, str(m["Subject"])) for address, m in mail]
        assert len(subjects) == len(set(subjects))
        assert len(gateway.messages) == len([r for r in rows if r["channel"] == "sms"])
        assert {m["to"] for m in gateway.messages} == {JAN_PHONE}
        assert len({m["id"] for m in gateway.messages}) == len(gateway.messages)
        # never to a customer without the consent
        assert "anna.nowak@example.pl" not in by_address
        assert all(r["customer_number"] != ANNA for r in rows)
        # the e-invoice came with its PDF
        [e_invoice] = [m for _, m in mail if str(m["Subject"]).startswith("iBOK: e-faktura")]
        [pdf] = list(e_invoice.iter_attachments())
        assert pdf.get_content_type() == "application/pdf"

        # a restart sends nothing again, and what became due since, once
        store = open_shared_store(shared_db)
        with store.transaction():
            store.execute(
                "INSERT INTO notices (id, kind, title, body, published_at, valid_from, area)"
                " VALUES ('N-restart', 'failure', 'Awaria sieci', 'x', ?, '2026-12-02',"
                " 'ul. Leśna')",
                (NOTICE_NOW.isoformat(),),
            )
        store.close()
        with ServerProcess(shared_db, args=args, env=ENV):
            wait(lambda: len(sink.messages) == len(mail) + 1)
            wait(lambda: len(gateway.messages) == len(rows) - len(mail) + 1)
            time.sleep(1.5)
        assert len(received(sink)) == len(mail) + 1
        assert "Awaria sieci" in str(received(sink)[-1][1]["Subject"])
        assert len(gateway.messages) == len([r for r in rows if r["channel"] == "sms"]) + 1


def notify(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IBOK_CLOCK": NOTICE_NOW.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "ibok_tui.cli", "notify", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_ibok_notify_from_cron_sends_once_and_leaves_a_running_server_its_schedule(
    template_db: Path, tmp_path: Path
) -> None:
    import shutil

    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    store = open_shared_store(db)
    make_everything_due(store)
    store.close()
    with smtp_sink() as (sink, smtp), sms_gateway() as gateway:
        first = notify(db, "--smtp", smtp, "--sms-gateway", gateway.url)
        assert first.returncode == 0, first.stderr
        assert "nieudanych: 0" in first.stdout
        sent = len(sink.messages)
        assert sent > 0 and gateway.messages
        assert notify(db, "--smtp", smtp, "--sms-gateway", gateway.url).returncode == 0
        assert len(sink.messages) == sent  # the second run: nothing more

        # the cron runs gave the lease up, but their name stays in its row until another
        # process takes it: wait for the running server's name there
        cron = {r["holder"] for r in _leases(db)}
        with ServerProcess(db, args=["--smtp", smtp], env=ENV):
            wait(lambda: any(r["holder"] not in cron for r in _leases(db)))
            beside = notify(db, "--smtp", smtp)
            assert beside.returncode == 0, beside.stderr
            assert "inny proces" in beside.stdout
        assert len(sink.messages) == sent


def _leases(db: Path) -> list[Any]:
    store = open_shared_store(db)
    try:
        return [
            dict(zip(r.keys(), tuple(r), strict=True)) for r in store.all("SELECT * FROM leases")
        ]
    finally:
        store.close()
