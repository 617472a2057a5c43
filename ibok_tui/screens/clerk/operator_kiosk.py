"""The Textual side of kiosk mode (the policy is `ibok_tui/session/kiosk.py`): the
high-contrast theme, the PIN prompt, clearing every screen, and tabs that never write a
file (through the host's screen policy, `TabScreen.policy_takes`)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import Button, Input, Label

from ...domain.models import Invoice
from ...i18n import N_, _, day, label, money
from ...i18n.render import invoice_title
from ..forms.base import BlankScreen
from ..forms.dialogs import Dialog, TextDialog
from ..forms.invoice_detail import invoice_table

KIOSK_THEME = Theme(
    name="ibok-kontrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#262626",
    boost="#333333",
    success="#00ff00",
    warning="#ffaf00",
    error="#ff5f5f",
    dark=True,
    luminosity_spread=0.25,
    text_alpha=1.0,
)
REFUSED = N_("W kiosku nie zapisujemy plików na dysku ani nie kopiujemy danych.")


class Policy(Protocol):
    def allows_screen_action(self, action: str) -> bool: ...


def register_theme(app: App[Any]) -> None:
    app.register_theme(KIOSK_THEME)
    app.theme = KIOSK_THEME.name


class PinDialog(Dialog):
    """The operator PIN that lets a kiosk close; dismisses with what was typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_dialog", "Anuluj", id="pin.cancel")
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pin-dialog"):
            yield Label(_("Zamknięcie kiosku"), classes="title")
            yield Label(_("PIN pracownika"))
            yield Input(id="pin", password=True, compact=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Zamknij kiosk"), id="leave", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.query_one("#pin", Input).value if event.button.id == "leave" else None)


def invoice_text(invoice: Invoice, width: int = 62) -> Text:
    """The invoice as plain text: what its PDF says, for a kiosk that saves no file."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row(_("Rodzaj"), label(invoice.kind))
    facts.add_row(_("Status"), label(invoice.status))
    facts.add_row(_("Wystawiona"), day(invoice.issue_date))
    facts.add_row(_("Sprzedaż"), day(invoice.sale_date))
    facts.add_row(_("Okres"), f"{day(invoice.period_from)}–{day(invoice.period_to)}")
    facts.add_row(_("Termin płatności"), day(invoice.due_date))
    facts.add_row(_("Zapłacono"), money(invoice.paid))
    facts.add_row(_("Do zapłaty"), money(invoice.to_pay))
    if invoice.corrects:
        facts.add_row(_("Koryguje"), Text(invoice.corrects))
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(Group(facts, Text(""), invoice_table(invoice)))
    return Text(console.export_text().rstrip())


def take_screen_action(screen: Screen[Any], action: str, policy: Policy) -> bool:
    """A tab's file or clipboard action as it starts (`TabScreen.policy_takes`): refused
    with a note, or an invoice's PDF shown as text. True when the tab must not go on."""
    app = screen.app
    if not policy.allows_screen_action(action):
        app.notify(_(REFUSED), severity="warning")
        return True
    if action == "pdf" and hasattr(screen, "selected"):
        _invoice_as_text(app, screen)
        return True
    return False


def _invoice_as_text(app: App[Any], screen: Any) -> None:
    number = screen.selected()
    if number is None:
        return

    def show(invoice: Invoice) -> None:
        app.push_screen(
            TextDialog(invoice_title(invoice.kind.value, invoice.number), invoice_text(invoice))
        )

    screen.call(lambda: screen.backend.invoice(number), show, group="pdf")


def login_is_blank(app: App[Any]) -> bool:
    """Nothing typed and nothing open over the login screen."""
    if app.current_mode != "login" or len(app.screen_stack) > 1:
        return False
    return all(not field.value for field in app.screen.query(Input))


async def wipe_screens(app: App[Any], login_screen: Callable[[], Screen[Any]]) -> None:
    """Close every screen and start a fresh login screen: nothing of a customer remains."""
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    if app.current_mode != "login":
        await app.switch_mode("login")
    app.add_mode("kiosk-blank", BlankScreen)
    await app.switch_mode("kiosk-blank")
    await app.remove_mode("login")
    app.add_mode("login", login_screen)
    await app.switch_mode("login")
    await app.remove_mode("kiosk-blank")
    app.clear_notifications()
    app.copy_to_clipboard("")
