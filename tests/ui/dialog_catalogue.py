"""Every dialog of the console, made over the test's demo portal: the small-screen tests
(test_dialogs_small.py) open each one at 80×24 (and 120×40, 75 rows) and the snapshot
tests draw them. A new dialog gets a line here, so that it is tried at 80×24 too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from textual.screen import Screen

from ibok_tui.app import IbokApp
from ibok_tui.backends.local import LocalBackend
from ibok_tui.domain.errors import FieldError, ValidationFailed
from ibok_tui.domain.models import (
    RequestCategory,
    RequestStatus,
    ServiceRequest,
)
from tests.ui.console_support import Console

Factory = Callable[[Console, IbokApp, LocalBackend], Awaitable[Screen[Any]]]

TODAY = date(2026, 11, 30)
LONG_BODY = ("Woda cieknie spod wodomierza w piwnicy od tygodnia. " * 200)[:10_000]


async def _operator(console: Console) -> LocalBackend:
    office = console.backend()
    await office.operator_login("bok.anna", "Operator!2026a")
    return office


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


async def error(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ErrorDialog

    problem = ValidationFailed([FieldError("subject", "required"), FieldError("body", "long")])
    return ErrorDialog(problem, retry=lambda: None)


async def confirm(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ConfirmDialog

    return ConfirmDialog("Wylogować?", "Zakończyć sesję w iBOK?", "Wyloguj")


async def password_confirm(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import PasswordConfirmDialog

    return PasswordConfirmDialog(
        "Zablokuj dostęp", "Dostęp do iBOK zostanie zablokowany.", "Zablokuj", danger=True
    )


async def text(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import TextDialog

    terms = await backend.terms()
    return TextDialog("Regulamin", terms.text)


async def choice(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.dialogs import ChoiceDialog

    return ChoiceDialog("Wybierz posesję", [(str(i), f"Posesja {i}") for i in range(30)])


async def payment(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.customer.payment import PaymentDialog

    return PaymentDialog(await backend.payment_details())


async def invoice(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.invoice_detail import InvoiceDialog

    invoices = await backend.invoices()
    longest = max(invoices, key=lambda i: (len(i.lines), i.to_pay > 0))
    return InvoiceDialog(await backend.invoice(longest.number))


async def request_form(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.domain.models import RequestDraft
    from ibok_tui.screens.forms.request_form import RequestForm

    draft = RequestDraft(RequestCategory.COMPLAINT, "Zawyżony odczyt", LONG_BODY)
    return RequestForm(backend=backend, draft=draft)


async def reading_form(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.reading_form import ReadingForm

    meters = await backend.meters()
    return ReadingForm(meter_id=meters[0].id, backend=backend)


async def reading_confirm(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.widgets.reading_confirm import ConfirmDialog

    return ConfirmDialog("Odczyt jest o 400 m³ wyższy niż zwykle. Wysłać mimo to?")


async def outbox(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.outbox_dialog import OutboxDialog

    return OutboxDialog()


async def keys_help(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.keys_help import KeysHelpDialog

    return KeysHelpDialog(app.screen)


async def file_picker(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.forms.file_picker import FilePickerDialog

    folder = console.folder / "skany"
    folder.mkdir(exist_ok=True)
    for name in ("umowa.pdf", "skan-1.jpg", "skan-2.jpg"):
        (folder / name).write_bytes(b"%PDF-1.4")
    return FilePickerDialog("Wybierz skan umowy", Path(folder))


async def register(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.account.register import RegisterScreen

    return RegisterScreen()


async def password_reset(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.account.password_reset import PasswordResetDialog

    return PasswordResetDialog("100001")


async def change_password(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.account.change_password import ChangePasswordDialog

    return ChangePasswordDialog(forced=True)


async def consents(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.account.consents import EInvoiceDialog

    return EInvoiceDialog((await backend.profile()).customer)


async def reauth(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.account.reauth import ReauthDialog

    return ReauthDialog("100001")


async def reason(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import ReasonDialog

    return ReasonDialog("Zablokuj konto 100001", "Klient nie zaloguje się do iBOK.", "Zablokuj")


async def reply(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import ReplyDialog

    return ReplyDialog(long_request())


async def notice(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_dialogs import NoticeDialog

    return NoticeDialog(TODAY)


async def contract_end(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.contract_end import ContractEndDialog

    office = await _operator(console)
    grace = await office.contract_end_grace()
    return ContractEndDialog(office, "100001", "Jan Kowalski", TODAY, grace)


async def pin(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.operator_kiosk import PinDialog

    return PinDialog()


async def terms_admin(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.terms import TermsDialog

    return TermsDialog(await _operator(console))


async def publish_terms(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.terms import PublishTermsDialog

    return PublishTermsDialog(await _operator(console), TODAY)


async def audit(console: Console, app: IbokApp, backend: LocalBackend) -> Screen[Any]:
    from ibok_tui.screens.clerk.audit import AuditDialog

    return AuditDialog(await _operator(console), "100001", "Jan Kowalski")


DIALOGS: dict[str, Factory] = {
    "error": error,
    "confirm": confirm,
    "password_confirm": password_confirm,
    "text": text,
    "choice": choice,
    "payment": payment,
    "invoice": invoice,
    "request_form": request_form,
    "reading_form": reading_form,
    "reading_confirm": reading_confirm,
    "outbox": outbox,
    "keys_help": keys_help,
    "file_picker": file_picker,
    "register": register,
    "password_reset": password_reset,
    "change_password": change_password,
    "consents": consents,
    "reauth": reauth,
    "reason": reason,
    "reply": reply,
    "notice": notice,
    "contract_end": contract_end,
    "pin": pin,
    "terms_admin": terms_admin,
    "publish_terms": publish_terms,
    "audit": audit,
}
