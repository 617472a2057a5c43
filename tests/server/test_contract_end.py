"""The end of the supply contract across two `ibok serve` processes over one database
(SQLite, PostgreSQL): the clerk records it through one, the customer's Pulpit (a stored
answer, read before) shows it at once through the other, the e-mail goes to a real SMTP
sink (Będzin §8.6), and when the grace period passes both servers refuse the sign-in with
the same words while the account is deactivated once (the terms' §8.7)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.server.conftest import API, sign_in, sign_in_operator
from tests.support.accounts import PASSWORDS
from tests.support.clock import PINNED_NOW
from tests.support.http_server import ServerProcess, free_port
from tests.support.mail import Sink
from tests.support.portal import STORES, copy_db, drop_db

CONTROL = {"IBOK_TEST_CONTROL": "1"}  # the servers take the test's clock from a header


@pytest.fixture(params=STORES)
def two_servers(
    request: pytest.FixtureRequest, template_db: Path, tmp_path: Path
) -> Iterator[tuple[httpx.Client, httpx.Client, Sink]]:
    db = copy_db(str(request.param), template_db, tmp_path / "db")
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp = ["--smtp", f"smtp://127.0.0.1:{controller.port}"]
    try:
        with (
            ServerProcess(db, args=smtp, env=CONTROL) as one,
            ServerProcess(db, args=smtp, env=CONTROL) as two,
            httpx.Client(base_url=one.url + API, timeout=60) as first,
            httpx.Client(base_url=two.url + API, timeout=60) as second,
        ):
            yield first, second, sink
    finally:
        controller.stop()
        drop_db(db)


def _mail(sink: Sink, seconds: float = 15) -> list[Any]:
    """The messages the sink took (a server sends in the background)."""
    deadline = time.monotonic() + seconds
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    return sink.messages


def test_bedzin_8_6_recorded_through_one_server_seen_through_the_other(
    two_servers: tuple[httpx.Client, httpx.Client, Sink],
) -> None:
    first, second, sink = two_servers
    office = sign_in_operator(first)
    jan = sign_in(second, "100001")
    before = second.get("/me/dashboard", headers=jan)
    assert before.status_code == 200 and before.json()["customer"]["contract_end"] is None
    grace = first.put(
        "/operator/settings/contract-end-grace",
        json={"amount": 24, "unit": "hours"},
        headers=office,
    )
    assert grace.status_code == 200, grace.text

    recorded = first.post(
        "/operator/customers/100001/contract-end", json={"ended_on": "2026-11-20"}, headers=office
    )
    assert recorded.status_code == 200, recorded.text
    deadline = (PINNED_NOW + timedelta(hours=24)).isoformat()
    assert recorded.json()["deactivates_at"].replace("Z", "+00:00") == deadline

    after = second.get("/me/dashboard", headers={**jan, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200  # not 304: the stored answer became old at the write
    assert after.json()["customer"]["contract_end"] == recorded.json()

    mail = _mail(sink)
    assert len(mail) == 1 and mail[0].rcpt_tos == ["jan.kowalski@example.pl"]
    message = message_from_bytes(mail[0].content, policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "22.11.2026 o godz. 10:00" in text

    archive = second.get("/me/invoice-archive", headers=jan)
    assert archive.status_code == 200
    assert archive.headers["content-type"] == "application/zip"
    assert archive.content.startswith(b"PK")


def test_8_7_both_servers_refuse_and_deactivate_once(
    two_servers: tuple[httpx.Client, httpx.Client, Sink],
) -> None:
    first, second, _ = two_servers
    office = sign_in_operator(first)
    recorded = first.post(
        "/operator/customers/100001/contract-end", json={"ended_on": "2026-11-20"}, headers=office
    )
    assert recorded.status_code == 200, recorded.text
    later = {"X-Ibok-Test-Clock": (PINNED_NOW + timedelta(hours=25)).isoformat()}
    body = {"customer_number": "100001", "password": PASSWORDS["100001"]}

    def attempt(client: httpx.Client) -> httpx.Response:
        return client.post("/auth/login", json=body, headers=later)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(attempt, [first, second, first, second]))
    for answer in answers:
        assert answer.status_code == 403, answer.text
        problem = answer.json()
        assert problem["code"] == "account_deactivated"
        assert problem["params"] == {"date": "2026-11-22"}
        assert "wyłączone 22.11.2026" in problem["detail"]
    clerk = sign_in_operator(second)
    audit = second.get("/operator/audit", params={"customer_number": "100001"}, headers=clerk)
    actions = [entry["action"] for entry in audit.json()]
    assert actions.count("deactivate") == 1
    assert actions.count("record_contract_end") == 1


def test_hostile_input_at_the_door(two_servers: tuple[httpx.Client, httpx.Client, Sink]) -> None:
    first, _, _ = two_servers
    office = sign_in_operator(first)
    for wrong in (
        {"ended_on": "20.11.2026"},
        {"ended_on": "2026-11-20\u202e"},
        {"ended_on": 10**20},
        {},
    ):
        answer = first.post("/operator/customers/100001/contract-end", json=wrong, headers=office)
        assert answer.status_code == 422, answer.text
    for wrong_grace in (
        {"amount": "24\u0000", "unit": "hours"},
        {"amount": 24, "unit": "weeks"},
        {"amount": 10**30, "unit": "days"},
        {"amount": 0, "unit": "hours"},
    ):
        answer = first.put(
            "/operator/settings/contract-end-grace", json=wrong_grace, headers=office
        )
        assert answer.status_code == 422, answer.text
    hostile_number = "100001\u202e"
    answer = first.post(
        f"/operator/customers/{quote(hostile_number, safe='')}/contract-end",
        json={"ended_on": "2026-11-20"},
        headers=office,
    )
    assert answer.status_code == 422, answer.text
