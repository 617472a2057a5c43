"""An idempotent replay checks the token first: a session that has ended (logged out,
blocked) gets the same 401 as without the replay, never the stored 2xx."""

from __future__ import annotations

import httpx

from tests.server.conftest import assert_problem, sign_in, sign_in_operator


def test_a_logged_out_operator_cannot_replay_act_for(http: httpx.Client) -> None:
    staff = sign_in_operator(http)
    headers = {**staff, "Idempotency-Key": "act-for-1"}
    first = http.post("/operator/customers/100001/act-for", headers=headers)
    assert first.status_code == 201, first.text
    acting = {"Authorization": f"Bearer {first.json()['token']}"}
    assert http.get("/me/profile", headers=acting).status_code == 200
    # while the session lives, the retry gets the first answer
    again = http.post("/operator/customers/100001/act-for", headers=headers)
    assert again.status_code == 201 and again.json() == first.json()

    assert http.post("/auth/logout", headers=staff).status_code == 204
    replay = http.post("/operator/customers/100001/act-for", headers=headers)
    problem = assert_problem(replay, 401)
    assert "token" not in problem
    assert replay.headers["www-authenticate"] == "Bearer"
    # the answer equals the one without a key, and the session it once opened is over
    plain = http.post("/operator/customers/100001/act-for", headers=staff)
    assert plain.status_code == 401 and plain.json() == replay.json()
    assert_problem(http.get("/me/profile", headers=acting), 401)


def test_a_blocked_customer_cannot_replay_a_created_request(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    headers = {**jan, "Idempotency-Key": "request-1"}
    draft = {"category": "other", "subject": "Pytanie", "body": "Czy można?"}
    first = http.post("/me/requests", json=draft, headers=headers)
    assert first.status_code == 201, first.text
    staff = sign_in_operator(http)
    blocked = http.post(
        "/operator/customers/100001/block", json={"reason": "przejęte konto"}, headers=staff
    )
    assert blocked.status_code == 204, blocked.text
    replay = http.post("/me/requests", json=draft, headers=headers)
    assert_problem(replay, 401)
    assert http.post(
        "/operator/customers/100001/unblock", json={"reason": "wyjaśnione"}, headers=staff
    ).is_success


def test_a_live_session_still_gets_its_replay(http: httpx.Client) -> None:
    jan = sign_in(http, "100001")
    headers = {**jan, "Idempotency-Key": "request-live"}
    draft = {"category": "other", "subject": "Drugie pytanie", "body": "Treść."}
    first = http.post("/me/requests", json=draft, headers=headers)
    second = http.post("/me/requests", json=draft, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
