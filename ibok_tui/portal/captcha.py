"""The captcha as a proof of work: how hard a challenge is, and how long a subject waits.

A failed sign-in makes the next guess dearer in two ways: the challenge's difficulty
grows with the subject's failures (every guess costs the guesser CPU time), and past
`lock_after` failures a subject waits an exponentially growing, capped delay between
tries from any address (its owner can still sign in after it; only the address that
failed `lock_after` times is locked for `lock_for`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from ..domain.errors import Captcha
from ..domain.proof_of_work import satisfies
from .base import PortalConfig
from .store import Store


def difficulty_for(config: PortalConfig, failures: int) -> int:
    """Bits of work for a subject with `failures`: one more every two failures past the
    captcha's threshold, up to the maximum."""
    extra = max(0, failures - config.captcha_after) // 2
    return min(config.captcha_difficulty_max, config.captcha_difficulty + extra)


def delay_for(config: PortalConfig, failures: int) -> timedelta | None:
    """How long a subject waits after its `failures`-th failure (None below `lock_after`):
    1 s, 2 s, 4 s, … up to `max_delay`."""
    if failures < config.lock_after:
        return None
    seconds = 2 ** min(failures - config.lock_after, 30)
    return min(timedelta(seconds=seconds), config.max_delay)


# --- challenges that cost the server nothing to hand out ---------------------------------

KEY_SETTING = "captcha_key"
SUSPECT_SECONDS = 5.0  # how long a process answers an address's bare tries by itself
SUSPECTS_MAX = 50_000


class Challenges:
    """Captchas signed rather than stored. A challenge's id carries its expiry and
    difficulty under an HMAC with the store's key (made once, shared by every process of
    the server), so handing one out writes nothing: a storm of refused tries costs no
    statement. Solving one spends it: its id is stored until it expires, and an id stored
    already is refused (single use)."""

    def __init__(self, store: Store, now: Callable[[], datetime]) -> None:
        self.store = store
        self.now = now
        self._key: bytes | None = None

    def key(self) -> bytes:
        """The store's signing key, made by the first process that needs it. Kept in
        memory only once read back from the store: one made inside a transaction that is
        then rolled back is made again, not trusted."""
        if self._key is not None:
            return self._key
        found = self.store.scalar("SELECT value FROM settings WHERE key = ?", (KEY_SETTING,))
        if found is not None:
            self._key = bytes.fromhex(str(found))
            return self._key
        self.store.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (KEY_SETTING, secrets.token_hex(32)),
        )
        made = self.store.scalar("SELECT value FROM settings WHERE key = ?", (KEY_SETTING,))
        return bytes.fromhex(str(made))

    def _mac(self, signed: str) -> str:
        digest = hmac.new(self.key(), signed.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")

    def issue(self, difficulty: int, ttl: timedelta) -> Captcha:
        expires = int((self.now() + ttl).timestamp())
        signed = f"{secrets.token_urlsafe(12)}.{expires}.{difficulty}"
        captcha_id = f"{signed}.{self._mac(signed)}"
        return Captcha(id=captcha_id, challenge=challenge_of(captcha_id), difficulty=difficulty)

    def spend(self, captcha_id: str | None, answer: str | None, needed: int) -> bool:
        """True when `answer` proves the work of a fresh challenge of ours of at least
        `needed` bits that was not spent before; it is spent either way once genuine."""
        parts = (captcha_id or "").split(".")
        if len(parts) != 4 or not all(part.isascii() for part in parts):
            return False
        nonce, expires, difficulty, mac = parts
        if not (expires.isdigit() and difficulty.isdigit() and len(expires) <= 12):
            return False
        if not hmac.compare_digest(mac, self._mac(f"{nonce}.{expires}.{difficulty}")):
            return False
        now = self.now()
        self.store.execute("DELETE FROM captchas WHERE expires_at < ?", (now.isoformat(),))
        expiry = datetime.fromtimestamp(int(expires), tz=UTC)
        if expiry <= now:
            return False
        spent = self.store.one(
            "INSERT INTO captchas (id, answer, expires_at) VALUES (?, 'spent', ?)"
            " ON CONFLICT (id) DO NOTHING RETURNING id",
            (captcha_id, expiry.isoformat()),
        )
        assert captcha_id is not None
        return (
            spent is not None
            and int(difficulty) >= needed
            and satisfies(challenge_of(captcha_id), (answer or "").strip(), int(difficulty))
        )


def challenge_of(captcha_id: str) -> str:
    return f"ibok-pow:{captcha_id}:"


class Suspects:
    """Addresses this process saw the store mark as needing a captcha for every try (too
    many failures over any accounts), for SUSPECT_SECONDS: a bare try from one of them is
    answered with a challenge at the server's door, before a route, a rate-limit bucket or
    a statement is spent on it. Only ever a shortcut to the answer the store would give
    (the mark is the store's decision, and short), so no other process needs it."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._until: dict[str, float] = {}

    def mark(self, address: str) -> None:
        now = self.clock()
        if len(self._until) >= SUSPECTS_MAX:
            self._until = {a: t for a, t in self._until.items() if t > now}
            if len(self._until) >= SUSPECTS_MAX:
                self._until.clear()
        self._until[address] = now + SUSPECT_SECONDS

    def __contains__(self, address: str) -> bool:
        until = self._until.get(address)
        return until is not None and until > self.clock()
