"""Reading a QR code back from what the console drew: the modules from half-block cells
(`▀` top dark, `▄` bottom dark, `█` both, space neither; each half's colour is the cell's
foreground where the glyph covers it, else its background), then a real decoder
(zxing-cpp) on an image of those modules."""

from __future__ import annotations

from collections.abc import Sequence

Cell = tuple[str, bool, bool]  # the character, its foreground dark, its background dark


def modules_from_cells(cells: Sequence[Sequence[Cell]]) -> list[list[bool]]:
    """Two module rows for each row of cells (True is dark)."""
    modules: list[list[bool]] = []
    for row in cells:
        top: list[bool] = []
        bottom: list[bool] = []
        for char, fg_dark, bg_dark in row:
            assert char in "█▀▄ ", f"not a half-block cell: {char!r}"
            top.append(fg_dark if char in "█▀" else bg_dark)
            bottom.append(fg_dark if char in "█▄" else bg_dark)
        modules += [top, bottom]
    return modules


def quiet_margins(modules: list[list[bool]]) -> tuple[int, int, int, int]:
    """The light modules between the code's dark ones and each edge: top, right, bottom,
    left."""
    dark_rows = [y for y, row in enumerate(modules) if any(row)]
    dark_cols = [x for x in range(len(modules[0])) if any(row[x] for row in modules)]
    width = len(modules[0])
    return (
        dark_rows[0],
        width - 1 - dark_cols[-1],
        len(modules) - 1 - dark_rows[-1],
        dark_cols[0],
    )


def decode(modules: list[list[bool]], scale: int = 6) -> str:
    """The text a QR decoder reads from the modules drawn black on white."""
    import zxingcpp
    from PIL import Image

    height, width = len(modules), len(modules[0])
    image = Image.new("L", (width * scale, height * scale), 255)
    pixels = image.load()
    assert pixels is not None
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    for dx in range(scale):
                        pixels[x * scale + dx, y * scale + dy] = 0
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{len(found)} QR codes read"
    return str(found[0].text)
