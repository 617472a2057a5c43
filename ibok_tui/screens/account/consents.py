"""Consents: the e-invoice (accept, change the e-mail, withdraw) and notifications."""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...domain.errors import IbokError, ValidationFailed
from ...domain.models import Consents, Customer
from ...host import host_of
from ...i18n import _
from ...i18n.problems import fields_text
from ..forms.dialogs import Dialog
from ..forms.workers import guarded


class EInvoiceDialog(Dialog):
    """Dismisses with the updated customer when saved."""

    def __init__(self, customer: Customer) -> None:
        super().__init__()
        self.customer = customer

    def compose(self) -> ComposeResult:
        consents = self.customer.consents
        with Vertical(classes="dialog", id="e-invoice-dialog"):
            yield Label(_("Zgody i powiadomienia"), classes="title")
            yield Checkbox(
                _("E-faktura: faktury tylko e-mailem, bez papieru"),
                consents.e_invoice,
                id="consent-e-invoice",
                compact=True,
            )
            yield Label(_("E-mail do e-faktur"))
            yield Input(
                consents.e_invoice_email or self.customer.email, id="consent-email", compact=True
            )
            yield Checkbox(
                _("Powiadomienia e-mail (awarie, prace, należności)"),
                consents.notify_email,
                id="consent-notify-email",
                compact=True,
            )
            yield Checkbox(
                _("Powiadomienia SMS"), consents.notify_sms, id="consent-notify-sms", compact=True
            )
            yield Checkbox(
                _("Informacje handlowe"), consents.marketing, id="consent-marketing", compact=True
            )
            yield Static(id="consent-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Zapisz"), id="save", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.save()
        else:
            self.leave()

    def consents(self) -> Consents:
        e_invoice = self.query_one("#consent-e-invoice", Checkbox).value
        return dataclasses.replace(
            self.customer.consents,
            e_invoice=e_invoice,
            e_invoice_email=self.query_one("#consent-email", Input).value.strip()
            if e_invoice
            else "",
            notify_email=self.query_one("#consent-notify-email", Checkbox).value,
            notify_sms=self.query_one("#consent-notify-sms", Checkbox).value,
            marketing=self.query_one("#consent-marketing", Checkbox).value,
        )

    @guarded("consents")
    async def save(self) -> None:
        backend = host_of(self).backend
        message = self.query_one("#consent-message", Static)
        try:
            customer = await backend.set_consents(self.consents())
        except ValidationFailed as error:
            message.update(Text(fields_text(error.errors), style="red"))
            return
        except IbokError as error:
            host_of(self).show_failure(error, retry=self.save)
            return
        self.notify(_("Zgody zapisane."))
        self.dismiss(customer)
