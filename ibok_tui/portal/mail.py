"""Outgoing mail through one interface: an outbox folder of .eml files, or SMTP."""

from __future__ import annotations

import os
import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlparse

# one address, or a group's addresses (each a plain addr-spec the portal has validated)
Recipients = str | Sequence[str]
# what `deliver` tells: None when the mail was handed over, else the kind of its failure
Outcome = Callable[[str | None], None]
# a file sent with a mail: its name, MIME type and content (an invoice's PDF)
Attachment = tuple[str, str, bytes]
# what may not stand in a header's text: line breaks of every kind and control characters
_NOT_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class Mailer(Protocol):
    def send(
        self, to: Recipients, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None: ...


def header_text(text: str) -> str:
    """`text` as one header line: CR, LF and every other control character become a
    space, so no text (a request's subject, a customer's name) can start a header of its
    own. The email package folds and encodes what is left."""
    return " ".join(_NOT_IN_HEADER.sub(" ", text).split())


def build_message(
    sender: str,
    to: Recipients,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """The message, its headers built by the email package (never joined as strings)."""
    message = EmailMessage()
    message["From"] = sender
    addresses = [to] if isinstance(to, str) else list(to)
    message["To"] = [Address(addr_spec=header_text(a)) for a in addresses]
    message["Subject"] = header_text(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "ibok.local")
    message.set_content(body)
    for filename, mime, content in attachments:
        maintype, _, subtype = mime.partition("/")
        message.add_attachment(
            content, maintype=maintype, subtype=subtype, filename=header_text(filename)
        )
    return message


@dataclass
class OutboxMailer:
    """Writes each message to `folder` as an .eml file (the demo and tests read them)."""

    folder: Path
    sender: str = "ibok@wodociagi.example.pl"

    def send(
        self, to: Recipients, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message = build_message(self.sender, to, subject, body, attachments)
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        # written aside and renamed: whoever reads the folder (a test, the demo's user, a
        # mail pick-up) sees a whole message or none, never one half written
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(bytes(message))
        os.replace(partial, self.folder / f"{name}.eml")

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

    def send(
        self, to: Recipients, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        parsed = urlparse(self.url)
        host = parsed.hostname or "127.0.0.1"
        if parsed.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, parsed.port or 465, timeout=self.timeout)
        else:
            client = smtplib.SMTP(host, parsed.port or 25, timeout=self.timeout)
        with client:
            if parsed.username:
                client.login(unquote(parsed.username), unquote(parsed.password or ""))
            client.send_message(build_message(self.sender, to, subject, body, attachments))


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

    def send(
        self, to: Recipients, subject: str, body: str, attachments: Sequence[Attachment] = ()
    ) -> None:
        self.submit(to, subject, body, lambda _failure: None, attachments)

    def submit(
        self,
        to: Recipients,
        subject: str,
        body: str,
        done: Outcome,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        """Send later, on the mail thread, and tell `done` there how it went."""
        import time

        due = time.monotonic() + self.delay
        self._queue.submit(self._send, due, to, subject, body, done, attachments)

    def _send(
        self,
        due: float,
        to: Recipients,
        subject: str,
        body: str,
        done: Outcome,
        attachments: Sequence[Attachment],
    ) -> None:
        import logging
        import time

        time.sleep(max(0.0, due - time.monotonic()))
        try:
            done(attempt(self.mailer, to, subject, body, attachments))
        except Exception as exc:  # nobody waits for it: say so in the server's log
            logging.getLogger("ibok.mail").error("mail not recorded: %s", type(exc).__name__)

    def close(self) -> None:
        self._queue.shutdown(wait=True)


def attempt(
    mailer: Mailer,
    to: Recipients,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
) -> str | None:
    """Send once: None when the mail was handed over, else the kind of the failure (its
    exception's class: never its text, which may quote an address or a server's words)."""
    import logging

    try:
        if attachments:
            mailer.send(to, subject, body, attachments)
        else:  # a mailer that sends no files (a test's) still sends the rest
            mailer.send(to, subject, body)
    except Exception as exc:  # a refused recipient, a dead server, a full disk: recorded
        logging.getLogger("ibok.mail").error("mail not sent: %s", type(exc).__name__)
        return type(exc).__name__
    return None


def deliver(
    mailer: Mailer,
    to: Recipients,
    subject: str,
    body: str,
    done: Outcome,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Send and tell `done` how it went: at once, or on the mail thread of a
    `BackgroundMailer` (then the caller's answer never waits for the mail)."""
    if isinstance(mailer, BackgroundMailer):
        mailer.submit(to, subject, body, done, attachments)
    else:
        done(attempt(mailer, to, subject, body, attachments))
