"""Customer A's token never reaches customer B's data, whatever the endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from ibok_tui.server.app import create_app
from ibok_tui.server.state import ServerConfig
from tests.server.conftest import assert_problem, sign_in, sign_in_operator
from tests.support import scans

A, B = "100001", "200001"  # Jan Kowalski; Piekarnia Złoty Kłos


def seg(value: str) -> str:
    return quote(value, safe="")


def b_ids(http: httpx.Client, b: dict[str, str]) -> dict[str, Any]:
    """Identifiers of B's things, read with B's own token."""
    invoice = http.get("/me/invoices", headers=b).json()[0]["number"]
    meter = http.get("/me/meters", headers=b).json()[0]["id"]
    reading = http.get(f"/me/meters/{seg(meter)}/readings", headers=b).json()[-1]["id"]
    request = http.get("/me/requests", headers=b).json()[0]["id"]
    contract = http.get("/me/contracts", headers=b).json()[0]["number"]
    document = http.get("/me/documents", headers=b).json()[0]["id"]
    unpaid = [i for i in http.get("/me/invoices", headers=b).json() if i["gross"] > i["paid"]]
    sent = http.post(
        f"/me/contracts/{seg(contract)}/scans",
        params={"filename": "b.png"},
        content=scans.png(),
        headers=b,
    )
    assert sent.status_code == 201, sent.text
    scan = sent.json()["id"]
    return {
        "invoice": invoice,
        "unpaid": unpaid[0]["number"],
        "meter": meter,
        "reading": reading,
        "request": request,
        "contract": contract,
        "document": document,
        "scan": scan,
    }


def attempts(ids: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every customer endpoint that names a thing, aimed at B's thing."""
    submission = {"meter_id": ids["meter"], "value": "99999"}
    draft = {"category": "other", "subject": "x", "body": "y", "meter_id": ids["meter"]}
    return [
        ("GET", f"/me/invoices/{seg(ids['invoice'])}", {}),
        ("GET", f"/me/invoices/{seg(ids['invoice'])}/pdf", {}),
        ("GET", "/me/payment-details", {"params": {"invoice": ids["unpaid"]}}),
        ("GET", f"/me/meters/{seg(ids['meter'])}", {}),
        ("GET", f"/me/meters/{seg(ids['meter'])}/readings", {}),
        ("GET", f"/me/meters/{seg(ids['meter'])}/series", {"params": {"resolution": "month"}}),
        ("POST", "/me/readings", {"json": submission}),
        ("PUT", f"/me/readings/{seg(ids['reading'])}", {"json": submission}),
        ("POST", f"/me/readings/{seg(ids['reading'])}/withdraw", {}),
        ("GET", f"/me/requests/{seg(ids['request'])}", {}),
        ("POST", "/me/requests", {"json": draft}),
        ("GET", f"/me/contracts/{seg(ids['contract'])}", {}),
        ("GET", f"/me/contracts/{seg(ids['contract'])}/document", {}),
        (
            "POST",
            f"/me/contracts/{seg(ids['contract'])}/scans",
            {"params": {"filename": "skan.pdf"}, "content": scans.pdf()},
        ),
        ("GET", f"/me/documents/{seg(ids['document'])}", {}),
        ("GET", f"/me/documents/{seg(ids['document'])}/content", {}),
        ("DELETE", f"/me/scans/{seg(ids['scan'])}", {}),
    ]


def test_a_token_never_gets_b_data(http: httpx.Client) -> None:
    a, b = sign_in(http, A), sign_in(http, B)
    ids = b_ids(http, b)
    b_name = http.get("/me/profile", headers=b).json()["customer"]["name"]
    a_requests = len(http.get("/me/requests", headers=a).json())
    for method, path, options in attempts(ids):
        answer = http.request(method, path, headers=a, **options)
        assert answer.status_code in (403, 404, 422), (method, path, answer.status_code)
        assert answer.headers["content-type"].startswith("application/problem+json"), path
        assert B not in answer.text and b_name not in answer.text, (path, answer.text)
        assert not answer.content.startswith(b"%PDF"), path
    # the request for a reading of B's meter was refused as a whole: nothing was stored
    readings = http.get(f"/me/meters/{seg(ids['meter'])}/readings", headers=b).json()
    assert all(r["index"] != 99_999_000 for r in readings)
    assert len(http.get("/me/requests", headers=a).json()) == a_requests
    scans = http.get(f"/me/contracts/{seg(ids['contract'])}", headers=b).json()["scans"]
    assert [s["id"] for s in scans] == [ids["scan"]]  # not added, and not withdrawn
    # and B still sees all of it
    for method, path, options in attempts(ids)[:6]:
        assert http.request(method, path, headers=b, **options).status_code == 200, path


