"""A burst of keyed POSTs against two servers over one database, each delivered twice at
once (to both, as a load balancer that retries on the other host does) and retried with
the same key until answered, while one server is killed with SIGKILL: nothing is lost,
nothing is written twice, and both deliveries of a key get the same answer."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from tests.server.conftest import API, open_shared_store, server_pair, sign_in, sign_in_operator
from tests.support.http_server import ServerProcess

CUSTOMERS = ("100001", "100002", "100003", "200001", "100004")
REQUESTS = 40
NOTICES = 10
DEADLINE = 120.0  # seconds for every delivery to be answered


@dataclass
class Item:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    answers: list[httpx.Response] = field(default_factory=list)


@dataclass
class Cluster:
    servers: tuple[ServerProcess, ServerProcess]
    killed: threading.Event = field(default_factory=threading.Event)
    delivered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, item: Item, first: int) -> None:
        """POST `item` with its key until a server answers it (not a transport failure,
        not a 5xx, not "in progress"), starting with server `first`."""
        target = first
        deadline = time.monotonic() + DEADLINE
        with httpx.Client(timeout=10) as http:
            while time.monotonic() < deadline:
                if target == 0 and self.killed.is_set():
                    target = 1
                server = self.servers[target]
                try:
                    answer = http.post(
                        server.url + API + item.path, json=item.body, headers=item.headers
                    )
                except httpx.TransportError:
                    target = 1 - target  # the other host
                    time.sleep(0.05)
                    continue
                if answer.status_code >= 500:
                    time.sleep(0.1)
                    continue
                if (
                    answer.status_code == 409
                    and answer.json().get("code") == "idempotency_key_in_progress"
                ):
                    time.sleep(float(answer.headers["retry-after"]))
                    continue
                with self.lock:
                    item.answers.append(answer)
                    self.delivered += 1
                return
        raise AssertionError(f"{item.path} {item.headers['Idempotency-Key']} never answered")


def _meters(http: httpx.Client, token: dict[str, str]) -> list[tuple[str, int]]:
    """The customer's meters that take a reading now (none waiting for import), with
    their last index."""
    found = []
    for meter in http.get("/me/meters", headers=token).json():
        readings = http.get(
            f"/me/meters/{quote(meter['id'], safe='')}/readings", headers=token
        ).json()
        if (
            meter["status"] == "active"
            and readings
            and all(r["status"] != "pending" for r in readings)
        ):
            found.append((meter["id"], readings[-1]["index"]))
    return found


def test_a_burst_with_one_server_killed_loses_nothing_and_writes_nothing_twice(
    shared_db: Path | str,
) -> None:
    with server_pair(shared_db, env={"IBOK_IDEMPOTENCY_LEASE": "2"}) as servers:
        cluster = Cluster(servers)
        items: list[Item] = []
        with httpx.Client(base_url=servers[0].url + API, timeout=30) as http:
            tokens = {number: sign_in(http, number) for number in CUSTOMERS}
            staff = sign_in_operator(http)
            for token in tokens.values():
                for meter_id, index in _meters(http, token):
                    body = {"meter_id": meter_id, "value": str(index // 1000 + 2)}
                    items.append(Item("/me/readings", body, dict(token)))
        assert len(items) >= 5  # the demo's meters that take a reading
        for n in range(REQUESTS):
            token = tokens[CUSTOMERS[n % len(CUSTOMERS)]]
            draft = {"category": "other", "subject": f"burst {n}", "body": "Treść zgłoszenia."}
            items.append(Item("/me/requests", draft, dict(token)))
        for n in range(NOTICES):
            notice = {
                "kind": "info",
                "title": f"burst {n}",
                "body": "Raz.",
                "valid_from": "2026-11-21",
            }
            items.append(Item("/operator/notices", notice, dict(staff)))
        random.Random(13).shuffle(items)  # every kind before the kill and after it
        for item in items:
            item.headers["Idempotency-Key"] = str(uuid.uuid4())

        def kill_midway() -> None:
            while cluster.delivered < len(items) // 2:
                time.sleep(0.005)
            assert servers[0].process is not None
            os.kill(servers[0].process.pid, signal.SIGKILL)
            cluster.killed.set()

        killer = threading.Thread(target=kill_midway, daemon=True)
        killer.start()
        with ThreadPoolExecutor(max_workers=12) as pool:
            futures = [
                pool.submit(cluster.deliver, item, (n + copy) % 2)
                for n, item in enumerate(items)
                for copy in (0, 1)  # both deliveries of an item at once, one to each server
            ]
            for future in futures:
                future.result()
        killer.join(5)
        assert cluster.killed.is_set() and not servers[0].alive()

    # every delivery answered with the same success as its twin
    for item in items:
        first, second = item.answers
        assert first.status_code in (200, 201), first.text
        assert (second.status_code, second.json()) == (first.status_code, first.json())
    store = open_shared_store(shared_db)
    try:
        for item in items:
            made = item.answers[0].json()
            if item.path == "/me/readings":
                rows = store.all(
                    "SELECT id FROM readings WHERE meter_id = ? AND status = 'pending'",
                    (item.body["meter_id"],),
                )
                assert [r["id"] for r in rows] == [made["id"]]
            elif item.path == "/me/requests":
                rows = store.all(
                    "SELECT id FROM requests WHERE subject = ?", (item.body["subject"],)
                )
                assert [r["id"] for r in rows] == [made["id"]]
            else:
                rows = store.all("SELECT id FROM notices WHERE title = ?", (item.body["title"],))
                assert [r["id"] for r in rows] == [made["id"]]
    finally:
        store.close()
