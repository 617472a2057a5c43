"""Every dialog of the console (every subclass of `Dialog` under ibok_tui/screens), found
by walking the package, and how a test opens each one against the demo portal.

A new dialog fails `test_every_dialog_can_be_opened_by_the_tests` until it is added to
`OPENERS`: so the keys and the focus of every dialog are tested, not of a chosen few. (The
small-screen tests open theirs from dialog_catalogue.py: one catalogue to make of the two.)"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual.screen import Screen

import ibok_tui.screens
from ibok_tui.backends.local import LocalBackend
from ibok_tui.screens.forms.dialogs import Dialog

OPERATOR = ("bok.anna", "Operator!2026a")
CUSTOMER = ("100001", "Woda!Kowalski1")


def every_dialog() -> list[type[Dialog]]:
    """Every concrete `Dialog` subclass the screens declare."""
    for module in pkgutil.walk_packages(ibok_tui.screens.__path__, "ibok_tui.screens."):
        importlib.import_module(module.name)
    found: list[type[Dialog]] = []
    todo = [Dialog]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ibok_tui.") and sub.__dict__.get("compose"):
                found.append(sub)
    return sorted(set(found), key=lambda c: c.__qualname__)


Opener = Callable[[LocalBackend, Path], Awaitable[Screen[Any]]]
# the role each dialog is opened as: "customer", "operator" or None (nobody signed in)
OPENERS: dict[str, tuple[str | None, Opener]] = {}


def opens(name: str, role: str | None = "customer") -> Callable[[Opener], Opener]:
    def register(opener: Opener) -> Opener:
        OPENERS[name] = (role, opener)
        return opener

    return register


@opens("ErrorDialog")
async def _error(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.domain.errors import Conflict
    from ibok_tui.screens.forms.dialogs import ErrorDialog

    return ErrorDialog(Conflict(code="conflict"), retry=lambda: None)


@opens("ConfirmDialog")
async def _confirm(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ConfirmDialog

    return ConfirmDialog("Pytanie", "Na pewno?", "Tak")


@opens("PasswordConfirmDialog")
async def _password_confirm(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import PasswordConfirmDialog

    return PasswordConfirmDialog("Zastrzeż dostęp", "Na pewno?", "Zastrzeż", danger=True)


@opens("TextDialog")
async def _text(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import TextDialog

    return TextDialog("Regulamin", "§1. " * 200)


@opens("ChoiceDialog")
async def _choice(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ChoiceDialog

    return ChoiceDialog("Wybierz", [("a", "Pierwsza"), ("b", "Druga")])


@opens("RequestForm")
async def _request(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.request_form import RequestForm

    return RequestForm()


@opens("ReadingForm")
async def _reading(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.reading_form import ReadingForm

    return ReadingForm()


@opens("InvoiceDialog")
async def _invoice(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.invoice_detail import InvoiceDialog

    return InvoiceDialog((await backend.invoices())[0])


@opens("PaymentDialog")
async def _payment(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.customer.payment import PaymentDialog

    return PaymentDialog(await backend.payment_details())


@opens("EInvoiceDialog")
async def _e_invoice(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.consents import EInvoiceDialog

    return EInvoiceDialog((await backend.profile()).customer)


@opens("KeysHelpDialog")
async def _keys_help(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import TextDialog
    from ibok_tui.screens.forms.keys_help import KeysHelpDialog

    return KeysHelpDialog(TextDialog("x", "y"))


@opens("FilePickerDialog")
async def _file_picker(backend: LocalBackend, tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.file_picker import FilePickerDialog

    (tmp / "skan.pdf").write_bytes(b"%PDF-1.4")
    return FilePickerDialog("Wybierz skan", tmp)


@opens("ChangePasswordDialog")
async def _change_password(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.change_password import ChangePasswordDialog

    return ChangePasswordDialog()


@opens("PasswordResetDialog", role=None)
async def _reset(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.password_reset import PasswordResetDialog

    return PasswordResetDialog("100001")


@opens("RegisterScreen", role=None)
async def _register(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.register import RegisterScreen

    return RegisterScreen()


@opens("ReauthDialog")
async def _reauth(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.reauth import ReauthDialog

    return ReauthDialog("100001")


@opens("PinDialog", role=None)
async def _pin(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_kiosk import PinDialog

    return PinDialog()


@opens("ReasonDialog", role="operator")
async def _reason(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    return ReasonDialog("Zablokować konto?", "Konto 100001", "Zablokuj")


@opens("ReplyDialog", role="operator")
async def _reply(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import ReplyDialog

    return ReplyDialog((await backend.request_queue(include_closed=True))[0])


@opens("NoticeDialog", role="operator")
async def _notice(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import NoticeDialog

    return NoticeDialog(date(2026, 1, 15))


@opens("AuditDialog", role="operator")
async def _audit(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.audit import AuditDialog

    return AuditDialog(backend, "100001", "Jan Kowalski")


@opens("ContractEndDialog", role="operator")
async def _contract_end(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.contract_end import ContractEndDialog

    grace = await backend.contract_end_grace()
    return ContractEndDialog(backend, "100001", "Jan Kowalski", date(2026, 1, 15), grace)


@opens("TermsDialog", role="operator")
async def _terms(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.terms import TermsDialog

    return TermsDialog(backend)


@opens("PublishTermsDialog", role="operator")
async def _publish_terms(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.terms import PublishTermsDialog

    return PublishTermsDialog(backend, date(2026, 1, 15))


@opens("NoticesDialog")
async def _notices(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.notices import NoticesDialog

    profile = await backend.profile()
    return NoticesDialog(backend, profile.customer)


@opens("OutboxDialog")
async def _outbox(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.forms.outbox_dialog import OutboxDialog

    return OutboxDialog()


@opens("ActivateDialog", role=None)
async def _activate(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.account.activate import ActivateDialog

    return ActivateDialog()


@opens("ActivateRegistrationDialog", role="operator")
async def _activate_registration(backend: LocalBackend, _tmp: Path) -> Screen[Any]:
    from ibok_tui.screens.clerk.registration_check import ActivateRegistrationDialog

    pending = await backend.pending_registrations()
    return ActivateRegistrationDialog(pending[0])


async def sign_in(backend: LocalBackend, role: str | None) -> None:
    if role == "customer":
        await backend.login(*CUSTOMER)
    elif role == "operator":
        await backend.operator_login(*OPERATOR)
