"""The proof of work: a nonce proves its difficulty and nothing else passes; a client
refuses a challenge no one should try, whatever a server sends."""

from __future__ import annotations

import hashlib

import pytest

from ibok_tui.backends.http_wire import captcha_of, error_from_problem, retry_after_of
from ibok_tui.domain.errors import AccountLocked, Captcha
from ibok_tui.domain.proof_of_work import MAX_DIFFICULTY, UnsolvableChallenge, satisfies, solve


def _zero_bits(challenge: str, nonce: str) -> int:
    value = int.from_bytes(hashlib.sha256((challenge + nonce).encode()).digest(), "big")
    return 256 - value.bit_length()


def test_a_solved_nonce_has_the_leading_zero_bits() -> None:
    for difficulty in (0, 1, 8, 12):
        nonce = solve("ibok-pow:abc:", difficulty)
        assert nonce.isdigit()
        assert _zero_bits("ibok-pow:abc:", nonce) >= difficulty
        assert satisfies("ibok-pow:abc:", nonce, difficulty)


def test_only_a_real_proof_passes() -> None:
    nonce = solve("ibok-pow:abc:", 12)
    for forged in ("", " " + nonce, nonce + "x", "-1", "١٢٣", "9" * 33):
        assert not satisfies("ibok-pow:abc:", forged, 1)
    # a nonce that proves less than asked does not pass
    weak = next(str(n) for n in range(10_000) if _zero_bits("c", str(n)) == 3)
    assert satisfies("c", weak, 3) and not satisfies("c", weak, 4)


def test_a_client_refuses_endless_work() -> None:
    with pytest.raises(UnsolvableChallenge):
        solve("c", MAX_DIFFICULTY + 1)
    with pytest.raises(UnsolvableChallenge):
        solve("c" * 1000, 8)
    with pytest.raises(UnsolvableChallenge):  # given up through the progress callback
        solve("c", 24, keep_going=lambda tried: False, check_every=100)


def test_a_hostile_servers_captcha_is_not_taken() -> None:
    good = {"id": "abc", "challenge": "ibok-pow:abc:", "difficulty": 16}
    assert captcha_of(good) == Captcha("abc", "ibok-pow:abc:", 16)
    for bad in (
        {**good, "difficulty": 256},
        {**good, "difficulty": -1},
        {**good, "difficulty": True},
        {**good, "difficulty": "16"},
        {**good, "challenge": "x" * 10_000},
        {**good, "id": ""},
        {"id": "abc", "art": "███"},
        "captcha",
        None,
    ):
        assert captcha_of(bad) is None, bad


def test_retry_after_is_read_as_seconds_only() -> None:
    assert retry_after_of("900") == 900 and retry_after_of(60) == 60
    for bad in ("Wed, 21 Oct 2026 07:28:00 GMT", "-5", "9" * 40, True, None, "１２"):
        assert retry_after_of(bad) is None, bad
    problem = {
        "type": "urn:ibok:problem:account_locked",
        "code": "account_locked",
        "detail": "Zbyt wiele nieudanych prób. Spróbuj ponownie za 900 s.",
        "retry_after": 900,
        "locked_until": "not a date",
    }
    locked = error_from_problem(problem, 423)
    assert isinstance(locked, AccountLocked)
    assert locked.retry_after == 900 and locked.locked_until is None
