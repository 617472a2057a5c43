"""Every dialog of the console (every subclass of `Dialog` under ibok_tui/screens) and how a
test opens each one over the demo portal: one catalogue for the tests of their keys and
focus (test_dialog_keys.py), of small screens (test_dialogs_small.py) and the snapshots
(test_dialog_snapshots.py).

A new dialog fails `test_every_dialog_is_in_the_catalogue` until it has an entry here, so
that its keys, its focus and its look at 80×24 are tested, not those of a chosen few. The
entries show what makes a dialog long (a 10,000-character request, the invoice with the
most lines, 30 choices): what fits at 80×24 with them fits with less."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from textual.app import App
from textual.screen import Screen

import ibok_tui.screens
from ibok_tui.backends.local import LocalBackend
from ibok_tui.domain.errors import FieldError, ValidationFailed
from ibok_tui.domain.models import RequestCategory, RequestStatus, ServiceRequest
from ibok_tui.screens.forms.dialogs import Dialog

OPERATOR = ("bok.anna", "Operator!2026a")
CUSTOMER = ("100001", "Woda!Kowalski1")
TODAY = date(2026, 11, 30)
LONG_BODY = ("Woda cieknie spod wodomierza w piwnicy od tygodnia. " * 200)[:10_000]


@dataclass
class Place:
    """Where a dialog opens: the app it opens in, the backend its tab would have (signed in
    as the entry's role, or the customer's), a folder for files, and a clerk's backend on
    the same portal for the clerk's dialogs."""

    app: App[Any]
    backend: LocalBackend
    folder: Path
    office: Callable[[], Awaitable[LocalBackend]]


Opener = Callable[[Place], Awaitable[Screen[Any]]]


class Entry(NamedTuple):
    dialog: str  # the class's name
    role: str | None  # signed in as "customer", "operator" or nobody (the keys tests)
    open: Opener


DIALOGS: dict[str, Entry] = {}
"""By the name a test id carries (the snapshots' file names): how to open each dialog."""


def opens(name: str, dialog: str, role: str | None = "customer") -> Callable[[Opener], Opener]:
    def register(opener: Opener) -> Opener:
        DIALOGS[name] = Entry(dialog, role, opener)
        return opener

    return register


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


async def sign_in(backend: LocalBackend, role: str | None) -> None:
    if role == "customer":
        await backend.login(*CUSTOMER)
    elif role == "operator":
        await backend.operator_login(*OPERATOR)


def long_request() -> ServiceRequest:
    return ServiceRequest(
        id="r-long",
        number="ZGL/2026/0099",
        customer_number="100001",
        category=RequestCategory.FAILURE,
        subject="Wyciek przy wodomierzu",
        body=LONG_BODY,
        status=RequestStatus.NEW,
        created_at=datetime(2026, 11, 20, 9, 0),
        due_date=date(2026, 12, 4),
    )


# --- forms/dialogs.py: the small ones --------------------------------------------------


