"""Password policy: what a password must contain (as codes), and generation."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from .errors import FieldError, Params

GENERATED_MIN_LENGTH = 12

# Generated passwords avoid look-alikes (I/l/1, O/0) and characters awkward to type or quote.
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_DIGITS = "23456789"
_SPECIAL = "!#$%&*+-=?@_"


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """A utility's password rules; the defaults are the strictest seen."""

    min_length: int = 10
    max_length: int = 128
    require_upper: bool = True
    require_lower: bool = True
    require_digit: bool = True
    require_special: bool = True

    def __post_init__(self) -> None:
        if self.min_length < 0 or self.max_length < max(self.min_length, 1):
            raise ValueError(
                f"invalid password lengths: min {self.min_length}, max {self.max_length}"
            )


def _is_special(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


def password_problems(policy: PasswordPolicy, password: str) -> list[str]:
    """Stable codes of every rule `password` breaks, in a fixed order; empty if it is fine."""
    problems: list[str] = []
    if len(password) < policy.min_length:
        problems.append("too_short")
    if len(password) > policy.max_length:
        problems.append("too_long")
    if policy.require_upper and not any(c.isupper() for c in password):
        problems.append("no_upper")
    if policy.require_lower and not any(c.islower() for c in password):
        problems.append("no_lower")
    if policy.require_digit and not any(c.isdigit() for c in password):
        problems.append("no_digit")
    if policy.require_special and not any(_is_special(c) for c in password):
        problems.append("no_special")
    return problems


def password_errors(
    policy: PasswordPolicy, password: str, field: str = "password"
) -> list[FieldError]:
    """`password_problems` as field errors: codes with the policy's numbers as params (the
    catalogue words them)."""
    limits: dict[str, Params] = {
        "too_short": {"min_length": str(policy.min_length)},
        "too_long": {"max_length": str(policy.max_length)},
    }
    return [
        FieldError(field=field, code=code, params=limits.get(code, {}))
        for code in password_problems(policy, password)
    ]


def generate_password(policy: PasswordPolicy, rng: random.Random | None = None) -> str:
    """A random password that satisfies `policy`, of length max(min_length, 12).

    Uses the OS's secure source (as `secrets` does) unless `rng` is given (tests).
    """
    source: random.Random = rng if rng is not None else secrets.SystemRandom()
    required = [
        alphabet
        for alphabet, wanted in (
            (_UPPER, policy.require_upper),
            (_LOWER, policy.require_lower),
            (_DIGITS, policy.require_digit),
            (_SPECIAL, policy.require_special),
        )
        if wanted
    ]
    length = min(max(policy.min_length, GENERATED_MIN_LENGTH), policy.max_length)
    if length < len(required):
        raise ValueError("the policy's maximum length is too short for its required characters")
    everything = _UPPER + _LOWER + _DIGITS + _SPECIAL
    chars = [source.choice(alphabet) for alphabet in required]
    chars += [source.choice(everything) for _ in range(length - len(chars))]
    source.shuffle(chars)
    return "".join(chars)
