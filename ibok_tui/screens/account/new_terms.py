"""New terms at sign-in: what changed, from when, the whole text; accept them, or decline and
either terminate the agreement right there (Będzin §8.3) or sign out. Until accepted the
server refuses every other customer call (Będzin §1.5), so this screen is the only way on.

Dismisses with "accepted", "terminated", "declined" (the session then signs out) or
"stale" (a newer version came into force meanwhile: the gate shows that one)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from ...domain.models import TermsStatus
from ...host import Host, host_of
from ...i18n import _, day, moment
from ...widgets.literal import literal
from ..forms.dialogs import SEND_KEYS, Dialog
from ..forms.workers import guarded

ACCEPTED, TERMINATED, DECLINED = "accepted", "terminated", "declined"
STALE = "stale"  # another version came into force while this one was read: show that one


class NewTermsScreen(Dialog):
    """A dialog (screens/forms/dialogs.py) that fills the screen: its keys are every
    dialog's, ctrl+s (or Enter on the Akceptuję button) accepts, Esc declines. Modal, so
    no tab can be switched to behind it (the app's keys see a modal screen)."""

    AUTO_FOCUS = "#terms-full"
    DEFAULT_CSS = """
    NewTermsScreen { align: center top; background: $background; }
    NewTermsScreen > #new-terms { width: 100; height: 100%; max-height: 100%; }
    #new-terms .section { text-style: bold; margin-top: 1; }
    #terms-changes { height: auto; max-height: 8; border: round $secondary; padding: 0 1; }
    #terms-full { height: 1fr; min-height: 4; border: round $secondary; padding: 0 1; }
    #terms-full:focus, #terms-changes:focus { border: round $accent; }
    #terms-accepted { color: $text-muted; height: auto; }
    NewTermsScreen.-short #new-terms .section { margin-top: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [  # the dialog's own keys, with their names
        Binding("escape", "dismiss_dialog", "Nie akceptuję", id="terms.decline"),
        Binding("ctrl+s", "submit", "Akceptuję", id="terms.accept", priority=True, group=SEND_KEYS),
    ]

    def __init__(self, status: TermsStatus) -> None:
        super().__init__()
        self.status = status

    @property
    def host(self) -> Host:
        return host_of(self)

    def compose(self) -> ComposeResult:
        terms = self.status.in_force
        with Vertical(id="new-terms", classes="dialog"):
            yield Label(_("Nowy regulamin iBOK"), classes="title")
            yield Static(
                Text(
                    _(
                        "Od {date} obowiązuje nowa wersja regulaminu iBOK: {version}. Przeczytaj"
                        " ją i zaakceptuj, aby dalej korzystać z iBOK. Jeśli jej nie"
                        " akceptujesz, możesz rozwiązać umowę o świadczenie usług drogą"
                        " elektroniczną.",
                        date=day(terms.effective_from),
                        version=terms.version,
                    )
                ),
                id="terms-intro",
            )
            yield Label(_("Co się zmienia"), classes="section")
            with VerticalScroll(id="terms-changes"):
                yield Static(literal(terms.changes or _("(wodociągi nie opisały zmian)")))
            yield Label(_("Pełny tekst"), classes="section")
            with VerticalScroll(id="terms-full"):
                yield Static(literal(terms.text))
            yield Static(Text(self._accepted_note()), id="terms-accepted")
            with Horizontal(id="terms-buttons", classes="buttons"):
                yield Button(_("Nie akceptuję"), id="decline")
                yield Button(_("Akceptuję"), id="accept", variant="primary")

    def _accepted_note(self) -> str:
        status = self.status
        if status.accepted_version is None:
            return _("Nie zaakceptowano dotąd żadnej wersji regulaminu.")
        if status.accepted_at is None:
            return _("Zaakceptowana wersja: {version}.", version=status.accepted_version)
        return _(
            "Zaakceptowana wersja: {version} ({at}).",
            version=status.accepted_version,
            at=moment(status.accepted_at),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "accept":
            self.action_accept()
        elif event.button.id == "decline":
            self.action_decline()

    def action_dismiss_dialog(self) -> None:
        """Esc: not accepting asks what then (terminate, or sign out), as the button does."""
        self.action_decline()

    def action_accept(self) -> None:
        self.query_one("#accept", Button).disabled = True
        self._accept()

    @guarded("terms")
    async def _accept(self) -> None:
        from ...domain.errors import Conflict
        from ...i18n.problems import error_text

        try:
            await self.host.backend.accept_terms(self.status.in_force.version)
        except Conflict as stale:
            self.notify(error_text(stale), severity="warning", markup=False, timeout=10)
            self.dismiss(STALE)
            return
        except Exception:
            self.query_one("#accept", Button).disabled = False
            raise  # and the app says why
        self.dismiss(ACCEPTED)

    def action_decline(self) -> None:
        from ..forms.dialogs import ChoiceDialog

        def chosen(choice: str | None) -> None:
            if choice == "terminate":
                self._terminate()
            elif choice == "logout":
                self.dismiss(DECLINED)

        self.app.push_screen(
            ChoiceDialog(
                _("Bez akceptacji regulaminu nie można korzystać z iBOK"),
                [
                    ("back", _("Wróć do regulaminu")),
                    ("terminate", _("Rozwiąż umowę iBOK (usunięcie konta)")),
                    ("logout", _("Wyloguj się (zdecyduję później)")),
                ],
            ),
            chosen,
        )

    def _terminate(self) -> None:
        from .terminate import confirm_terminate

        confirm_terminate(
            self,
            self.host.backend,
            lambda: self.dismiss(TERMINATED),
            message=_(
                "Nie akceptujesz regulaminu {version}: umowa o świadczenie usług drogą"
                " elektroniczną zostanie rozwiązana, a konto iBOK usunięte. Dokumenty"
                " rozliczeniowe zostają. Tej operacji nie można cofnąć. Kontynuować?",
                version=self.status.in_force.version,
            ),
        )
