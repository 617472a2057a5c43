"""The sign-in captcha as a proof of work (hashcash-style).

The server issues a random `challenge` and a `difficulty` in bits; the client finds a
`nonce` (decimal digits) such that sha256(challenge + nonce), read as a 256-bit number,
starts with `difficulty` zero bits. Finding one takes 2**difficulty hashes on average;
checking it takes one. Nothing in the challenge tells a script the answer: it has to pay
the work, and the work grows with the failures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

MAX_NONCE_LENGTH = 32
MAX_CHALLENGE_LENGTH = 128
MAX_DIFFICULTY = 28  # a client refuses more: ~2**28 hashes is minutes in Python


class UnsolvableChallenge(ValueError):
    """A challenge no client should try (too hard or malformed), or a solve given up."""


def satisfies(challenge: str, nonce: str, difficulty: int) -> bool:
    """Whether `nonce` answers the challenge at `difficulty` bits."""
    if not nonce or len(nonce) > MAX_NONCE_LENGTH or not (nonce.isascii() and nonce.isdigit()):
        return False
    digest = hashlib.sha256((challenge + nonce).encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - difficulty) == 0 if difficulty > 0 else True


def solve(
    challenge: str,
    difficulty: int,
    *,
    keep_going: Callable[[int], bool] = lambda tried: True,
    check_every: int = 16_384,
) -> str:
    """The first nonce that answers the challenge. `keep_going(tried)` is asked every
    `check_every` hashes (progress, cancellation); False gives up."""
    if not 0 <= difficulty <= MAX_DIFFICULTY:
        raise UnsolvableChallenge(f"difficulty {difficulty} is outside 0..{MAX_DIFFICULTY}")
    if len(challenge) > MAX_CHALLENGE_LENGTH:
        raise UnsolvableChallenge("the challenge is too long")
    prefix = hashlib.sha256(challenge.encode())
    bound = 1 << (256 - difficulty)
    nonce = 0
    while True:
        attempt = prefix.copy()
        attempt.update(str(nonce).encode())
        if int.from_bytes(attempt.digest(), "big") < bound:
            return str(nonce)
        nonce += 1
        if nonce % check_every == 0 and not keep_going(nonce):
            raise UnsolvableChallenge("given up")
