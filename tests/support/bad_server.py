"""A bad HTTP server for tests: a real TCP server on 127.0.0.1 that answers every request
with the bytes (or the misbehaviour) a test chooses: an HTML page, broken JSON, a reset,
silence. What a proxy, a captive portal or a broken server can do to the console."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

HTML = b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"


def reply(status: int, body: bytes = b"", content_type: str | None = None, **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in headers.items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]


@dataclass
class BadServer:
    """Answers every request with `behaviour` (bytes to send, or a coroutine function
    that does something worse); counts the requests it saw."""

    behaviour: bytes | Behaviour = b""
    requests: list[str] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            self.requests.append(line)
            length = 0
            for header in head.split(b"\r\n")[1:]:
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if length:
                await reader.readexactly(length)
            if callable(self.behaviour):
                await self.behaviour(reader, writer)  # type: ignore[misc]
            else:
                writer.write(self.behaviour)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def bad_server() -> AsyncIterator[BadServer]:
    server = BadServer()
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield server
