"""Pictures drawn in a terminal with rich, without Textual, for the console's widgets and
the commands alike: the payment QR code in half-block characters (two modules per cell)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

from rich.text import Text

QUIET_ZONE = 4  # modules of light margin on every side, as ISO/IEC 18004 asks
_STYLE = "#000000 on #ffffff"
_DIGIT_RUN = re.compile(r"[0-9]{7,}")  # runs of digits worth a numeric segment of their own


def qr_segments(payload: str) -> list[tuple[str, bool]]:
    """The payload as QR segments: each run of digits (the NIP, the account number, the
    amount) in numeric mode at 10 bits for 3 digits, the rest in byte mode as UTF-8.

    One byte segment would take 8 bits a digit: a payment code of 26 account digits and a
    Polish title grew to version 6 (41 modules, 25 rows of half blocks with the quiet
    zone), one row more than an 80×24 terminal has. Segmented it stays at version 4 or 5
    (at most 45 modules with the quiet zone: 23 rows). A decoder joins the segments into
    the same text."""
    segments: list[tuple[str, bool]] = []  # (text, numeric)
    at = 0
    for run in _DIGIT_RUN.finditer(payload):
        if run.start() > at:
            segments.append((payload[at : run.start()], False))
        segments.append((run.group(), True))
        at = run.end()
    if at < len(payload) or not segments:
        segments.append((payload[at:], False))
    return segments


def qr_matrix(payload: str, error: str = "L") -> list[list[bool]]:
    """The code's modules (True is dark), with the quiet zone around them."""
    code = _make(qr_content(payload, error), error)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=0)]
    width = len(rows[0]) + 2 * QUIET_ZONE
    blank = [False] * width
    framed = [blank[:] for _ in range(QUIET_ZONE)]
    framed += [[False] * QUIET_ZONE + row + [False] * QUIET_ZONE for row in rows]
    framed += [blank[:] for _ in range(QUIET_ZONE)]
    return framed


MAX_VERSION = 5
"""The largest code drawn: 37 modules, 45 with the quiet zone, 23 rows of half blocks,
so that the whole code fits an 80×24 terminal."""


def _ascii(text: str) -> str:
    """Letters without their marks (ą → a, ł → l); any other character outside ASCII '?'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    kept = (c for c in text if not unicodedata.combining(c))
    return "".join(c if c.isascii() else "?" for c in kept)


def qr_content(payload: str, error: str = "L") -> str:
    """What the code holds: the payload, or, when its letters outside ASCII (two bytes and
    more each in UTF-8) would make it larger than `MAX_VERSION`, the payload in ASCII
    (a recipient's name and a title of only Polish letters: "Zażółć" as "Zazolc"). The
    NIP, the account and the amount, which the bank reads, are digits and never change;
    a payload of ASCII (at most 104 characters, domain/payments.py) fits version 5."""
    if _make(payload, error).version <= MAX_VERSION:
        return payload
    return _ascii(payload)


def _make(payload: str, error: str) -> Any:
    import segno
    from segno.consts import MODE_BYTE, MODE_NUMERIC

    segments = [
        (text, MODE_NUMERIC if numeric else MODE_BYTE, "utf-8")
        for text, numeric in qr_segments(payload)
    ]
    return segno.make(
        cast(Any, segments),  # segno takes segments; its annotation names one value
        error=error.lower(),
        micro=False,
        boost_error=False,
        encoding="utf-8",  # the ZBP code is UTF-8; segno would take Latin-1 where it can
    )


def qr_text(payload: str, error: str = "L") -> Text:
    """Dark modules black on a white background: top half `▀`, bottom `▄`, both `█`."""
    matrix = qr_matrix(payload, error)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    lines = []
    for top, bottom in zip(matrix[0::2], matrix[1::2], strict=True):
        chars = []
        for upper, lower in zip(top, bottom, strict=True):
            chars.append("█" if upper and lower else "▀" if upper else "▄" if lower else " ")
        lines.append("".join(chars))
    return Text("\n".join(lines), style=_STYLE, no_wrap=True)


def qr_png(payload: str, path: Path, *, scale: int = 8, error: str = "L") -> None:
    """The same code as a PNG image (for a phone's banking app to scan from a screen)."""
    code = _make(qr_content(payload, error), error)
    code.save(str(path), kind="png", scale=scale, border=QUIET_ZONE)
