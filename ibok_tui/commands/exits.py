"""The commands' exit statuses: one table, stable (scripts test them), the README's too.

Every error a backend raises maps to one status by its kind, so a cron job can tell a
wrong password from a refused reading from a server that is down.
"""

from __future__ import annotations

from enum import IntEnum

from ..i18n import N_


class Exit(IntEnum):
    OK = 0
    ATTENTION = 1  # `ibok status`: something needs the customer's attention
    USAGE = 2  # a wrong option or argument, no --demo/--server/--profile, a bad file
    AUTHENTICATION = 3  # no credentials, a wrong password, a locked account, an old session
    VALIDATION = 4  # the iBOK refused the input; stderr names the field
    CONFLICT = 5  # the state does not allow it (a reading already in this period)
    UNAVAILABLE = 6  # the server cannot be reached, failed or asks to wait; try again later
    NOT_FOUND = 7  # no such invoice, meter or request for this customer
    REFUSED = 8  # anything else the iBOK refused (forbidden, an answer it cannot use)


# what each status means: printed by `ibok schema exit-codes`, the same table as the README's
MEANINGS: dict[Exit, str] = {
    Exit.OK: N_("gotowe"),
    Exit.ATTENTION: N_("ibok status: coś wymaga uwagi (zaległa płatność, alert)"),
    Exit.USAGE: N_("użycie: zła opcja lub argument, brak --demo/--server/--profile, zły plik"),
    Exit.AUTHENTICATION: N_(
        "uwierzytelnienie: brak danych logowania, złe hasło, blokada konta, nowy regulamin"
        " do akceptacji"
    ),
    Exit.VALIDATION: N_("walidacja: iBOK odrzucił dane; stderr podaje pole"),
    Exit.CONFLICT: N_("konflikt: stan konta na to nie pozwala"),
    Exit.UNAVAILABLE: N_("niedostępny: serwer nie odpowiada lub zawiódł; spróbuj później"),
    Exit.NOT_FOUND: N_("nie znaleziono: nie ma takiej faktury, wodomierza ani zgłoszenia"),
    Exit.REFUSED: N_("odmowa: inna odmowa iBOK"),
}


class UsageError(Exception):
    """A command line or a file the command cannot use: exit 2 with this text."""


def exit_for(error: BaseException) -> Exit:
    """The status for an error a command met."""
    from ..domain import errors as e

    if isinstance(error, UsageError):
        return Exit.USAGE
    table: tuple[tuple[type[BaseException], Exit], ...] = (
        (e.AuthenticationRequired, Exit.AUTHENTICATION),
        (e.LoginFailed, Exit.AUTHENTICATION),
        (e.PasswordChangeRequired, Exit.AUTHENTICATION),
        (e.TermsAcceptanceRequired, Exit.AUTHENTICATION),  # accepted in the console first
        (e.ValidationFailed, Exit.VALIDATION),
        (e.Conflict, Exit.CONFLICT),
        (e.Unavailable, Exit.UNAVAILABLE),
        (e.RateLimited, Exit.UNAVAILABLE),
        (e.NotFound, Exit.NOT_FOUND),
    )
    for kind, status in table:
        if isinstance(error, kind):
            return status
    return Exit.REFUSED
