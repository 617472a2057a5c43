"""Outgoing mail through one interface: an outbox folder of .eml files, or SMTP."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def build_message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "ibok.local")
    message.set_content(body)
    return message


@dataclass
class OutboxMailer:
    """Writes each message to `folder` as an .eml file (the demo and tests read them)."""

    folder: Path
    sender: str = "ibok@wodociagi.example.pl"

    def send(self, to: str, subject: str, body: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message = build_message(self.sender, to, subject, body)
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        (self.folder / f"{name}.eml").write_bytes(bytes(message))

    def messages(self) -> list[EmailMessage]:
        from email import message_from_bytes, policy

        found = []
        for path in sorted(self.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            found.append(parsed)
        return found


@dataclass
class SmtpMailer:
    """Delivers through an SMTP server given as smtp://[user:pass@]host:port (smtps:// for TLS)."""

    url: str
    sender: str = "ibok@wodociagi.example.pl"
    timeout: float = 10.0

    def send(self, to: str, subject: str, body: str) -> None:
        parsed = urlparse(self.url)
        host = parsed.hostname or "127.0.0.1"
        if parsed.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, parsed.port or 465, timeout=self.timeout)
        else:
            client = smtplib.SMTP(host, parsed.port or 25, timeout=self.timeout)
        with client:
            if parsed.username:
                client.login(unquote(parsed.username), unquote(parsed.password or ""))
            client.send_message(build_message(self.sender, to, subject, body))


class BackgroundMailer:
    """Sends through `mailer` on one background thread, in order, so a request never waits
    for the mail (nor tells by its duration whether one was sent). Each mail waits `delay`
    seconds first, so composing it does not compete with the answer that is being sent.
    `close()` sends what is still queued."""

    def __init__(self, mailer: Mailer, delay: float = 0.05) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.mailer = mailer
        self.delay = delay
        self._queue = ThreadPoolExecutor(1, thread_name_prefix="ibok-mail")

    def send(self, to: str, subject: str, body: str) -> None:
        import time

        self._queue.submit(self._send, time.monotonic() + self.delay, to, subject, body)

    def _send(self, due: float, to: str, subject: str, body: str) -> None:
        import logging
        import time

        time.sleep(max(0.0, due - time.monotonic()))
        try:
            self.mailer.send(to, subject, body)
        except Exception as exc:  # nobody waits for it: say so in the server's log
            logging.getLogger("ibok.mail").error("mail not sent: %s", type(exc).__name__)

    def close(self) -> None:
        self._queue.shutdown(wait=True)
