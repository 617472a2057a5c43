"""SMS through the utility's HTTP gateway (`ibok serve --sms-gateway URL`).

The gateway is given one small JSON POST per message:

    POST <URL>   Content-Type: application/json
    {"to": "+48600100200", "text": "iBOK: ...", "id": "9f2c…"}

`to` is the customer's number in E.164 form (a Polish number of nine digits gets +48),
`text` one line of plain text, `id` the notice's key in the ledger (the same for every try
of one notice, so a gateway may drop a repeat). Any 2xx answer means the message was
taken; anything else (or no answer within the timeout) is a failure the ledger retries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from .mail import header_text

MAX_TEXT = 480  # three concatenated SMS parts


class SmsSender(Protocol):
    def send(self, to: str, text: str, key: str) -> None: ...


def sms_number(phone: str) -> str | None:
    """`phone` (as the account's check let it in: digits, spaces, dashes, a leading +) in
    E.164 form, or None when it is not a number an SMS can go to."""
    text = phone.strip()
    if not text or not set(text) <= set("+0123456789 -") or "+" in text[1:]:
        return None
    digits = "".join(c for c in text if c.isdigit())
    if text.startswith("+"):
        return f"+{digits}" if 9 <= len(digits) <= 15 else None
    if text.startswith("00") and 11 <= len(digits) <= 17:
        return f"+{digits[2:]}"
    return f"+48{digits}" if len(digits) == 9 else None


def sms_text(text: str) -> str:
    """One line, no control characters, at most MAX_TEXT characters."""
    line = header_text(text)
    return line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1] + "…"


@dataclass(frozen=True)
class HttpSmsGateway:
    url: str
    timeout: float = 10.0

    def send(self, to: str, text: str, key: str) -> None:
        import urllib.request

        data = json.dumps({"to": to, "text": sms_text(text), "id": key}).encode()
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "ibok-notices"},
        )
        # a refused message raises (HTTPError for a non-2xx answer, URLError for none)
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            if not 200 <= answer.status < 300:
                raise OSError(f"gateway answered {answer.status}")