@opens("error", "ErrorDialog")
async def _error(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ErrorDialog

    problem = ValidationFailed([FieldError("subject", "required"), FieldError("body", "long")])
    return ErrorDialog(problem, retry=lambda: None)


@opens("confirm", "ConfirmDialog")
async def _confirm(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ConfirmDialog

    return ConfirmDialog("Wylogować?", "Zakończyć sesję w iBOK?", "Wyloguj")


@opens("password_confirm", "PasswordConfirmDialog")
async def _password_confirm(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import PasswordConfirmDialog

    return PasswordConfirmDialog(
        "Zablokuj dostęp", "Dostęp do iBOK zostanie zablokowany.", "Zablokuj", danger=True
    )


@opens("text", "TextDialog")
async def _text(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import TextDialog

    terms = await place.backend.terms()
    return TextDialog("Regulamin", terms.text)


@opens("choice", "ChoiceDialog")
async def _choice(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ChoiceDialog

    return ChoiceDialog("Wybierz posesję", [(str(i), f"Posesja {i}") for i in range(30)])


# --- the customer's --------------------------------------------------------------------


@opens("payment", "PaymentDialog")
async def _payment(place: Place) -> Screen[Any]:
    from ibok_tui.screens.customer.payment import PaymentDialog

    return PaymentDialog(await place.backend.payment_details())


@opens("invoice", "InvoiceDialog")
async def _invoice(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.invoice_detail import InvoiceDialog

    invoices = await place.backend.invoices()
    longest = max(invoices, key=lambda i: (len(i.lines), i.to_pay > 0))
    return InvoiceDialog(await place.backend.invoice(longest.number))


@opens("request_form", "RequestForm")
async def _request_form(place: Place) -> Screen[Any]:
    from ibok_tui.domain.models import RequestDraft
    from ibok_tui.screens.forms.request_form import RequestForm

    draft = RequestDraft(RequestCategory.COMPLAINT, "Zawyżony odczyt", LONG_BODY)
    return RequestForm(backend=place.backend, draft=draft)


@opens("reading_form", "ReadingForm")
async def _reading_form(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.reading_form import ReadingForm

    meters = await place.backend.meters()
    return ReadingForm(meter_id=meters[0].id, backend=place.backend)


@opens("reading_confirm", "ConfirmDialog")
async def _reading_withdraw(place: Place) -> Screen[Any]:
    """The question Odczyty asks before a submitted reading is withdrawn (Del)."""
    from ibok_tui.screens.customer.readings import withdraw_question

    readings = await place.backend.readings((await place.backend.meters())[0].id)
    return withdraw_question(readings[0])


@opens("outbox", "OutboxDialog")
async def _outbox(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.outbox_dialog import OutboxDialog

    return OutboxDialog()


@opens("keys_help", "KeysHelpDialog")
async def _keys_help(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.keys_help import KeysHelpDialog

    return KeysHelpDialog(place.app.screen)


@opens("file_picker", "FilePickerDialog")
async def _file_picker(place: Place) -> Screen[Any]:
    from ibok_tui.screens.forms.file_picker import FilePickerDialog

    folder = place.folder / "skany"
    folder.mkdir(exist_ok=True)
    for name in ("umowa.pdf", "skan-1.jpg", "skan-2.jpg"):
        (folder / name).write_bytes(b"%PDF-1.4")
    return FilePickerDialog("Wybierz skan umowy", folder)


@opens("consents", "EInvoiceDialog")
async def _consents(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.consents import EInvoiceDialog

    return EInvoiceDialog((await place.backend.profile()).customer)


@opens("notices", "NoticesDialog")
async def _notices(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.notices import NoticesDialog

    return NoticesDialog(place.backend, (await place.backend.profile()).customer)


@opens("new_terms", "NewTermsScreen")
async def _new_terms(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.new_terms import NewTermsScreen

    return NewTermsScreen(await place.backend.terms_status())


# --- the account's: sign-up, passwords -------------------------------------------------


@opens("register", "RegisterScreen", role=None)
async def _register(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.register import RegisterScreen

    return RegisterScreen()


@opens("activate", "ActivateDialog", role=None)
async def _activate(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.activate import ActivateDialog

    return ActivateDialog()


@opens("password_reset", "PasswordResetDialog", role=None)
async def _password_reset(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.password_reset import PasswordResetDialog

    return PasswordResetDialog("100001")


@opens("change_password", "ChangePasswordDialog")
async def _change_password(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.change_password import ChangePasswordDialog

    return ChangePasswordDialog(forced=True)


@opens("reauth", "ReauthDialog")
async def _reauth(place: Place) -> Screen[Any]:
    from ibok_tui.screens.account.reauth import ReauthDialog

    return ReauthDialog("100001")


# --- the clerk's -----------------------------------------------------------------------


@opens("reason", "ReasonDialog", role="operator")
async def _reason(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    return ReasonDialog("Zablokuj konto 100001", "Klient nie zaloguje się do iBOK.", "Zablokuj")


@opens("reply", "ReplyDialog", role="operator")
async def _reply(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import ReplyDialog

    return ReplyDialog(long_request())


@opens("notice", "NoticeDialog", role="operator")
async def _notice(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import NoticeDialog

    return NoticeDialog(TODAY)


@opens("contract_end", "ContractEndDialog", role="operator")
async def _contract_end(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.contract_end import ContractEndDialog

    office = await place.office()
    grace = await office.contract_end_grace()
    return ContractEndDialog(office, "100001", "Jan Kowalski", TODAY, grace)


@opens("pin", "PinDialog", role=None)
async def _pin(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_kiosk import PinDialog

    return PinDialog()


@opens("terms_admin", "TermsDialog", role="operator")
async def _terms_admin(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.terms import TermsDialog

    return TermsDialog(await place.office())


@opens("publish_terms", "PublishTermsDialog", role="operator")
async def _publish_terms(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.terms import PublishTermsDialog

    return PublishTermsDialog(await place.office(), TODAY)


@opens("audit", "AuditDialog", role="operator")
async def _audit(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.audit import AuditDialog

    return AuditDialog(await place.office(), "100001", "Jan Kowalski")


@opens("activate_registration", "ActivateRegistrationDialog", role="operator")
async def _activate_registration(place: Place) -> Screen[Any]:
    from ibok_tui.screens.clerk.registration_check import ActivateRegistrationDialog

    pending = await (await place.office()).pending_registrations()
    return ActivateRegistrationDialog(pending[0])
