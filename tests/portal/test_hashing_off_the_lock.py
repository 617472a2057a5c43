"""Password hashing never holds the store's lock: while one sign-in's slow hash is being
checked, everyone else's reads and writes go on."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from argon2 import PasswordHasher

from ibok_tui.domain.errors import LoginFailed
from ibok_tui.portal.service import PortalService

A = "100001"  # Jan Kowalski


def _slow_hash(portal: PortalService, number: str, password: str) -> float:
    """Give the account a hash that takes long to check; returns how long one check takes."""
    slow = PasswordHasher(time_cost=48, memory_cost=32 * 1024, parallelism=1)
    stored = slow.hash(password)
    with portal.store.transaction():
        portal.store.execute(
            "UPDATE customers SET password_hash = ? WHERE number = ?", (stored, number)
        )
    started = time.perf_counter()
    with contextlib.suppress(Exception):
        slow.verify(stored, "something else")
    return time.perf_counter() - started


def test_a_slow_sign_in_does_not_stall_the_store(portal: PortalService) -> None:
    check = _slow_hash(portal, "100001", "Woda!Kowalski1")
    assert check > 0.4, "the slow hash is not slow enough to tell anything here"

    def failing_sign_in() -> None:
        with contextlib.suppress(LoginFailed):
            portal.login("100001", "Zle!Haslo123")

    signing_in = threading.Thread(target=failing_sign_in)
    signing_in.start()
    time.sleep(check / 4)
    waits = []
    while signing_in.is_alive():
        started = time.perf_counter()
        portal.store.one("SELECT count(*) FROM customers")
        with portal.store.transaction():  # a write too
            portal.store.execute("DELETE FROM captchas WHERE expires_at < ''")
        waits.append(time.perf_counter() - started)
        time.sleep(0.01)
    signing_in.join()
    assert len(waits) >= 3  # the reads ran while the hash was being checked
    # on today's machine a read takes a millisecond; the hash held the lock for `check`
    assert max(waits) < check / 2, (max(waits), check)


def test_a_hash_of_other_parameters_is_made_again_at_the_next_sign_in(
    portal: PortalService,
) -> None:
    """argon2-cffi's default (4 lanes over every core) gives way to the one-lane parameters
    the bounded pool can bound; the old hash still lets the customer in."""
    old = PasswordHasher().hash("Woda!Kowalski1")
    with portal.store.transaction():
        portal.store.execute("UPDATE customers SET password_hash = ? WHERE number = ?", (old, A))
    portal.login(A, "Woda!Kowalski1")
    renewed = portal.store.scalar("SELECT password_hash FROM customers WHERE number = ?", (A,))
    assert renewed != old and "m=19456,t=2,p=1" in renewed
    portal.login(A, "Woda!Kowalski1")  # the new one lets the customer in too
    with pytest.raises(LoginFailed):
        portal.login(A, "Zle!Haslo123")
    stored = portal.store.scalar("SELECT password_hash FROM customers WHERE number = ?", (A,))
    assert stored == renewed
