"""Many customers signing in at once, each from a client of its own: the client of the server
benchmark's sign-in figure.

Each customer opens a connection of its own (inside the timed window, so the server's accept
is measured), names its own address in X-Forwarded-For (the server trusts the loopback as a
proxy: 100 customers are 100 clients, not one guesser past the captcha's threshold), writes a
request built before the clock started, and reads the answer; a `429` is tried again after
its Retry-After, and so is a request whose connection the server dropped (on a new one).

The requests are plain HTTP/1.1 over asyncio's streams rather than httpx's: a real iBOK's
customers sign in from machines of their own, while this client shares the server's cores,
and httpx's own work (about 4 ms of CPU a sign-in here) was a fifth of what the server's
cores did besides hashing, counted against the server. The semantics are httpx's: the same
headers the server reads, keep-alive, a fresh connection when the server closed one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DROPS = 5  # a customer whose connection was dropped this many times gives up
TIMEOUT = 120.0  # seconds for one answer, as the httpx client had


@dataclass
class SignIns:
    """What the customers signing in at once found."""

    seconds: float = 0.0  # until the last answer
    tokens: list[str] = field(default_factory=list)
    busy: int = 0  # answers 429, each tried again after its Retry-After
    dropped: int = 0  # connections the server closed under a request, each tried again
    refused: Counter[str] = field(default_factory=Counter)  # any other answer, by status


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class _Dropped(Exception):
    """The connection ended before a whole answer came."""


def address_of(index: int) -> str:
    """The address customer `index` signs in from (TEST-NET-2's benchmarking block)."""
    return f"198.18.{index >> 8 & 255}.{index & 255}"


def login_request(host: str, index: int, number: str, password: str) -> bytes:
    """The whole HTTP/1.1 request of one customer's sign-in."""
    body = json.dumps({"customer_number": number, "password": password}).encode()
    head = (
        "POST /api/v1/auth/login HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Accept: application/json\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Forwarded-For: {address_of(index)}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> _Answer:
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head[:-4].decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" not in headers:
            raise ValueError(f"an answer without Content-Length: {status_line!r}")
        body = await reader.readexactly(int(headers["content-length"]))
    except (ConnectionError, asyncio.IncompleteReadError) as exc:
        raise _Dropped() from exc
    return _Answer(int(status_line.split(" ", 2)[1]), headers, body)


async def sign_in_all(url: str, customers: Sequence[tuple[str, str]]) -> SignIns:
    """Every customer `(number, password)` signs in at once (see the module's words)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [
        login_request(parts.netloc, index, number, password)
        for index, (number, password) in enumerate(customers)
    ]
    found = SignIns()

    async def one(request: bytes) -> None:
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        drops = 0
        try:
            while True:
                try:
                    if connection is None:
                        connection = await asyncio.open_connection(host, port)
                    answer = await asyncio.wait_for(_exchange(*connection, request), TIMEOUT)
                except _Dropped:
                    _close(connection)
                    connection = None
                    found.dropped += 1
                    drops += 1
                    if drops == DROPS:
                        found.refused[f"dropped {DROPS} times"] += 1
                        return
                    continue
                if answer.headers.get("connection", "").lower() == "close":
                    _close(connection)
                    connection = None
                if answer.status == 200:
                    found.tokens.append(str(json.loads(answer.body)["token"]))
                    return
                if answer.status != 429:
                    found.refused[str(answer.status)] += 1
                    return
                found.busy += 1
                await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
        finally:
            _close(connection)

    started = time.perf_counter()
    await asyncio.gather(*(one(request) for request in requests))
    found.seconds = time.perf_counter() - started
    if not found.tokens:
        raise RuntimeError(f"no customer could sign in: {dict(found.refused)}")
    return found


def _close(connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
    if connection is not None:
        connection[1].close()
