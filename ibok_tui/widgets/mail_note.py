"""Where the mail a flow just sent can be read: on a demo, the outbox folder on this
machine (no mail leaves it), said beside the flow's own message; nothing for a server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import _

if TYPE_CHECKING:
    from ..backends.base import Backend


def mail_note(backend: Backend) -> str:
    """ " Demo: …folder…" to append to a message that says a mail was sent, or ""."""
    folder = backend.mail_folder
    if folder is None:
        return ""
    return " " + _(
        "Demo: poczta nie wychodzi na zewnątrz, wiadomość zapisano jako plik .eml w folderze"
        " {folder}",
        folder=str(folder),
    )
