"""The login captcha: digits drawn as text art the console can show."""

from __future__ import annotations

import secrets

# A 3x5 digit font for the captcha, drawn with full blocks.
_DIGITS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", " ██", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", " █ ", " █ ", " █ "),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
}
CAPTCHA_LENGTH = 5


def draw_captcha(answer: str) -> str:
    """Text art of the digits, each a little raised or lowered, so a glance reads it."""
    rng = secrets.SystemRandom()
    offsets = [rng.randint(0, 1) for _ in answer]
    rows = []
    for line in range(6):
        parts = []
        for digit, offset in zip(answer, offsets, strict=True):
            glyph_row = line - offset
            parts.append(_DIGITS[digit][glyph_row] if 0 <= glyph_row < 5 else "   ")
        rows.append("  ".join(parts))
    return "\n".join(rows)
