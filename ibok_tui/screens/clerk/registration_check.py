"""The clerk's check before activating a registration by hand: what the registrant gave
(name, last invoice number, e-mail) beside what the utility has, the mismatches marked,
and a question before the account is activated."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from ...domain.models import PendingRegistration
from ...domain.registration import registration_checks
from ...i18n import N_, _
from ...widgets.literal import literal
from ..forms.dialogs import Dialog

FIELD_NAMES = {
    "name": N_("Imię i nazwisko / nazwa"),
    "last_invoice": N_("Numer ostatniej faktury"),
    "email": N_("E-mail"),
}


def checks_table(pending: PendingRegistration) -> tuple[Table, int]:
    """The comparison and how many of its rows do not match."""
    table = Table(expand=True, show_edge=False)
    table.add_column("")
    # fold, never cut: the clerk compares every character (an e-mail cut short hides it)
    table.add_column(_("Podane przy rejestracji"), overflow="fold")
    table.add_column(_("W wodociągach"), overflow="fold")
    table.add_column("", no_wrap=True)
    mismatches = 0
    for check in registration_checks(pending):
        if check.matches is None:
            mark = Text(_("— brak danych"), style="dim")
        elif check.matches:
            mark = Text(_("✓ zgodne"), style="green")
        else:
            mark = Text(_("✗ niezgodne"), style="bold red")
            mismatches += 1
        table.add_row(
            _(FIELD_NAMES[check.field]),
            literal(check.given or "—"),
            literal(check.on_record or "—"),
            mark,
        )
    return table, mismatches


class ActivateRegistrationDialog(Dialog):
    """Dismisses with True when the clerk activates the account, else None."""

    DEFAULT_CSS = """
    ActivateRegistrationDialog #registration-check { width: 100; max-width: 98%; }
    ActivateRegistrationDialog #check-summary { height: auto; margin-top: 1; }
    """
    AUTO_FOCUS = "#cancel"  # Enter on a mismatch must not activate by habit

    def __init__(self, pending: PendingRegistration) -> None:
        super().__init__()
        self.pending = pending

    def compose(self) -> ComposeResult:
        table, mismatches = checks_table(self.pending)
        if mismatches:
            summary = Text(
                _(
                    "Niezgodności: {count}. Sprawdź je z klientem (telefon, dokument w BOK),"
                    " zanim aktywujesz konto, albo odrzuć rejestrację (x).",
                    count=mismatches,
                ),
                style="bold red",
            )
        else:
            summary = Text(_("Dane się zgadzają. Aktywować konto?"))
        with Vertical(classes="dialog", id="registration-check"):
            yield Label(
                Text(
                    _(
                        "Aktywacja konta {number}",
                        number=self.pending.customer_number,
                    )
                ),
                classes="title",
            )
            yield Static(table, id="check-table")
            yield Static(summary, id="check-summary")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(
                    _("Aktywuj mimo niezgodności") if mismatches else _("Aktywuj"),
                    id="activate",
                    variant="error" if mismatches else "primary",
                )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True if event.button.id == "activate" else None)
