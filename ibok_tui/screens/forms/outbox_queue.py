"""What the forms do with the outbox (backends/outbox.py): a submission that met an
unreachable server is kept there with the form's own idempotency key, and taken out once the
form's retry (or the outbox's pass) has it delivered. No outbox (a kiosk, a clerk acting for a
customer): nothing is kept, and the form keeps what was typed and offers its retry as before."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ...host import host_of

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ...backends.base import Backend
    from ...backends.outbox import OutboxItem, Payload


async def keep_unsent(
    node: DOMNode,
    backend: Backend,
    payload: Payload,
    *,
    key: str | None,
    replaces: str | None = None,
) -> OutboxItem | None:
    """Keep `payload` in the outbox to be sent with `key`; None when there is no outbox."""
    host = host_of(node)
    outbox = host.outbox_for(backend)
    if outbox is None:
        return None
    from ...backends.outbox import OutboxError
    from ...i18n import _
    from ...i18n.problems import error_text

    try:
        item = await asyncio.to_thread(outbox.add, payload, key=key, replaces=replaces)
    except (OutboxError, OSError) as error:  # full, or the disk: the form still keeps it
        reason = error_text(error) if isinstance(error, OutboxError) else str(error)
        node.app.notify(
            _("Nie zapisano w kolejce do wysłania: {reason}", reason=reason),
            severity="warning",
            markup=False,
            timeout=15,
        )
        return None
    host.outbox_changed()
    return item


async def delivered(
    node: DOMNode, backend: Backend, *, key: str | None, replaces: str | None = None
) -> None:
    """The form's submission arrived: the outbox lets go of it (and of the item it edited)."""
    host = host_of(node)
    outbox = host.outbox_for(backend)
    if outbox is None:
        return

    def forget() -> bool:
        gone = outbox.sent(key) if key else None
        edited = outbox.withdraw(replaces) if replaces else None
        return gone is not None or edited is not None

    if await asyncio.to_thread(forget):
        host.outbox_changed()
