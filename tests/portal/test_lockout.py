"""The lock-out counts per (account, address): no typed number can reach another
account's or another address's counter, and forgetting an account's failures forgets
them from every address."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibok_tui.domain.errors import AccountLocked, Captcha, LoginFailed
from ibok_tui.portal.service import PortalService
from tests.support.captcha import solve_captcha
from tests.support.clock import FakeClock

OWNER, STRANGER = "198.51.100.20", "203.0.113.66"


def _fail(portal: PortalService, number: str, client: str, times: int) -> LoginFailed:
    captcha: Captcha | None = None
    refusal: LoginFailed | None = None
    for _ in range(times):
        try:
            portal.login(
                number,
                "Zle!Haslo123",
                captcha_id=captcha.id if captcha else None,
                captcha_answer=solve_captcha(captcha) if captcha else None,
                client=client,
            )
        except LoginFailed as failed:
            refusal, captcha = failed, failed.captcha
    assert refusal is not None
    return refusal


def _fail_over_accounts(portal: PortalService, client: str, count: int) -> list[LoginFailed]:
    """One failure each for `count` unknown accounts from `client`."""
    return [_fail(portal, f"9{number:05d}", client, 1) for number in range(count)]


def test_a_typed_number_cannot_name_the_owners_address(portal: PortalService) -> None:
    forged = f"100001|{OWNER}"  # what "customer:100001|<address>" would have collided with
    assert isinstance(_fail(portal, forged, STRANGER, 10), AccountLocked)
    assert portal.login("100001", "Woda!Kowalski1", client=OWNER).subject == "100001"


def test_the_office_unblocking_forgets_every_addresses_failures(
    portal: PortalService, clock: FakeClock
) -> None:
    assert isinstance(_fail(portal, "100001", STRANGER, 10), AccountLocked)
    operator = portal.operator_login("bok.anna", "Operator!2026a")
    portal.block_account(operator.token, "100001", "przejęte konto")
    portal.unblock_account(operator.token, "100001", "wyjaśnione")
    # no lock, no delay, no captcha left from any address
    assert portal.login("100001", "Woda!Kowalski1", client=STRANGER).subject == "100001"


def test_a_full_hash_queue_refuses_at_once_and_counts_no_failure(portal: PortalService) -> None:
    from contextlib import ExitStack

    from ibok_tui.portal.hashing import HashingBusy, hash_queue_size, hashing_slot

    with ExitStack() as held:
        for _ in range(hash_queue_size()):  # every place taken by sign-ins in progress
            held.enter_context(hashing_slot())
        for _ in range(5):
            with pytest.raises(HashingBusy) as busy:
                portal.login("100001", "Zle!Haslo123", client=STRANGER)
        assert busy.value.status == 429 and busy.value.retry_after == 1
    failures = portal.store.scalar("SELECT count(*) FROM login_failures")
    assert failures == 0
    assert portal.login("100001", "Woda!Kowalski1", client=STRANGER).subject == "100001"


def test_an_address_that_failed_often_needs_a_captcha_before_any_hash(
    portal: PortalService, clock: FakeClock
) -> None:
    from datetime import timedelta

    from ibok_tui.domain.errors import CaptchaRequired

    for refusal in _fail_over_accounts(portal, STRANGER, portal.config.captcha_after_address):
        assert not isinstance(refusal, CaptchaRequired)
    # now every try from that address is refused unchecked, even the right password
    with pytest.raises(CaptchaRequired) as refused:
        portal.login("100001", "Woda!Kowalski1", client=STRANGER)
    captcha = refused.value.captcha
    assert captcha is not None
    # another address is not touched by it
    assert portal.login("100001", "Woda!Kowalski1", client=OWNER).subject == "100001"
    # the solved captcha lets the address's own customer in
    solved = portal.login(
        "100001",
        "Woda!Kowalski1",
        captcha_id=captcha.id,
        captcha_answer=solve_captcha(captcha),
        client=STRANGER,
    )
    assert solved.subject == "100001"
    # and the address's failures are forgotten a while after its last one
    clock.advance(portal.config.address_window + timedelta(seconds=1))
    assert portal.login("100001", "Woda!Kowalski1", client=STRANGER).subject == "100001"


def test_sign_ins_that_succeed_do_not_count_against_their_address(
    portal: PortalService,
) -> None:
    for _ in range(portal.config.captcha_after_address + 5):
        assert portal.login("100001", "Woda!Kowalski1", client=OWNER).subject == "100001"
    _fail(portal, "100002", OWNER, 1)  # one failure among them is just one
    assert portal.login("100001", "Woda!Kowalski1", client=OWNER).subject == "100001"


def test_refused_tries_store_nothing_and_a_solved_challenge_is_spent_once(
    portal: PortalService, clock: FakeClock
) -> None:
    """A challenge is signed, not stored: a storm of refused tries writes no row. The one
    solved is kept until it expires, so its answer cannot be sent twice; a changed
    difficulty or expiry breaks its signature; an expired one is refused and swept."""
    from datetime import timedelta

    from ibok_tui.domain.errors import CaptchaRequired

    _fail_over_accounts(portal, STRANGER, portal.config.captcha_after_address)
    refusals = []
    for _ in range(5):
        with pytest.raises(CaptchaRequired) as refused:
            portal.login("900001", "Zle!Haslo123", client=STRANGER)
        refusals.append(refused.value.captcha)
    assert portal.store.scalar("SELECT count(*) FROM captchas") == 0
    first = refusals[0]
    assert first is not None and len({c.id for c in refusals if c is not None}) == 5
    answer = solve_captcha(first)
    assert portal.auth.solve_captcha(first.id, answer)
    assert not portal.auth.solve_captcha(first.id, answer)  # spent
    assert portal.store.scalar("SELECT count(*) FROM captchas") == 1
    nonce, expires, difficulty, mac = refusals[1].id.split(".")  # type: ignore[union-attr]
    for forged in (
        f"{nonce}.{expires}.0.{mac}",
        f"{nonce}.{int(expires) + 3600}.{difficulty}.{mac}",
    ):
        assert not portal.auth.solve_captcha(forged, "0")
    late = refusals[2]
    assert late is not None
    clock.advance(portal.config.captcha_ttl + timedelta(seconds=1))
    assert not portal.auth.solve_captcha(late.id, solve_captcha(late))
    assert portal.store.scalar("SELECT count(*) FROM captchas") == 0  # the spent one, swept


def test_a_store_with_only_the_captcha_key_is_still_empty(tmp_path: Path) -> None:
    """A server over an empty database may hand out a captcha before anything is loaded:
    the key it made does not stop the demo being seeded there afterwards."""
    from ibok_tui.portal.service import open_portal

    path = tmp_path / "a.sqlite"
    empty = open_portal(path)
    empty.auth.new_captcha()
    assert empty.store.scalar("SELECT count(*) FROM settings") == 1
    assert empty.store.is_empty()
    empty.store.close()
    seeded = open_portal(path, seed_demo=True)
    assert seeded.store.scalar("SELECT count(*) FROM customers") > 0
    seeded.store.close()
