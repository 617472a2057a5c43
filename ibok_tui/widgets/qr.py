"""The payment QR code as a widget (drawn by drawing.py)."""

from __future__ import annotations

from textual.widgets import Static

from ..drawing import qr_text

__all__ = ["QrCode", "qr_text"]


class QrCode(Static):
    """The payment QR code of the Polish banks' format (error correction L)."""

    DEFAULT_CSS = "QrCode { width: auto; height: auto; }"

    def __init__(self, payload: str, *, id: str | None = None) -> None:
        super().__init__(qr_text(payload), id=id)
        self.payload = payload
