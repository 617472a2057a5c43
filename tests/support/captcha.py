"""Reading the captcha's text art back into digits, as a person would.

The portal draws each digit in a 3x5 font of full blocks, digits two columns apart and
each raised or lowered by one row. The shapes below are what a test knows of the font:
the reader never asks the portal for the answer.
"""

from __future__ import annotations

BLOCK = "█"
GLYPH_WIDTH = 3
GAP = 2

# Each digit as five rows of three cells, "#" for a block.
_SHAPES = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", " ##", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", " # ", " # ", " # "),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
}
_BY_SHAPE = {shape: digit for digit, shape in _SHAPES.items()}


class UnreadableCaptcha(ValueError):
    pass


def read_captcha(art: str) -> str:
    """The digits drawn in `art`; raises `UnreadableCaptcha` if a glyph matches none."""
    lines = art.split("\n")
    width = max(len(line) for line in lines)
    grid = [line.ljust(width).replace(BLOCK, "#") for line in lines]
    pitch = GLYPH_WIDTH + GAP
    count = (width + GAP) // pitch
    if count == 0 or (width + GAP) % pitch:
        raise UnreadableCaptcha(f"the art is {width} columns wide, not a row of glyphs")
    digits = []
    for position in range(count):
        left = position * pitch
        column = [row[left : left + GLYPH_WIDTH] for row in grid]
        filled = [i for i, cells in enumerate(column) if cells.strip()]
        if not filled:
            raise UnreadableCaptcha(f"glyph {position} is empty")
        shape = tuple(column[filled[0] : filled[-1] + 1])
        if shape not in _BY_SHAPE:
            raise UnreadableCaptcha(f"glyph {position} is no digit: {shape!r}")
        digits.append(_BY_SHAPE[shape])
    return "".join(digits)
