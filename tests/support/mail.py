"""Reading the mail the portal sends: the newest .eml in its outbox folder and the code
or password in it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

# what follows the label up to the end of the line: a token or a code
_LABELS = {
    "reset": "Kod jednorazowy:",
    "activation": "Kod aktywacyjny:",
}


def messages(outbox: Path) -> list[EmailMessage]:
    """Every message in the outbox, oldest first."""
    if not outbox.exists():
        return []
    paths = sorted(outbox.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    found = []
    for path in paths:
        parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        found.append(parsed)
    return found


def newest_mail(outbox: Path, to: str | None = None, wait: float = 10.0) -> EmailMessage:
    """The newest message (to `to`, if given); fails the test if there is none within
    `wait` seconds (a server sends its mail in the background)."""
    deadline = time.monotonic() + wait
    while True:
        found = [m for m in messages(outbox) if to is None or str(m["To"]).lower() == to.lower()]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert found, f"no mail{' to ' + to if to else ''} in {outbox}"
    return found[-1]


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def code_from(message: EmailMessage, kind: str) -> str:
    """The reset or activation token in `message`."""
    label = _LABELS[kind]
    match = re.search(re.escape(label) + r"[ \t]*(\S+)", body(message))
    assert match, f"no {kind} code in the mail {message['Subject']!r}"
    return match.group(1)


def newest_code(outbox: Path, kind: str, to: str | None = None) -> str:
    return code_from(newest_mail(outbox, to), kind)


class Sink:
    """An SMTP server's handler that keeps every envelope it is given."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[tuple[Sink, str]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and its `smtp://` URL, for `--smtp`."""
    from aiosmtpd.controller import Controller

    from .http_server import free_port

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()
