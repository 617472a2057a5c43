"""Zapłać: the transfer details, the payment QR code and the online-payment link."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from ...domain.models import PaymentDetails
from ...domain.payments import format_nrb
from ...i18n import _, money
from ...widgets.qr import QrCode
from ..forms.dialogs import Dialog


class PaymentDialog(Dialog):
    # The QR code (at most 45×23 cells with its quiet zone, drawing.py) stays whole at
    # 80×24: on a short terminal the frame loses its border and padding, the title sits
    # above the facts beside the code, and the one-row buttons take the last row.
    DEFAULT_CSS = """
    PaymentDialog #payment-dialog { width: 110; }
    PaymentDialog #payment-body { height: auto; }
    PaymentDialog #payment-facts { width: 1fr; height: auto; padding-right: 2; }
    PaymentDialog #payment-facts .title { margin-bottom: 1; }
    PaymentDialog QrCode { width: auto; }
    PaymentDialog.-short #payment-dialog { border: none; padding: 0; }
    PaymentDialog.-short #payment-facts { padding: 0 1; }
    PaymentDialog.-short #payment-facts .title { margin-bottom: 0; }
    """

    def __init__(self, details: PaymentDetails) -> None:
        super().__init__()
        self.details = details

    def compose(self) -> ComposeResult:
        details = self.details
        facts = Table.grid(padding=(0, 1))
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_row(_("Odbiorca"), Text(details.recipient))
        facts.add_row(_("Adres"), Text(details.recipient_address))
        facts.add_row(_("Numer konta"), Text(format_nrb(details.account), style="bold"))
        facts.add_row(_("Tytuł"), Text(details.title))
        facts.add_row(_("Kwota"), Text(money(details.amount), style="bold"))
        if details.online_url:
            facts.add_row(_("Płatność online"), Text(details.online_url, style="underline"))
        with Vertical(classes="dialog", id="payment-dialog"):
            with Horizontal(id="payment-body"):
                with Vertical(id="payment-facts"):
                    yield Label(_("Zapłać przelewem"), classes="title")
                    yield Static(facts)
                    yield Static(
                        Text(
                            _(
                                "Zeskanuj kod aplikacją banku (kod płatności ZBP) "
                                "albo przepisz dane przelewu."
                            ),
                            style="dim",
                        )
                    )
                if details.qr_payload:
                    yield QrCode(details.qr_payload, id="payment-qr")
            with Horizontal(classes="buttons"):
                yield Button(_("Kopiuj numer konta"), id="copy-account")
                if details.online_url:
                    yield Button(_("Kopiuj link płatności"), id="copy-link")
                yield Button(_("Zamknij"), id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy-account":
            self.app.copy_to_clipboard(self.details.account)
            self.notify(_("Skopiowano numer konta."))
        elif event.button.id == "copy-link":
            self.app.copy_to_clipboard(self.details.online_url)
            self.notify(_("Skopiowano link."))
        else:
            self.leave()
