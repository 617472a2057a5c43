"""Real files for upload tests, made by the libraries that read them, and files that only
pretend to be one."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from PIL import Image


def _image(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(out, format=fmt)
    return out.getvalue()


@cache
def pdf() -> bytes:
    """A one-page PDF (Pillow's writer; made once, as it dates each file)."""
    return _image("PDF")


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    return _image("PNG", size)


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    return _image("JPEG", size)


def fakes() -> dict[str, bytes]:
    """Files that are not what a scan's name says, each with a name it could be sent under."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "x")
    return {
        "html.pdf": b"<!doctype html><html><script>alert(1)</script></html>",
        "elf.png": b"\x7fELF\x02\x01\x01" + bytes(200),
        "zip.pdf": archive.getvalue(),
        # the magic is right, the rest is not
        "magic-only.pdf": b"%PDF-1.4\n% a signed scan\n%%EOF\n",
        "magic-only.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "magic-only.jpg": b"\xff\xd8\xff\xe0" + bytes(64),
        "html-after-magic.pdf": b"%PDF-1.7\n<html><script>alert(1)</script></html>",
        "truncated.png": png()[:-30],
        "truncated.jpg": jpeg((400, 300))[:-200],
    }
