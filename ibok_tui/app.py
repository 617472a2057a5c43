"""IbokApp: the console. One mode per tab, the global keys, the command palette and the
settings; the session's life cycle (sign in, resume from the keyring, an expired session
asked again, logout) and the handling of failures are `SessionApp`'s (app_session.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakSet

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from .app_session import SessionApp
from .config import Config, with_settings
from .credentials import CredentialStore
from .i18n import _, set_language
from .quiet_gc import QuietCollector
from .screens.clerk.operator_desk import DESK_BINDINGS
from .tabs import TABS, nav_binding, tab_key, tab_screen_class
from .widgets.bindings import translate_bindings
from .widgets.header import SessionHeader
from .widgets.literal import LiteralNotifications
from .widgets.textual_internals import ConsolePalette, guard_terminal, translated_commands

if TYPE_CHECKING:
    # the models and the protocol are not needed for the first frame: imported by the
    # backend on its worker thread (start-up time)
    from .backends.base import Backend
    from .domain.models import Dashboard, Profile
    from .kiosk import KioskPolicy


class IbokApp(LiteralNotifications, SessionApp):
    TITLE = "iBOK"
    CSS = """
    LoadingIndicator { height: 3; }
    .muted { color: $text-muted; }
    """
    DEFAULT_MODE = "login"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[nav_binding(key, mode, title) for key, mode, title, _m, _c in TABS],
        Binding("f1", "keys_help", "Pomoc do ekranu", id="app.keys_help"),
        Binding("w", "choose_property", "Zmień posesję", id="app.property", show=False),
        Binding("ctrl+x", "logout", "Wyloguj", id="app.logout"),
        Binding("ctrl+q", "quit", "Wyjście", id="app.quit", priority=True),
        # Textual's own would say "palette" in every language
        Binding("ctrl+p", "command_palette", "Paleta", id="app.palette", show=False, priority=True),
        *DESK_BINDINGS,
    ]

    def __init__(
        self,
        backend: Backend,
        *,
        config: Config | None = None,
        config_file: Path | None = None,
        profile: str = "default",
        credentials: CredentialStore | None = None,
        demo: bool = False,
        downloads_dir: Path | None = None,
        opener: Callable[[Path], Any] | None = None,
        prefill_customer: str = "",
        kiosk: KioskPolicy | None = None,
    ) -> None:
        self.config = config or Config()
        self.config_file = config_file
        set_language(self.config.settings.language)
        # A remembered session opens on Pulpit at once and resumes behind it; the login
        # screen is drawn only if resuming fails (start-up time).
        self.resuming = bool(
            credentials is not None
            and kiosk is None
            and backend.session is None
            and self.config.remembered.get(profile)
        )
        if self.resuming:  # Textual reads the first mode from this in App.__init__
            self.DEFAULT_MODE = "pulpit"  # type: ignore[misc]
        super().__init__()
        guard_terminal(self)  # no control sequence from data reaches the terminal
        translate_bindings(self)
        if self.config.keys:  # the user's `[keys]`, checked by the CLI (keymap.py)
            self.set_keymap(dict(self.config.keys))
        self.backend = backend
        self.profile_name = profile
        self.credentials = credentials
        self.demo = demo
        self.downloads_dir = downloads_dir
        self.opener = opener
        self.prefill_customer = prefill_customer
        self.kiosk = kiosk  # a shared terminal (kiosk.py): nothing remembered, idle logout
        self.desk: Any = None  # the clerk serving a customer (screens/clerk/operator_desk.py)
        if kiosk is not None:
            self.credentials = None
            self.prefill_customer = ""
        self.dashboard_data: Dashboard | None = None
        self.profile_data: Profile | None = None
        self._reauth_retries: list[Callable[[], Any]] = []
        self._keyring_ok: bool | None = None
        self._css_fresh_at = -1  # the CSS update count the stylesheet was last refreshed at
        self.first_frame_shown = False
        self.quiet_gc = QuietCollector()  # full collections when the user is quiet
        self._tab_screens = WeakSet()
        self.add_mode("login", self.make_login_screen)
        for _key, mode, _title, _module, _name in TABS:
            self.add_mode(mode, partial(self._make_tab, mode))
        if self.config.settings.theme in self.available_themes:
            self.theme = self.config.settings.theme

    # --- what screens use ---------------------------------------------------------------
    def header_factory(self) -> SessionHeader:
        if self.desk is not None and self.desk.serving:
            return self.desk.banner()
        return SessionHeader()

    def open_file(self, path: Path) -> None:
        """Open a downloaded file with the system's viewer."""
        if self.opener is not None:
            self.opener(path)
            return
        import subprocess
        import sys

        command = ["open", str(path)] if sys.platform == "darwin" else ["xdg-open", str(path)]
        try:
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            self.notify(_("Nie udało się otworzyć pliku: {path}", path=str(path)), markup=False)

    def tab_classes(self) -> list[tuple[str, str, type[Screen[Any]]]]:
        """(key, title, screen class) of every tab, for Pomoc."""
        return [
            (tab_key(key, mode, self.config.keys), title, tab_screen_class(mode))
            for key, mode, title, _m, _c in TABS
        ]

    # --- keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.kiosk is not None and not self.kiosk.allows_app_action(action):
            return False
        if action == "desk":
            serving = self.desk is not None and self.desk.serving
            return serving and not isinstance(self.screen, ModalScreen)
        if action in ("switch_tab", "choose_property", "logout", "keys_help"):
            if action == "keys_help":
                return True
            session = self.backend.session
            if session is None:
                return False
            from .domain.models import Role

            if session.role is not Role.CUSTOMER:
                return action == "logout"
            if isinstance(self.screen, ModalScreen):
                return False
            if action == "choose_property":
                return self.profile_data is not None and len(self.profile_data.properties) > 1
        return True

    async def action_desk(self, what: str) -> None:
        if self.desk is not None:
            await self.desk.run(self, what)

    async def action_quit(self) -> None:
        if self.kiosk is not None:  # leaving a kiosk needs a signal or the operator PIN
            self.kiosk.ask_to_leave(self)
            return
        await super().action_quit()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.quiet_gc.touch()
            if self.kiosk is not None:
                self.kiosk.touch()
        await super().on_event(event)

    async def action_switch_tab(self, mode: str) -> None:
        await self.switch_mode(mode)
        self.header_state = self._header_state()

    def action_keys_help(self) -> None:
        from .screens.forms.keys_help import KeysHelpDialog

        if not isinstance(self.screen, ModalScreen):
            self.push_screen(KeysHelpDialog(self.screen))

    def action_choose_property(self) -> None:
        from .screens.forms.dialogs import ChoiceDialog

        if self.profile_data is None:
            return
        options = [("*", _("Wszystkie posesje"))] + [
            (p.id, f"{p.label}: {p.address.one_line()}") for p in self.profile_data.properties
        ]

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self.selected_property = None if choice == "*" else choice

        self.push_screen(ChoiceDialog(_("Wybierz posesję"), options), chosen)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key as a "category: action" command, then Textual's own."""
        from .screens.forms.keys_help import binding_commands

        yield from binding_commands(self, screen)
        for language, name in (("pl", "polski"), ("en", "English")):
            if language != self.config.settings.language:

                async def switch(language: str = language) -> None:
                    await self.change_language(language)

                title = _("Ustawienia: język: {name}", name=name)
                yield SystemCommand(title, _("Język konsoli (też w Ustawieniach)"), switch)
        commands = super().get_system_commands(screen)
        allowed = commands if self.kiosk is None else self.kiosk.system_commands(commands)
        yield from translated_commands(allowed)

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the console's language."""
        if self.use_command_palette and not isinstance(self.screen, ConsolePalette):
            self.push_screen(ConsolePalette())

    # --- settings -------------------------------------------------------------------------
    def save_settings(self, **changes: str) -> None:
        self.config = with_settings(self.config, **changes)
        self._write_config()

    async def change_language(self, language: str) -> None:
        set_language(language)
        self.save_settings(language=language)
        translate_bindings(self)
        # Every tab is made again in the new language, the one in front too: composing a
        # tab again in place would skip what its on_mount set up (a table's columns).
        await self.reset_tabs(to_login=False, rebuild_current=True)
        if self.current_mode not in self.tab_modes():  # the login or the clerk's screen
            screen = self.screen
            translate_bindings(screen)
            await screen.recompose()
        self.header_state = self._header_state()
        self.refresh_bindings()

    def change_theme(self, theme: str) -> None:
        self.theme = theme
        self.save_settings(theme=theme)

    async def on_unmount(self) -> None:
        self.quiet_gc.stop()
        await self.backend.close()
