"""A real TCP proxy that loses an answer: the server did the work, the client never hears."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from .http_server import free_port


@dataclass
class LossyProxy:
    """A real TCP proxy in front of the server that swallows the answer to the first
    POST to `drop_path`: the server did the work, the client never hears of it."""

    upstream: int
    drop_path: str
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)
    dropped: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.seen.append((method, path.split("?")[0], headers.get("idempotency-key")))
            kept = [
                line for line in lines[1:] if line and not line.lower().startswith("connection:")
            ]
            request = "\r\n".join([lines[0], *kept, "Connection: close", "", ""]).encode("latin-1")
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
            up_writer.write(request + body)
            await up_writer.drain()
            answer = await up_reader.read()
            up_writer.close()
            if method == "POST" and path.startswith(self.drop_path) and not self.dropped:
                self.dropped += 1
                return  # the answer is lost
            writer.write(answer)
            await writer.drain()
        finally:
            writer.close()


@asynccontextmanager
async def lossy_proxy(
    upstream: int, drop_path: str = "/api/v1/me/"
) -> AsyncIterator[tuple[LossyProxy, str]]:
    """A `LossyProxy` listening on a free port, and its URL."""
    lossy = LossyProxy(upstream=upstream, drop_path=drop_path)
    port = free_port()
    listener = await asyncio.start_server(lossy.handle, "127.0.0.1", port)
    async with listener:
        yield lossy, f"http://127.0.0.1:{port}"
