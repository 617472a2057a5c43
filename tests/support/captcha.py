"""Answering the captcha as the console does: by doing its proof of work."""

from __future__ import annotations

from typing import Any

from ibok_tui.domain.errors import Captcha
from ibok_tui.domain.proof_of_work import solve


def solve_captcha(captcha: Captcha | dict[str, Any]) -> str:
    """The nonce that answers `captcha` (a Captcha, or the `captcha` object of a problem)."""
    if isinstance(captcha, dict):
        return solve(str(captcha["challenge"]), int(captcha["difficulty"]))
    return solve(captcha.challenge, captcha.difficulty)


def proof(captcha: dict[str, Any] | None) -> dict[str, str]:
    """The `captcha_id` and `captcha_answer` fields of a sign-in that answers `captcha`
    (a problem's `captcha` object), or nothing when there is none."""
    if captcha is None:
        return {}
    return {"captcha_id": str(captcha["id"]), "captcha_answer": solve_captcha(captcha)}
