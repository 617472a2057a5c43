"""The server refuses hostile text at the door: every string of every request (JSON body,
query, path, Idempotency-Key) is checked in one place, and a refusal is a 422 that names
the field. Nothing a client sends makes the server answer 5xx."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.server.conftest import assert_problem, sign_in, sign_in_operator


def _field_error(answer: httpx.Response, field: str, code: str) -> dict[str, object]:
    problem = assert_problem(answer, 422, "validation_failed")
    found = [e for e in problem["errors"] if e["field"] == field]
    assert found, problem
    assert found[0]["code"] == code, problem
    return found[0]  # type: ignore[no-any-return]


def _raw_json(text: str) -> dict[str, object]:
    """Keyword arguments that send `text` as the JSON body byte for byte (json= would
    refuse to encode a lone surrogate)."""
    return {"content": text.encode(), "headers": {"Content-Type": "application/json"}}


def _meter(http: httpx.Client, headers: dict[str, str]) -> str:
    return str(http.get("/me/meters", headers=headers).json()[0]["id"])


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/auth/login", '{"customer_number": "\\ud800", "password": "x"}', "customer_number"),
        ("/auth/login", '{"customer_number": "1", "password": "a\\udfffb"}', "password"),
        ("/auth/password-reset", '{"customer_number": "1", "email": "\\udc80@x.pl"}', "email"),
    ],
)
def test_a_lone_surrogate_is_refused_by_field(
    http: httpx.Client, path: str, body: str, field: str
) -> None:
    answer = http.post(path, **_raw_json(body))  # type: ignore[arg-type]
    error = _field_error(answer, field, "unsafe_character")
    assert str(error["params"]["character"]).startswith("U+D")  # type: ignore[index]


def test_a_surrogate_in_a_nested_field_is_named_by_its_path(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    body = (
        '{"address": {"street": "ul. \\ud83d", "building": "1", "apartment": "",'
        ' "postal_code": "05-500", "city": "Zalesie"}}'
    )
    answer = http.patch(
        "/me/contact", **_raw_json(body) | {"headers": {**jan, "Content-Type": "application/json"}}
    )  # type: ignore[arg-type]
    _field_error(answer, "address.street", "unsafe_character")


@pytest.mark.parametrize("character", ["\x1b", "\x00", "\r", "\n", "\u202e", "\x9b", "\t"])
def test_control_characters_are_refused_in_one_line_fields(
    http: httpx.Client, character: str
) -> None:
    jan = sign_in(http, "100001")
    answer = http.post(
        "/me/requests",
        json={"category": "other", "subject": f"Awaria{character}[2J", "body": "ok"},
        headers=jan,
    )
    error = _field_error(answer, "subject", "unsafe_character")
    assert error["params"] == {"character": f"U+{ord(character):04X}"}


def test_newline_and_tab_are_allowed_in_a_body_but_escape_is_not(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    fine = http.post(
        "/me/requests",
        json={"category": "other", "subject": "Dwie linie", "body": "Pierwsza\n\tdruga"},
        headers=jan,
    )
    assert fine.status_code == 201, fine.text
    assert fine.json()["body"] == "Pierwsza\n\tdruga"
    hostile = http.post(
        "/me/requests",
        json={"category": "other", "subject": "x", "body": "a\x1b]52;c;ZXZpbA==\x07"},
        headers=jan,
    )
    _field_error(hostile, "body", "unsafe_character")
    staff = sign_in_operator(http)
    reply = http.post(
        f"/operator/requests/{quote(fine.json()['id'], safe='')}/reply",
        json={"text": "Linia\nnastępna\x1b[2J", "status": "in_progress"},
        headers=staff,
    )
    _field_error(reply, "text", "unsafe_character")


def test_lengths_are_bounded_with_a_default_and_per_field(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    long_subject = http.post(
        "/me/requests",
        json={"category": "other", "subject": "x" * 1001, "body": "ok"},
        headers=jan,
    )
    error = _field_error(long_subject, "subject", "too_long")
    assert error["params"]["max"].isdigit()  # type: ignore[index]
    # a body may be long, though not without end
    long_body = {"category": "other", "subject": "Długi opis", "body": "y" * 5000}
    assert http.post("/me/requests", json=long_body, headers=jan).status_code == 201
    endless = {**long_body, "body": "y" * 20_001}
    _field_error(http.post("/me/requests", json=endless, headers=jan), "body", "too_long")


def test_query_path_and_header_strings_are_checked_too(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    query = http.get("/me/invoices", params={"number": "FV\x1b[2J"}, headers=jan)
    _field_error(query, "number", "unsafe_character")
    unnamed = http.get("/me/invoices?=FV%1B", headers=jan)  # a parameter without a name
    _field_error(unnamed, "query", "unsafe_character")
    path = http.get("/me/meters/M%1B%5B2J/readings", headers=jan)
    _field_error(path, "meter_id", "unsafe_character")
    key = http.post(
        "/me/requests",
        json={"category": "other", "subject": "x", "body": "y"},
        headers={**jan, "Idempotency-Key": "k\x7f"},
    )
    _field_error(key, "Idempotency-Key", "unsafe_character")
    staff = sign_in_operator(http)
    search = http.get("/operator/customers", params={"q": "Kow\x00alski"}, headers=staff)
    _field_error(search, "q", "unsafe_character")


def test_a_huge_json_number_or_a_deep_nesting_is_a_422(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    huge = '{"category": "other", "subject": "x", "body": "y", "meter_id": ' + "9" * 5000 + "}"
    answer = http.post(
        "/me/requests", **_raw_json(huge) | {"headers": {**jan, "Content-Type": "application/json"}}
    )  # type: ignore[arg-type]
    _field_error(answer, "meter_id", "too_large")
    deep = "[" * 50_000 + "]" * 50_000
    answer = http.post(
        "/me/requests", **_raw_json(deep) | {"headers": {**jan, "Content-Type": "application/json"}}
    )  # type: ignore[arg-type]
    _field_error(answer, "body", "too_deep")


def test_a_5000_digit_reading_value_is_a_422(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    body = {"meter_id": _meter(http, jan), "value": "1" * 5000}
    answer = http.post("/me/readings", json=body, headers=jan)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["value"]


def test_a_reading_dated_9999_12_31_is_a_422(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    body = {"meter_id": _meter(http, jan), "value": "1013", "read_on": "9999-12-31"}
    _field_error(http.post("/me/readings", json=body, headers=jan), "read_on", "out_of_range")


def test_a_series_to_9999_12_31_is_a_422(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    meter = quote(_meter(http, jan), safe="")
    for field in ("date_to", "date_from"):
        answer = http.get(
            f"/me/meters/{meter}/series",
            params={"resolution": "month", field: "9999-12-31"},
            headers=jan,
        )
        _field_error(answer, field, "out_of_range")


def test_an_e_mail_with_a_line_break_is_refused_and_the_reset_answers(
    http: httpx.Client,
) -> None:
    jan = sign_in(http, "100001")
    hostile = "jan.kowalski@example.pl\r\nBcc: victim@example.pl"
    answer = http.patch("/me/contact", json={"email": hostile}, headers=jan)
    _field_error(answer, "email", "unsafe_character")
    reset = http.post("/auth/password-reset", json={"customer_number": "100001", "email": hostile})
    _field_error(reset, "email", "unsafe_character")
    fine = http.post(
        "/auth/password-reset",
        json={"customer_number": "100001", "email": "jan.kowalski@example.pl"},
    )
    assert fine.status_code == 202
