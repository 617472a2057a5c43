"""The columns of the lists that the console's tabs and the commands' tables both show,
worded once."""

from __future__ import annotations

from . import _


def invoice_headers() -> tuple[str, ...]:
    """Faktury: one invoice a row."""
    return (
        _("Numer"),
        _("Rodzaj"),
        _("Wystawiona"),
        _("Okres"),
        _("Termin"),
        _("Brutto"),
        _("Zapłacono"),
        _("Do zapłaty"),
        _("Status"),
    )


def settlement_headers() -> tuple[str, ...]:
    """Rozrachunki: one document a row (the console adds its payments, a command whether
    it is overdue)."""
    return (
        _("Numer"),
        _("Rodzaj"),
        _("Wystawiony"),
        _("Termin"),
        _("Winien"),
        _("Zapłacono"),
        _("Do zapłaty"),
    )
