"""New terms through `ibok serve` with real SMTP (Krapkowice §10.3: changes are told by
e-mail to customers who agreed to notices), and the server holding a customer's calls back
until the version in force is accepted (Będzin §1.5), whatever client calls."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy
from pathlib import Path

import httpx

from tests.server.conftest import API
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.http_server import ServerProcess
from tests.support.mail import smtp_sink

DRAFT = {
    "version": "2027.1",
    "effective_from": "2026-11-21",  # the pinned server's today: in force at once
    "text": "Regulamin iBOK 2027.1\n\n§1. Nowe zasady.",
    "changes": "Odczyty podaje się do 25. dnia miesiąca.",
}


def _token(client: httpx.Client, path: str, body: dict[str, str]) -> dict[str, str]:
    answer = client.post(f"{API}{path}", json=body)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_publishing_mails_the_consenting_and_holds_every_customer_back(
    template_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with smtp_sink() as (sink, smtp), ServerProcess(db, args=["--smtp", smtp]) as server:
        client = httpx.Client(base_url=server.url)
        office = _token(
            client,
            "/auth/operator-login",
            {"login": "bok.anna", "password": OPERATORS["bok.anna"]},
        )
        jan = _token(
            client,
            "/auth/login",
            {"customer_number": "100001", "password": PASSWORDS["100001"]},
        )
        assert client.get(f"{API}/me/dashboard", headers=jan).status_code == 200
        published = client.post(f"{API}/operator/terms", json=DRAFT, headers=office)
        assert published.status_code == 201, published.text
        assert published.json()["notified"] == 1
        # the session opened before: held back at once, with the version named
        held = client.get(f"{API}/me/dashboard", headers=jan)
        assert held.status_code == 403
        assert held.json()["code"] == "terms_acceptance_required"
        assert held.json()["params"] == {"version": "2027.1"}
        assert "2027.1" in held.json()["detail"]
        status = client.get(f"{API}/me/terms", headers=jan).json()
        assert status["must_accept"] and status["in_force"]["changes"] == DRAFT["changes"]
        accepted = client.post(f"{API}/me/terms/accept", json={"version": "2027.1"}, headers=jan)
        assert accepted.status_code == 200 and not accepted.json()["must_accept"]
        assert client.get(f"{API}/me/dashboard", headers=jan).status_code == 200
        client.close()
    mails = [
        (m.rcpt_tos, message_from_bytes(m.content, policy=policy.default)) for m in sink.messages
    ]
    [(to, message)] = [(to, m) for to, m in mails if "regulamin" in str(m["Subject"])]
    assert to == ["jan.kowalski@example.pl"]  # the one customer who consented
    assert str(message["Subject"]) == "iBOK: nowy regulamin od 21.11.2026"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "2027.1" in text and DRAFT["changes"] in text
