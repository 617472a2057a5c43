"""What a contract scan is, by its content: PDF, JPEG or PNG by magic bytes and a parse
that succeeds (pypdf, Pillow), and the name it is stored under.

The parsers are imported here, inside the functions, and this module only when a scan is
uploaded: the console's start-up never loads them.
"""

from __future__ import annotations

import io
import unicodedata

from ..domain.errors import FieldError, ValidationFailed
from ..domain.text import without_unsafe

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# the extensions a type may carry in its name; the first is the one given when it has none
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
MAX_NAME = 120  # characters of a stored name, extension included
MAX_PIXELS = 80_000_000  # an A4 page at 1200 dpi is 140 MP/4: far more than a scan needs
_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def sniff(content: bytes) -> str | None:
    """The type the first bytes claim, or None."""
    return next((mime for magic, mime in _MAGIC if content.startswith(magic)), None)


def detect(content: bytes) -> str:
    """The scan's MIME type; ValidationFailed on `content` when it is not a scan."""
    mime = sniff(content)
    if mime is None:
        raise ValidationFailed.single("content", "unsupported_type")
    try:
        readable = _pdf_readable(content) if mime == PDF else _image_readable(content, mime)
    except Exception:  # a parser meeting hostile bytes may raise anything: not a scan
        readable = False
    if not readable:
        kind = "PDF" if mime == PDF else mime.split("/")[1].upper()
        raise ValidationFailed([FieldError("content", "unreadable", params={"type": kind})])
    return mime


def _pdf_readable(content: bytes) -> bool:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a customer's file is not our warning

    reader = PdfReader(io.BytesIO(content), strict=False)
    if reader.is_encrypted:  # the office could not read it
        return False
    pages = reader.pages
    return len(pages) > 0 and pages[0].mediabox.width > 0


def _image_readable(content: bytes, mime: str) -> bool:
    from PIL import Image

    expected = "PNG" if mime == PNG else "JPEG"
    with Image.open(io.BytesIO(content), formats=[expected]) as image:
        if image.width * image.height > MAX_PIXELS:
            return False
        image.verify()  # PNG: every chunk's CRC
    with Image.open(io.BytesIO(content), formats=[expected]) as image:
        # decode every byte of the data (at 1/8 scale: little memory); truncation raises
        image.draft("L", (max(image.width // 8, 1), max(image.height // 8, 1)))
        image.load()
    return True


def base_name(filename: str) -> str:
    """A file name that names only a file: its last path component (/ or \\), without
    control or bidi characters, whitespace folded to single spaces, no leading or
    trailing dots or spaces. May be empty."""
    name = unicodedata.normalize("NFC", without_unsafe(filename))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(name.split()).strip(" .")


def clean_name(filename: str, mime: str) -> str:
    """The name a scan is stored and served under: its base name, at most MAX_NAME
    characters, with an extension that matches its detected type."""
    name = base_name(filename)
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if "." + suffix.lower() in EXTENSIONS[mime]:
        extension = "." + suffix.lower()
    else:
        stem, extension = name, EXTENSIONS[mime][0]
    stem = stem.strip(" .")[: MAX_NAME - len(extension)].rstrip(" .") or "skan"
    return stem + extension
