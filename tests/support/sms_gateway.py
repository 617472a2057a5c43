"""A small SMS gateway on 127.0.0.1 for the notices' tests: it takes the JSON POST that
portal/sms.py sends, keeps every message it accepted, and refuses the next `refuse`
messages with a 503 (a gateway that is down)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Gateway:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.refused: list[dict[str, Any]] = []
        self.refuse = 0
        self.url = ""
        self._lock = threading.Lock()

    def take(self, message: dict[str, Any]) -> int:
        with self._lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused.append(message)
                return 503
            self.messages.append(message)
            return 200

    def to(self, number: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.messages if m["to"] == number]

    def wait(self, check: Callable[[], bool], timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "no such SMS reached the gateway"
            time.sleep(0.05)


@contextmanager
def sms_gateway() -> Iterator[Gateway]:
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            try:
                message = json.loads(self.rfile.read(length))
                assert self.headers.get("Content-Type") == "application/json"
                assert set(message) == {"to", "text", "id"}
            except (ValueError, AssertionError):
                self.send_response(400)
                self.end_headers()
                return
            self.send_response(gateway.take(message))
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
