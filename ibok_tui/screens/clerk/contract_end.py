"""The clerk records the end of a customer's supply contract: its last day; the account is
deactivated when the utility's grace period passes (Będzin §8.6: 24 hours; Warszawa II.7:
30 calendar days), and the customer is told at once. A refusal stays in the dialog with
what was typed."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...backends.base import Backend, Conflict, NotFound, ValidationFailed
from ...domain.models import ContractEnd, ContractEndGrace, GraceUnit
from ...i18n import _, day, n_
from ...i18n.problems import error_text
from ...widgets.forms import parse_day
from ..forms.dialogs import Dialog
from ..forms.workers import run_guarded
from .operator_dialogs import FORM_CSS


def grace_text(grace: ContractEndGrace) -> str:
    if grace.unit is GraceUnit.HOURS:
        return n_("{count} godzinę", "{count} godzin", grace.amount)
    return n_("{count} dzień kalendarzowy", "{count} dni kalendarzowych", grace.amount)


class ContractEndDialog(Dialog):
    """The contract's last day (today unless typed); dismisses with the recorded end."""

    DEFAULT_CSS = FORM_CSS + (
        "#contract-end-dialog { width: 76; } #contract-end-date { height: 1; }"
        " #ended-on { width: 14; }"
    )

    def __init__(
        self,
        backend: Backend,
        number: str,
        name: str,
        today: date,
        grace: ContractEndGrace,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.number = number
        self.name_ = name
        self.today = today
        self.grace = grace

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="contract-end-dialog"):
            yield Label(_("Zakończenie umowy na dostawę wody"), classes="title")
            yield Static(Text(f"{self.name_} ({self.number})"))
            yield Static(
                _(
                    "Konto iBOK zostanie wyłączone {grace} po zakończeniu umowy (ustawienie"
                    " wodociągów). Klient od razu zobaczy termin na Pulpicie, a jeśli się"
                    " zgodził, dostanie e-mail; do tego czasu pobierze wszystkie faktury."
                    " Potem jego dane kontaktowe, zgody i hasło zostaną usunięte, faktury"
                    " zostają.",
                    grace=grace_text(self.grace),
                ),
                id="contract-end-note",
            )
            with Horizontal(id="contract-end-date"):
                yield Label(_("Ostatni dzień umowy "))
                yield Input(day(self.today), id="ended-on", compact=True)
            yield Static(id="contract-end-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Zapisz (ctrl+s)"), id="record", variant="error")

    def action_record(self) -> None:
        error = self.query_one("#contract-end-error", Static)
        try:
            ended_on = parse_day(self.query_one("#ended-on", Input).value)
        except ValueError:
            ended_on = None
        if ended_on is None:
            error.update(_("Podaj datę w postaci dd.mm.rrrr."))
            self.query_one("#ended-on", Input).focus()
            return
        error.update("")
        chosen = ended_on

        async def record() -> None:
            self.dismiss(await self.backend.end_contract(self.number, chosen))

        run_guarded(self, record, group="contract-end", on_error=self._refused)

    def _refused(self, failure: BaseException) -> bool:
        """A refusal the clerk can act on stays here, with the date typed; others go to
        the app's error dialog."""
        if not isinstance(failure, ValidationFailed | Conflict | NotFound):
            return False
        self.query_one("#contract-end-error", Static).update(Text(error_text(failure)))
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "record":
            self.action_record()
        else:
            self.leave()


def recorded_text(end: ContractEnd) -> str:
    from ...i18n import moment

    return _(
        "Zapisano zakończenie umowy. Konto zostanie wyłączone {deadline}.",
        deadline=moment(end.deactivates_at),
    )
