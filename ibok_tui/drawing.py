"""Pictures drawn in a terminal with rich, without Textual, for the console's widgets and
the commands alike: the payment QR code in half-block characters (two modules per cell)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

QUIET_ZONE = 2
_STYLE = "#000000 on #ffffff"


def qr_matrix(payload: str, error: str = "L") -> list[list[bool]]:
    """The code's modules (True is dark), with a quiet zone around them."""
    import segno

    code = segno.make(payload, error=error.lower(), micro=False, boost_error=False)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=0)]
    width = len(rows[0]) + 2 * QUIET_ZONE
    blank = [False] * width
    framed = [blank[:] for _ in range(QUIET_ZONE)]
    framed += [[False] * QUIET_ZONE + row + [False] * QUIET_ZONE for row in rows]
    framed += [blank[:] for _ in range(QUIET_ZONE)]
    return framed


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
    import segno

    code = segno.make(payload, error=error.lower(), micro=False, boost_error=False)
    code.save(str(path), kind="png", scale=scale, border=4)
