"""HTTP behaviour of the API: ETags, idempotent retries, problem+json, limits, files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx

from tests.server.conftest import assert_problem, sign_in, sign_in_operator
from tests.support import scans


def test_health(http: httpx.Client) -> None:
    answer = http.get("/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "time": "2026-11-21T09:00:00+00:00"}


def test_etag_and_not_modified(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    first = http.get("/me/invoices", headers=jan)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = http.get("/me/invoices", headers={**jan, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    # a changed resource gets a new tag and a full answer
    update = {"phone": "+48 600 100 200"}
    assert http.patch("/me/contact", json=update, headers=jan).status_code == 200
    before = http.get("/me/profile", headers=jan)
    assert http.patch("/me/contact", json={"phone": "+48 600 100 201"}, headers=jan).is_success
    after = http.get("/me/profile", headers={**jan, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    # public GETs too
    terms = http.get("/terms")
    assert http.get("/terms", headers={"If-None-Match": terms.headers["etag"]}).status_code == 304


def test_idempotency_key_replays_a_created_reading(http: httpx.Client) -> None:
    anna = sign_in(http, "100002")
    meter = next(m for m in http.get("/me/meters", headers=anna).json() if m["role"] == "sub")
    headers = {**anna, "Idempotency-Key": "retry-1"}
    readings = f"/me/meters/{quote(meter['id'], safe='')}/readings"
    last = http.get(readings, headers=anna).json()[-1]["index"]
    body = {"meter_id": meter["id"], "value": str(last // 1000 + 3)}
    first = http.post("/me/readings", json=body, headers=headers)
    assert first.status_code == 201, first.text
    second = http.post("/me/readings", json=body, headers=headers)
    assert second.status_code == 201 and second.json() == first.json()
    stored = [r for r in http.get(readings, headers=anna).json() if r["id"] == first.json()["id"]]
    assert len(stored) == 1
    # the same key with another body is refused, not replayed
    other = http.post("/me/readings", json={**body, "value": "1"}, headers=headers)
    problem = assert_problem(other, 422, "idempotency_key_reused")
    assert problem["errors"][0]["field"] == "Idempotency-Key"


def test_idempotency_key_replays_what_the_service_has_no_key_for(http: httpx.Client) -> None:
    staff = {**sign_in_operator(http), "Idempotency-Key": "notice-1"}
    draft = {
        "kind": "info",
        "title": "Nowy numer BOK",
        "body": "Od grudnia.",
        "valid_from": "2026-11-21",
    }
    first = http.post("/operator/notices", json=draft, headers=staff)
    second = http.post("/operator/notices", json=draft, headers=staff)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    titles = [n["title"] for n in http.get("/notices").json()]
    assert titles.count("Nowy numer BOK") == 1
    # without a key each POST creates
    plain = {k: v for k, v in staff.items() if k != "Idempotency-Key"}
    assert (
        http.post("/operator/notices", json=draft, headers=plain).json()["id"] != first.json()["id"]
    )


def test_problem_json_shapes(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    assert_problem(http.get("/me/invoices/FV%2F000000%2F000", headers=jan), 404, "not_found")
    assert_problem(http.get("/no/such/route"), 404, "not_found")
    meter = http.get("/me/meters", headers=jan).json()[0]["id"]
    invalid = assert_problem(
        http.post("/me/readings", json={"meter_id": meter, "value": "abc"}, headers=jan),
        422,
        "validation_failed",
    )
    assert [e["field"] for e in invalid["errors"]] == ["value"]
    assert invalid["type"] == "urn:ibok:problem:validation_failed"
    malformed = assert_problem(http.post("/me/readings", json={"value": 1}, headers=jan), 422)
    assert {e["field"] for e in malformed["errors"]} >= {"meter_id"}
    bad_query = assert_problem(
        http.get("/me/settlements", params={"which": "some"}, headers=jan), 422
    )
    assert bad_query["errors"][0]["field"] == "which"


def test_a_problem_is_a_code_with_params_worded_in_the_language_asked(
    http: httpx.Client,
) -> None:
    jan = sign_in(http, "100001")
    path = "/me/invoices/FV%2F000000%2F000"
    missing = assert_problem(http.get(path, headers=jan), 404, "invoice_not_found")
    assert (missing["type"], missing["params"]) == ("urn:ibok:problem:not_found", {})
    assert missing["detail"] == "Nie znaleziono faktury."  # Polish by default
    english = http.get(path, headers={**jan, "Accept-Language": "en-GB,en;q=0.8"})
    english_problem = assert_problem(english, 404)
    assert (english_problem["title"], english_problem["detail"]) == (
        "Not found",
        "Invoice not found.",
    )
    meter = http.get("/me/meters", headers=jan).json()[0]["id"]
    for language, words in (("pl", "Podany stan (0,001 m³)"), ("en", "The index given (0.001 m³)")):
        lower = http.post(
            "/me/readings",
            json={"meter_id": meter, "value": "0,001"},
            headers={**jan, "Accept-Language": language},
        )
        [error] = assert_problem(lower, 422, "needs_confirmation")["errors"]
        assert (error["code"], error["params"]["index"]) == ("lower_than_previous", "0.001")
        assert error["message"].startswith(words), error["message"]


def test_needs_confirmation_names_its_fields(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    meter = http.get("/me/meters", headers=jan).json()[0]["id"]
    lower = http.post("/me/readings", json={"meter_id": meter, "value": "1"}, headers=jan)
    problem = assert_problem(lower, 422, "needs_confirmation")
    assert problem["type"] == "urn:ibok:problem:needs_confirmation"
    assert problem["errors"] and all(e["field"] for e in problem["errors"])


def test_body_size_limit(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    big = {"category": "other", "subject": "x", "body": "y" * (2 * 1024 * 1024)}
    problem = assert_problem(http.post("/me/requests", json=big, headers=jan), 413, "too_large")
    assert problem["errors"][0]["field"] == "body"
    # an upload may be larger (up to the portal's 10 MB for scans)
    scan = scans.png() + b"\0" * (3 * 1024 * 1024)  # a PNG ends at its IEND chunk
    answer = http.post(
        f"/me/contracts/{quote('UM/2023/100001-1', safe='')}/scans",
        params={"filename": "umowa.pdf"},
        content=scan,
        headers={**jan, "Content-Type": "application/octet-stream"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["size"] == len(scan)


def test_pdfs_and_payment_details(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    invoices = http.get("/me/invoices", headers=jan).json()
    unpaid = next(i for i in invoices if i["gross"] > i["paid"])
    pdf = http.get(f"/me/invoices/{quote(unpaid['number'], safe='')}/pdf", headers=jan)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"DejaVu" in pdf.content  # the embedded font
    contract = http.get("/me/contracts", headers=jan).json()[0]["number"]
    document = http.get(f"/me/contracts/{quote(contract, safe='')}/document", headers=jan)
    assert document.headers["content-type"] == "application/pdf"
    assert document.content.startswith(b"%PDF")
    details = http.get(
        "/me/payment-details", params={"invoice": unpaid["number"]}, headers=jan
    ).json()
    due = unpaid["gross"] - unpaid["paid"]
    assert details["amount"] == due
    fields = details["qr_payload"].split("|")
    assert fields[1] == "PL" and fields[2] == details["account"] and fields[3] == f"{due:06d}"
    assert len(details["account"]) == 26


def test_money_and_decimals_keep_their_types(http: httpx.Client) -> None:
    tariff = http.get("/tariffs").json()[0]
    assert isinstance(tariff["water_per_m3"], int)
    assert isinstance(tariff["vat_rate"], str) and tariff["vat_rate"] == "0.08"


def test_test_controls_are_off_in_a_normal_server(http: httpx.Client, tmp_path: Path) -> None:
    swap = {"db": str(tmp_path / "other.sqlite"), "outbox": str(tmp_path / "outbox")}
    assert_problem(http.post("/_test/swap", json=swap), 404, "not_found")
    assert not (tmp_path / "other.sqlite").exists()
    moved = http.get("/health", headers={"X-Ibok-Test-Clock": "2030-01-01T00:00:00+00:00"})
    assert moved.json()["time"] == "2026-11-21T09:00:00+00:00"
    assert "/api/v1/_test/swap" not in http.get("/openapi.json").json()["paths"]


def test_the_door_answers_in_the_language_asked(http: httpx.Client) -> None:
    """The refusals made before any route (body size, Idempotency-Key, the input check,
    an unknown path or method) are worded in the request's language like the service's."""
    jan = sign_in(http, "100001")
    request = {"category": "other", "subject": "Pytanie", "body": "Treść"}
    first = http.post("/me/requests", json=request, headers={**jan, "Idempotency-Key": "k1"})
    assert first.status_code == 201
    refusals = {
        "too_large": lambda h: http.post(
            "/me/requests",
            json={"category": "other", "subject": "x", "body": "y" * 2**21},
            headers=h,
        ),
        "invalid_idempotency_key": lambda h: http.post(
            "/me/requests", json=request, headers={**h, "Idempotency-Key": "k" * 201}
        ),
        "idempotency_key_reused": lambda h: http.post(
            "/me/requests", json={**request, "body": "Inna"}, headers={**h, "Idempotency-Key": "k1"}
        ),
        "unsafe_character": lambda h: http.post(
            "/me/requests",
            json={"category": "other", "subject": "a\x1b]0;x\x07", "body": "b"},
            headers=h,
        ),
        "not_found": lambda h: http.get("/no/such/path", headers=h),
        "method_not_allowed": lambda h: http.delete("/me/invoices", headers=h),
    }
    for code, send in refusals.items():
        words = {}
        for language in ("pl", "en"):
            problem = send({**jan, "Accept-Language": language}).json()
            assert code in (problem["code"], *(e["code"] for e in problem.get("errors", []))), (
                problem
            )
            words[language] = (problem["title"], problem["detail"])
        polish, english = words["pl"], words["en"]
        assert polish[0] != english[0] and polish[1] != english[1], (code, words)
        assert not set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ") & set("".join(english)), (code, english)
