"""Ustawienia: password, e-invoice and notifications (the channels and the notices sent),
blocking access, terminating the e-service agreement, exporting one's data, language and theme."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select, Static

from ...domain.changes import Change
from ...i18n import N_, _, get_language
from ..forms.base import TabScreen

LANGUAGE_NAMES = (("Polski", "pl"), ("English", "en"))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class SettingsScreen(TabScreen):
    """Ustawienia: hasło, zgody, zastrzeżenie dostępu, rozwiązanie umowy, eksport, język."""

    TAB_ID = "ustawienia"
    TAB_TITLE = N_("Ustawienia")
    NEEDS_SERVER = frozenset({"change_password", "consents", "export"})
    SHOWS = frozenset({Change.ACCOUNT})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "change_password", "Zmień hasło", id="ustawienia.password"),
        Binding("g", "consents", "Zgody i e-faktura", id="ustawienia.consents"),
        Binding("x", "export", "Eksport moich danych", id="ustawienia.export"),
        Binding("p", "notices", "Powiadomienia", id="ustawienia.notices"),
    ]
    DEFAULT_CSS = """
    SettingsScreen #settings-body { padding: 0 2; }
    SettingsScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    SettingsScreen .row { height: auto; }
    SettingsScreen .row Button { margin-right: 2; }
    SettingsScreen Select { width: 40; }
    """

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="settings-body"):
            yield Label(_("Konto"), classes="section")
            with Horizontal(classes="row"):
                yield Button(_("Zmień hasło"), id="change-password")
                yield Button(_("Zgody i e-faktura"), id="consents")
                yield Button(_("Eksport moich danych (JSON)"), id="export")
            with Horizontal(classes="row"):
                yield Button(_("Powiadomienia: kanały i wysłane"), id="notices")
            yield Label(_("Wygląd"), classes="section")
            yield Label(_("Język"))
            yield Select(
                LANGUAGE_NAMES, value=get_language(), allow_blank=False, id="language", compact=True
            )
            yield Label(_("Motyw"))
            themes = sorted(self.app.available_themes)
            yield Select(
                [(name, name) for name in themes],
                value=self.app.theme if self.app.theme in themes else Select.BLANK,
                allow_blank=False,
                id="theme",
                compact=True,
            )
            yield Label(_("Zastrzeżenie i rezygnacja"), classes="section")
            yield Static(
                Text(
                    _(
                        "Zastrzeżenie blokuje dostęp do konta; odblokuje je tylko BOK. "
                        "Rozwiązanie umowy usuwa konto iBOK; dokumenty rozliczeniowe zostają."
                    ),
                    style="dim",
                )
            )
            with Horizontal(classes="row"):
                yield Button(_("Zastrzeż dostęp"), id="block", variant="warning")
                yield Button(_("Rozwiąż umowę iBOK"), id="terminate", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "change-password": self.action_change_password,
            "consents": self.action_consents,
            "export": self.action_export,
            "notices": self.action_notices,
            "block": self.block,
            "terminate": self.terminate,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    async def on_select_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        if event.select.id == "language" and event.value != get_language():
            # on the app's queue: the switch makes this screen again, which cannot wait
            # for its own handler to end
            self.app.call_later(self.host.change_language, event.value)
        elif event.select.id == "theme" and event.value != self.app.theme:
            self.host.change_theme(event.value)

    def action_change_password(self) -> None:
        from ..account.change_password import ChangePasswordDialog

        self.app.push_screen(ChangePasswordDialog())

    def action_consents(self) -> None:
        from ..account.consents import EInvoiceDialog

        self.call(
            self.backend.profile,
            lambda profile: self.app.push_screen(EInvoiceDialog(profile.customer)),
            group="consents",
        )

    def action_notices(self) -> None:
        from ..account.notices import NoticesDialog

        self.call(
            self.backend.profile,
            lambda profile: self.app.push_screen(NoticesDialog(self.backend, profile.customer)),
            group="notices",
        )

    def action_export(self) -> None:
        if self.policy_takes("export"):
            return

        def done(data: dict[str, Any]) -> None:
            from ...widgets.tables import save_bytes

            session = self.backend.session
            number = session.subject if session else "klient"
            content = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
            folder = self.host.downloads_dir
            path = save_bytes(folder, f"ibok-dane-{number}.json", content.encode("utf-8"))
            self.notify(str(path), title=_("Zapisano moje dane"), markup=False)

        self.call(self.backend.export_data, done, group="export")

    def block(self) -> None:
        """Block access with the password; a wrong one is said in the dialog, which stays."""
        from ..forms.dialogs import PasswordConfirmDialog

        backend = self.backend

        def blocked(password: str | None) -> None:
            if password:
                self._signed_out(None)

        dialog = PasswordConfirmDialog(
            _("Zastrzeż dostęp"),
            _("Po zastrzeżeniu nie zalogujesz się, dopóki BOK nie odblokuje konta. Kontynuować?"),
            _("Zastrzeż"),
            danger=True,
        ).send_with(backend.block_access)
        self.app.push_screen(dialog, blocked)

    def terminate(self) -> None:
        from ..account.terminate import confirm_terminate

        confirm_terminate(self, self.backend, lambda: self._signed_out(None))

    def _signed_out(self, _result: object) -> None:
        self.notify(_("Konto zamknięte. Wylogowano."))
        self.host.logout()
