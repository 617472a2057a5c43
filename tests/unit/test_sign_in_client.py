"""The server benchmark's sign-in client (benchmarks/sign_ins.py) against a small local HTTP
server: each customer comes from an address of its own with its own body, a `429` is tried
again after its Retry-After, a dropped connection is tried again on a new one, and any other
refusal is counted by its status."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Iterator

import pytest

from benchmarks.sign_ins import address_of, sign_in_all
from tests.support.local_http import JsonHandler, serving


class _Portal(JsonHandler):
    tries: Counter[str] = Counter()
    bodies: dict[str, dict[str, str]] = {}
    lock = threading.Lock()

    def do_POST(self) -> None:
        address = self.headers["X-Forwarded-For"]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            type(self).tries[address] += 1
            tries = type(self).tries[address]
            type(self).bodies[address] = body
        if self.path != "/api/v1/auth/login" or body["password"] != "Hasło!2026":
            self.answer(400, b"{}")
        elif address == address_of(0) and tries == 1:
            self.answer(429, b"{}", (("Retry-After", "0"),))
        elif address == address_of(1) and tries == 1:
            self.close_connection = True  # dropped under the request, no answer at all
        elif address == address_of(2):
            self.answer(423, b"{}", (("Retry-After", "60"),))
        else:
            token = f"token-of-{body['customer_number']}"
            self.answer(200, json.dumps({"token": token}).encode())


@pytest.fixture
def server() -> Iterator[str]:
    _Portal.tries = Counter()
    _Portal.bodies = {}
    with serving(_Portal) as url:
        yield url


def test_each_customer_signs_in_from_its_own_address(server: str) -> None:
    customers = [(f"{500000 + i}", "Hasło!2026") for i in range(300)]
    found = asyncio.run(sign_in_all(server, customers))
    assert len(set(_Portal.tries)) == 300  # 300 addresses, not one
    assert {_Portal.bodies[address_of(i)]["customer_number"] for i in range(300)} == {
        number for number, _ in customers
    }
    assert sorted(found.tokens) == sorted(
        f"token-of-{number}" for number, _ in customers if number != "500002"
    )
    assert found.seconds > 0


def test_busy_and_dropped_are_tried_again_and_refusals_counted(server: str) -> None:
    found = asyncio.run(sign_in_all(server, [(f"{500000 + i}", "Hasło!2026") for i in range(4)]))
    assert (found.busy, found.dropped) == (1, 1)
    assert _Portal.tries[address_of(0)] == 2 and _Portal.tries[address_of(1)] == 2
    assert _Portal.tries[address_of(2)] == 1  # a 423 is not tried again
    assert found.refused == Counter({"423": 1})
    assert len(found.tokens) == 3


def test_nobody_signed_in_is_an_error(server: str) -> None:
    with pytest.raises(RuntimeError, match="no customer could sign in"):
        asyncio.run(sign_in_all(server, [("500000", "wrong")]))
