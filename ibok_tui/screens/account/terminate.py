"""Terminating the e-service agreement: the password asked, the account closed. One flow for
Ustawienia and for declining new terms at sign-in (Będzin §8.3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ...backends.base import Backend


def confirm_terminate(
    node: DOMNode, backend: Backend, done: Callable[[], object], *, message: str = ""
) -> None:
    """Ask for the password, then end the agreement; `done()` once the account is closed.
    A wrong password or a refusal is said in the dialog, which stays with what was typed;
    nothing happens if the customer cancels."""
    from ..forms.dialogs import PasswordConfirmDialog

    def terminated(password: str | None) -> None:
        if password:
            done()

    node.app.push_screen(
        PasswordConfirmDialog(
            _("Rozwiąż umowę iBOK"),
            message
            or _("Konto iBOK zostanie usunięte. Tej operacji nie można cofnąć. Kontynuować?"),
            _("Rozwiąż umowę"),
            danger=True,
        ).send_with(backend.terminate),
        terminated,
    )