def test_every_customer_endpoint_with_an_identifier_is_tried(tmp_path: Any) -> None:
    app = create_app(ServerConfig(db=tmp_path / "x.sqlite"))
    document = app.openapi()
    named = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in document["paths"].items()
        for method in operations
        if path.startswith("/api/v1/me/") and "{" in path
    }
    ids = {k: "ID" for k in ("invoice", "unpaid", "meter", "reading", "request")}
    ids.update(contract="ID", document="ID", scan="ID")
    tried = set()
    for method, path, _ in attempts(ids):
        template = path
        for name, placeholder in (
            ("invoices/ID", "invoices/{number}"),
            ("meters/ID", "meters/{meter_id}"),
            ("readings/ID", "readings/{reading_id}"),
            ("requests/ID", "requests/{request_id}"),
            ("contracts/ID", "contracts/{number}"),
            ("documents/ID", "documents/{doc_id}"),
            ("scans/ID", "scans/{doc_id}"),
        ):
            template = template.replace(name, placeholder)
        tried.add((method, template))
    assert named <= tried, named - tried


def test_customer_and_operator_tokens_stay_on_their_side(http: httpx.Client) -> None:
    customer, staff = sign_in(http, A), sign_in_operator(http)
    for path in ("/operator/customers?q=Kowal", "/operator/registrations", "/operator/audit"):
        assert_problem(http.get(path, headers=customer), 403, "forbidden")
    assert_problem(
        http.post("/operator/customers/200001/act-for", headers=customer), 403, "forbidden"
    )
    for path in ("/me/dashboard", "/me/invoices", "/me/meters"):
        assert_problem(http.get(path, headers=staff), 403, "forbidden")
    assert http.get("/operator/customers?q=Kowal", headers=staff).status_code == 200


def test_no_token_no_data(http: httpx.Client) -> None:
    answer = http.get("/me/dashboard")
    assert_problem(answer, 401, "authentication_required")
    assert answer.headers["www-authenticate"] == "Bearer"
    assert_problem(
        http.get("/me/dashboard", headers={"Authorization": "Bearer made-up"}),
        401,
        "authentication_required",
    )


def test_a_customer_neither_sees_nor_changes_b_histories_or_scan_status(
    http: httpx.Client,
) -> None:
    """B's readings carry their history and B's scans their workflow: A's token reaches
    neither, and no customer token moves a scan on (the office's route)."""
    a, b = sign_in(http, A), sign_in(http, B)
    ids = b_ids(http, b)
    readings = f"/me/meters/{seg(ids['meter'])}/readings"
    own = http.get(readings, headers=b).json()
    assert own[-1]["history"] and own[-1]["history"][0]["kind"] in ("submitted", "recorded")
    assert_problem(http.get(readings, headers=a), 404)
    scan = next(d for d in http.get("/me/documents", headers=b).json() if d["id"] == ids["scan"])
    assert [s["status"] for s in scan["history"]] == ["submitted"]
    move = f"/operator/scans/{seg(ids['scan'])}/status"
    for headers in (a, b):
        refused = http.post(move, json={"status": "rejected", "reason": "x"}, headers=headers)
        assert_problem(refused, 403)
    assert_problem(http.get(f"/me/documents/{seg(ids['scan'])}", headers=a), 404)
    # the clerk's rejection, with a hostile reason refused at the door (422 naming it)
    staff = sign_in_operator(http)
    hostile = {"status": "rejected", "reason": "\x1b]0;PWNED\x07"}
    problem = assert_problem(http.post(move, json=hostile, headers=staff), 422)
    assert "reason" in str(problem)
    huge = http.post(move, json={"status": "rejected", "reason": "x" * 100_000}, headers=staff)
    assert "reason" in str(assert_problem(huge, 422))
    done = http.post(move, json={"status": "rejected", "reason": "Brak podpisu"}, headers=staff)
    assert done.status_code == 200, done.text
    assert [s["reason"] for s in done.json()["history"]] == ["", "Brak podpisu"]
    scan = http.get(f"/me/documents/{seg(ids['scan'])}", headers=b).json()
    assert scan["scan_status"] == "rejected" and scan["history"] == done.json()["history"]
