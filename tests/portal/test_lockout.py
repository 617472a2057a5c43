"""The lock-out counts per (account, address): no typed number can reach another
account's or another address's counter, and forgetting an account's failures forgets
them from every address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ibok_tui.domain.errors import AccountLocked, Captcha, LoginFailed
from ibok_tui.portal.service import PortalService
from tests.support.captcha import solve_captcha
from tests.support.clock import FakeClock
from tests.support.portal import copy_portal

OWNER, STRANGER = "198.51.100.20", "203.0.113.66"


@pytest.fixture
def portal(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[PortalService]:
    service = copy_portal(template_db, tmp_path / "portal", clock)
    yield service
    service.store.close()


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

    from ibok_tui.portal.auth import HashingBusy, hash_workers, hashing_slot

    with ExitStack() as held:
        for _ in range(4 * hash_workers()):  # every place taken by sign-ins in progress
            held.enter_context(hashing_slot())
        for _ in range(5):
            with pytest.raises(HashingBusy) as busy:
                portal.login("100001", "Zle!Haslo123", client=STRANGER)
        assert busy.value.status == 429 and busy.value.retry_after == 1
    failures = portal.store.scalar("SELECT count(*) FROM login_failures")
    assert failures == 0
    assert portal.login("100001", "Woda!Kowalski1", client=STRANGER).subject == "100001"
