"""The invoice archive: every invoice's PDF in one zip, saved to the downloads directory like
every other download. Pulpit offers it when the supply contract ended (the account closes
at the date shown); Faktury offers it always."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.contract_end import POLAND
from ...i18n import _

if TYPE_CHECKING:
    from ..forms.base import TabScreen


def save_invoice_archive(screen: TabScreen) -> None:
    """Fetch the archive in the screen's worker and save it; the path is shown, and a
    failure says what happened (the app's error dialog offers a retry). The screen's
    action asked the host's policy first (a kiosk writes no files)."""
    screen.notify(
        _("Przygotowuję archiwum wszystkich faktur (PDF w pliku ZIP)… To może potrwać minutę."),
        timeout=10,
    )

    def done(content: bytes) -> None:
        from ...widgets.tables import save_bytes

        # the customer number as the server sent it: only its letters and digits
        session = screen.backend.session
        subject = session.subject if session is not None else ""
        number = "".join(c for c in subject if c.isascii() and c.isalnum())[:32]
        stamp = screen.host.now().astimezone(POLAND).strftime("%Y%m%d")
        name = f"faktury-{number}-{stamp}.zip" if number else f"faktury-{stamp}.zip"
        try:
            path = save_bytes(screen.host.downloads_dir, name, content)
        except OSError as error:
            screen.notify(str(error), title=_("Nie zapisano pliku"), severity="error", markup=False)
            return
        screen.notify(str(path), title=_("Zapisano archiwum faktur"), markup=False)

    screen.call(screen.backend.invoice_archive, done, group="invoice-archive")
