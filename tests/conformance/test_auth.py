"""Signing in: wrong passwords, captcha, lockout, account states, sessions."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

import pytest

from ibok_tui.backends.base import (
    AccountLocked,
    AuthenticationRequired,
    Backend,
    CaptchaRequired,
    Forbidden,
    LoginFailed,
    PasswordChangeRequired,
    ValidationFailed,
)
from ibok_tui.domain.models import Role
from tests.conformance.conftest import Portal
from tests.support.accounts import NEW_PASSWORD, PASSWORDS
from tests.support.captcha import solve_captcha
from tests.support.clock import FakeClock


async def test_customer_signs_in(backend: Backend, clock: FakeClock) -> None:
    session = await backend.login(" 100001 ", PASSWORDS["100001"])
    assert session.role is Role.CUSTOMER
    assert session.subject == "100001"
    assert session.name == "Jan Kowalski"
    assert session.token
    assert session.expires_at == clock.now + timedelta(hours=8)
    assert session.acting_operator is None
    assert not session.must_change_password
    assert backend.session == session
    assert (await backend.profile()).customer.number == "100001"


async def test_operator_signs_in(backend: Backend) -> None:
    session = await backend.operator_login("bok.anna", "Operator!2026a")
    assert session.role is Role.OPERATOR
    assert session.subject == "bok.anna"
    assert session.name == "Anna Kowalczyk"


async def test_operator_wrong_password_and_captcha(backend: Backend) -> None:
    with pytest.raises(LoginFailed) as wrong:
        await backend.operator_login("bok.anna", "Operator!2026b")
    assert type(wrong.value) is LoginFailed
    with pytest.raises(LoginFailed) as unknown:
        await backend.operator_login("bok.nikt", "Operator!2026b")
    assert type(unknown.value) is LoginFailed
    assert unknown.value.message == wrong.value.message
    await _refusal(backend.operator_login("bok.anna", "Operator!2026c"))
    third = await _refusal(backend.operator_login("bok.anna", "Operator!2026d"))
    # the password was checked: a plain failure that brings the next try's challenge
    assert type(third) is LoginFailed and third.captcha is not None
    assert backend.session is None
    session = await backend.operator_login(
        "bok.anna",
        "Operator!2026a",
        captcha_id=third.captcha.id,
        captcha_answer=solve_captcha(third.captcha),
    )
    assert session.role is Role.OPERATOR


async def _refusal(call: Awaitable[object]) -> LoginFailed:
    with pytest.raises(LoginFailed) as refused:
        await call
    return refused.value


async def test_wrong_password_and_unknown_number_read_the_same(backend: Backend) -> None:
    wrong = await _refusal(backend.login("100001", "Woda!Kowalski2"))
    unknown = await _refusal(backend.login("999999", "Woda!Kowalski2"))
    unregistered = await _refusal(backend.login("100008", "Woda!Kowalski2"))
    # a wrong password says nothing of the account's state either
    pending = await _refusal(backend.login("100005", "Woda!Kowalski2"))
    blocked = await _refusal(backend.login("100006", "Woda!Kowalski2"))
    for refusal in (wrong, unknown, unregistered, pending, blocked):
        assert type(refusal) is LoginFailed
        assert refusal.code == "login_failed"
        assert refusal.message == wrong.message
        assert refusal.captcha is None and refusal.locked_until is None
    assert backend.session is None


async def test_captcha_after_three_failures(backend: Backend) -> None:
    for attempt in range(1, 3):
        refusal = await _refusal(backend.login("100002", f"Zle!Haslo{attempt}x"))
        assert type(refusal) is LoginFailed, attempt
    third = await _refusal(backend.login("100002", "Zle!Haslo3x"))
    assert type(third) is LoginFailed and third.code == "login_failed"
    assert third.captcha is not None

    # the right password alone is not enough now: it is not even checked
    bare = await _refusal(backend.login("100002", PASSWORDS["100002"]))
    assert isinstance(bare, CaptchaRequired) and bare.captcha is not None
    assert bare.code == "captcha_required"
    # nor with a nonce that does not prove the work
    answer = solve_captcha(bare.captcha)
    wrong_answer = "x" + answer
    mistyped = await _refusal(
        backend.login(
            "100002",
            PASSWORDS["100002"],
            captcha_id=bare.captcha.id if bare.captcha else None,
            captcha_answer=wrong_answer,
        )
    )
    assert isinstance(mistyped, CaptchaRequired) and mistyped.captcha is not None
    assert backend.session is None
    # a captcha is single use: the right answer to the spent one fails too
    spent = await _refusal(
        backend.login(
            "100002",
            PASSWORDS["100002"],
            captcha_id=bare.captcha.id if bare.captcha else None,
            captcha_answer=answer,
        )
    )
    assert isinstance(spent, CaptchaRequired) and spent.captcha is not None

    session = await backend.login(
        "100002",
        PASSWORDS["100002"],
        captcha_id=spent.captcha.id,
        captcha_answer=solve_captcha(spent.captcha),
    )
    assert session.subject == "100002"


async def _fail_ten_times(backend: Backend, number: str) -> list[tuple[str, str, bool]]:
    """Ten wrong passwords, answering every captcha; what each refusal looked like."""
    seen: list[tuple[str, str, bool]] = []
    captcha = None
    for attempt in range(10):
        refusal = await _refusal(
            backend.login(
                number,
                f"Zle!Haslo{attempt}x",
                captcha_id=captcha.id if captcha else None,
                captcha_answer=solve_captcha(captcha) if captcha else None,
            )
        )
        seen.append((type(refusal).__name__, refusal.code, refusal.captcha is not None))
        captcha = refusal.captcha
    return seen


async def test_lock_after_ten_failures_the_same_for_an_unknown_number(
    backend: Backend, clock: FakeClock
) -> None:
    known = await _fail_ten_times(backend, "100003")
    unknown = await _fail_ten_times(backend, "999991")
    assert known == unknown
    assert [kind for kind, _, _ in known] == ["LoginFailed"] * 9 + ["AccountLocked"]
    assert [brings for _, _, brings in known] == [False] * 2 + [True] * 7 + [False]

    locked = await _refusal(backend.login("100003", PASSWORDS["100003"]))
    assert isinstance(locked, AccountLocked)
    assert locked.locked_until == clock.now + timedelta(minutes=15)
    assert locked.retry_after == 15 * 60  # over HTTP: the Retry-After header of the 423
    ghost = await _refusal(backend.login("999991", PASSWORDS["100003"]))
    assert isinstance(ghost, AccountLocked) and ghost.message == locked.message

    # after the lock a captcha is still asked; then the right password lets Piotr in
    clock.advance(timedelta(minutes=16))
    asked = await _refusal(backend.login("100003", PASSWORDS["100003"]))
    assert isinstance(asked, CaptchaRequired) and asked.captcha is not None
    session = await backend.login(
        "100003",
        PASSWORDS["100003"],
        captcha_id=asked.captcha.id,
        captcha_answer=solve_captcha(asked.captcha),
    )
    assert session.subject == "100003"


async def test_pending_account_cannot_sign_in(backend: Backend) -> None:
    with pytest.raises(Forbidden) as refused:
        await backend.login("100005", PASSWORDS["100005"])
    assert refused.value.code == "account_pending"
    assert backend.session is None


async def test_account_blocked_by_the_office_cannot_sign_in(backend: Backend) -> None:
    with pytest.raises(Forbidden) as refused:
        await backend.login("100006", PASSWORDS["100006"])
    assert refused.value.code == "account_blocked"
    assert backend.session is None


async def test_generated_password_must_be_changed_first(backend: Backend) -> None:
    session = await backend.login("100007", PASSWORDS["100007"])
    assert session.must_change_password
    for call in (backend.dashboard, backend.invoices, backend.meters, backend.requests):
        with pytest.raises(PasswordChangeRequired):
            await call()
    with pytest.raises(ValidationFailed) as wrong_old:
        await backend.change_password("Nadane!Haslo78", NEW_PASSWORD)
    assert "old_password" in wrong_old.value.fields
    with pytest.raises(ValidationFailed) as weak:
        await backend.change_password(PASSWORDS["100007"], "krotkie")
    assert weak.value.fields == {"new_password"}
    with pytest.raises(ValidationFailed) as same:
        await backend.change_password(PASSWORDS["100007"], PASSWORDS["100007"])
    assert same.value.fields == {"new_password"}

    changed = await backend.change_password(PASSWORDS["100007"], NEW_PASSWORD)
    assert not changed.must_change_password
    assert changed.subject == "100007"
    assert (await backend.dashboard()).customer.number == "100007"
    await backend.logout()
    with pytest.raises(LoginFailed):
        await backend.login("100007", PASSWORDS["100007"])
    assert not (await backend.login("100007", NEW_PASSWORD)).must_change_password


async def test_changing_the_password_ends_other_sessions(portal: Portal) -> None:
    phone = await portal.client()
    laptop = await portal.client()
    await phone.login("100003", PASSWORDS["100003"])
    await laptop.login("100003", PASSWORDS["100003"])
    changed = await laptop.change_password(PASSWORDS["100003"], NEW_PASSWORD)
    assert changed.subject == "100003"
    assert (await laptop.profile()).customer.number == "100003"
    with pytest.raises(AuthenticationRequired):
        await phone.profile()


async def test_logout_ends_the_session(portal: Portal, backend: Backend) -> None:
    session = await backend.login("100001", PASSWORDS["100001"])
    other = await portal.client()
    assert (await other.resume(session.token)).subject == "100001"
    await backend.logout()
    assert backend.session is None
    with pytest.raises(AuthenticationRequired):
        await backend.dashboard()
    # the token is dead on the server too, not only forgotten by this client
    with pytest.raises(AuthenticationRequired):
        await other.dashboard()
    late = await portal.client()
    with pytest.raises(AuthenticationRequired):
        await late.resume(session.token)


async def test_resume_with_a_saved_token(portal: Portal, backend: Backend) -> None:
    session = await backend.login("100001", PASSWORDS["100001"], remember=True)
    assert session.expires_at >= datetime(2026, 12, 1, tzinfo=UTC)
    later = await portal.client()
    resumed = await later.resume(session.token)
    assert resumed.subject == "100001" and resumed.role is Role.CUSTOMER
    assert later.session is not None and later.session.subject == "100001"
    assert (await later.dashboard()).customer.name == "Jan Kowalski"
    stranger = await portal.client()
    with pytest.raises(AuthenticationRequired):
        await stranger.resume("not-a-token")


async def test_session_expires(backend: Backend, clock: FakeClock) -> None:
    await backend.login("100001", PASSWORDS["100001"])
    clock.advance(timedelta(hours=9))
    with pytest.raises(AuthenticationRequired):
        await backend.dashboard()
