"""IbokApp: the console. One mode per tab, global keys, the session's life cycle (sign in,
resume from the keyring, an expired session asked again, logout) and error handling."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from .config import Config, save, with_remembered, with_settings
from .credentials import CredentialStore
from .i18n import _, set_language
from .quiet_gc import QuietCollector
from .screens.login import LoginScreen
from .screens.operator_desk import DESK_BINDINGS
from .tabs import KEY_LABELS, TABS, header_tabs, nav_binding, tab_screen_class
from .widgets.bindings import translate_bindings
from .widgets.header import HeaderState, SessionHeader

if TYPE_CHECKING:
    # the models and the protocol are not needed for the first frame: imported by the
    # backend on its worker thread (start-up time)
    from .backends.base import Backend
    from .domain.models import Dashboard, Profile, Session
    from .kiosk import KioskPolicy


class IbokApp(App[None]):
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
        Binding("ctrl+p", "command_palette", "Paleta", show=False, priority=True),
        *DESK_BINDINGS,
    ]

    header_state: reactive[HeaderState] = reactive(HeaderState(), always_update=True)
    selected_property: reactive[str | None] = reactive(None)

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
        translate_bindings(self)
        self.backend = backend
        self.profile_name = profile
        self.credentials = credentials
        self.demo = demo
        self.downloads_dir = downloads_dir
        self.opener = opener
        self.prefill_customer = prefill_customer
        self.kiosk = kiosk  # a shared terminal (kiosk.py): nothing remembered, idle logout
        self.desk: Any = None  # the clerk serving a customer (screens/operator_desk.py)
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

    def show_failure(self, error: BaseException, *, retry: Callable[[], Any] | None = None) -> None:
        """Show a failed backend call; an expired session asks for the password first."""
        from .domain.errors import AuthenticationRequired, PasswordChangeRequired

        if isinstance(error, PasswordChangeRequired):
            self.force_password_change()
            return
        if self.desk is not None and self.desk.handles_failure(self, error):
            return
        session = self.backend.session
        if isinstance(error, AuthenticationRequired) and self.signed_subject:
            if retry is not None:
                self._reauth_retries.append(retry)
            if not any(type(s).__name__ == "ReauthDialog" for s in self.screen_stack):
                from .domain.models import Role
                from .screens.reauth import ReauthDialog

                operator = session is not None and session.role is Role.OPERATOR
                self.push_screen(
                    ReauthDialog(self.signed_subject, operator=operator), self._after_reauth
                )
            return
        from .screens.dialogs import ErrorDialog

        self.push_screen(ErrorDialog(error, retry))

    def _after_reauth(self, signed_in: bool | None) -> None:
        retries, self._reauth_retries = self._reauth_retries, []
        if not signed_in:
            self.action_logout()
            return
        self.keep_session()
        for retry in retries:
            retry()

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

    # --- keyring ------------------------------------------------------------------------
    def remember_allowed(self) -> bool:
        return self.credentials is not None

    def keyring_available(self) -> bool:
        if self._keyring_ok is None:
            self._keyring_ok = self.credentials is not None and self.credentials.available()
        return self._keyring_ok

    @work(thread=True, exclusive=True, group="keyring", exit_on_error=False)
    def keep_session(self, password: str | None = None) -> None:
        """After a new sign-in or a password change: if the keyring remembers this customer,
        it keeps the new token (and the new password, if it kept the old one)."""
        session = self.backend.session
        if session is None or not self.keyring_available() or self.credentials is None:
            return
        remembered = self.credentials.load()
        if remembered is None or remembered.customer != session.subject:
            return
        if password is not None and remembered.password is not None:
            self.credentials.save(session.subject, password, session.token)
        else:
            self.credentials.save_token(session.subject, session.token)

    # --- the session's life cycle ---------------------------------------------------------
    @property
    def signed_subject(self) -> str:
        session = self.backend.session
        return session.subject if session is not None else ""

    async def on_mount(self) -> None:
        if self.kiosk is not None:
            self.kiosk.attach(self)
        if self.backend.session is not None:
            await self.enter_console()
        elif self.resuming:
            self.header_state = self._header_state()

    def on_ready(self) -> None:
        # Ready comes with the first layout; the refresh after it puts the first frame on
        # the terminal. Only then do the threads start (the backend's imports and store,
        # the keyring): running beside the first paint, they would hold it up.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.quiet_gc.start()  # the CLI held the collector back for the start (cli.py)
        self.set_interval(self.quiet_gc.interval, self.quiet_gc.tick, name="quiet-gc")
        self.first_frame_shown = True
        if isinstance(self.screen, LoginScreen):
            self.screen.check_keyring()
        self.prepare_backend()
        if self.resuming:
            self.resume_saved()

    @work(exclusive=True, group="prepare", exit_on_error=False)
    async def prepare_backend(self) -> None:
        try:
            await self.backend.prepare()
        except Exception as error:
            self.show_failure(error, retry=self.prepare_backend)

    @work(exclusive=True, group="session", exit_on_error=False)
    async def resume_saved(self) -> None:
        """Sign in with what the keyring remembers: the token, else the password.

        Runs behind Pulpit, which waits for the session; if nothing valid is remembered,
        the login screen takes its place."""
        import asyncio

        session = None
        remembered = None
        if await asyncio.to_thread(self.keyring_available):
            assert self.credentials is not None
            remembered = await asyncio.to_thread(self.credentials.load)
        if remembered is not None and remembered.token:
            try:
                session = await self.backend.resume(remembered.token)
            except Exception:
                session = None
        if session is None and remembered is not None and remembered.password:
            try:
                session = await self.backend.login(
                    remembered.customer, remembered.password, remember=True
                )
            except Exception:
                session = None
            else:
                assert self.credentials is not None
                await asyncio.to_thread(
                    self.credentials.save, remembered.customer, remembered.password, session.token
                )
        self.resuming = False
        if session is None:
            self._note_remembered(None)
            if remembered is not None:
                self.prefill_customer = remembered.customer
            await self.reset_tabs(to_login=True)
            self.notify(
                _("Nie udało się wznowić sesji: zaloguj się."), severity="warning", markup=False
            )
            return
        self.notify(_("Wznowiono sesję: {name}", name=session.name), markup=False)
        await self.enter_console()

    def _note_remembered(self, customer: str | None) -> None:
        """Whether the next start resumes this profile's session (config, no secret)."""
        if self.config.remembered.get(self.profile_name) != customer:
            self.config = with_remembered(self.config, self.profile_name, customer)
            self._write_config()

    async def signed_in(self, session: Session, password: str, *, remember: bool) -> None:
        """Called by the login screen after a successful sign-in."""
        from .domain.models import Role

        if session.role is Role.OPERATOR:
            if "operator" not in self._modes:
                from .screens.operator import OperatorScreen

                self.add_mode("operator", OperatorScreen)
            await self.switch_mode("operator")
            return
        if remember and self.credentials is not None:
            import asyncio

            await asyncio.to_thread(self.credentials.save, session.subject, password, session.token)
            self._note_remembered(session.subject)
        if session.must_change_password:
            self.force_password_change()
            return
        await self.enter_console()

    def force_password_change(self) -> None:
        from .screens.change_password import ChangePasswordDialog

        def done(new_password: str | None) -> None:
            if new_password is None:
                self.action_logout()
            else:
                self.call_later(self.enter_console)

        self.push_screen(ChangePasswordDialog(forced=True), done)

    async def enter_console(self) -> None:
        self.header_state = self._header_state()
        await self.switch_mode("pulpit")
        from .screens.base import TabScreen

        if isinstance(self.screen, TabScreen):  # Pulpit was shown while resuming
            self.screen.ensure_loaded()
        self.refresh_bindings()  # the keys a session allows (check_action)
        self.load_profile()

    @work(exclusive=True, group="profile", exit_on_error=False)
    async def load_profile(self) -> None:
        try:
            self.profile_data = await self.backend.profile()
        except Exception as error:
            self.show_failure(error, retry=self.load_profile)
            return
        properties = self.profile_data.properties
        if self.selected_property is None and len(properties) == 1:
            self.selected_property = properties[0].id
        self.header_state = self._header_state()

    def set_dashboard(self, dashboard: Dashboard) -> None:
        """Pulpit hands its data over: the header shows the name, date and balance."""
        self.dashboard_data = dashboard
        self.header_state = self._header_state()

    def _header_state(self) -> HeaderState:
        session = self.backend.session
        if session is not None:
            number = session.subject
        else:  # while a remembered session resumes, its customer's number
            number = self.config.remembered.get(self.profile_name, "") if self.resuming else ""
        dashboard, profile = self.dashboard_data, self.profile_data
        label = ""
        count = 0
        if profile is not None:
            count = len(profile.properties)
            chosen = [p for p in profile.properties if p.id == self.selected_property]
            label = chosen[0].label if chosen else _("wszystkie ({count})", count=count)
        return HeaderState(
            customer_name=dashboard.customer.name
            if dashboard
            else (session.name if session else ""),
            customer_number=number,
            property_label=label,
            property_count=count,
            data_as_of=dashboard.data_as_of if dashboard else None,
            balance=dashboard.balance.balance if dashboard else None,
            source=self.backend.label,
            tabs=header_tabs(),
        )

    def watch_selected_property(self) -> None:
        self.header_state = self._header_state()

    @work(exclusive=True, group="session", exit_on_error=False)
    async def action_logout(self) -> None:
        if self.desk is not None:
            await self.desk.close(self)
            self.desk = None
        subject = self.signed_subject
        try:
            await self.backend.logout()
        except Exception as error:
            self.notify(str(error), title=_("Wylogowanie"), severity="warning", markup=False)
        if subject and self.credentials is not None and self.keyring_available():
            import asyncio

            await asyncio.to_thread(self.credentials.forget_token, subject)
            self._note_remembered(None)
        await self.reset_tabs(to_login=True)
        if self.kiosk is not None:
            await self.kiosk.wipe(self)
        self.notify(_("Wylogowano."))

    async def reset_tabs(self, *, to_login: bool) -> None:
        """Forget every tab's screen (and the data on it); go to the login screen or stay."""
        keep = None if to_login else self.current_mode
        if to_login:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            await self.switch_mode("login")
            self.dashboard_data = None
            self.profile_data = None
            self.selected_property = None
            self.header_state = HeaderState()
        for _key, mode, _title, _module, _name in TABS:
            if mode != keep:
                await self.remove_mode(mode)
                self.add_mode(mode, partial(self._make_tab, mode))
        if "operator" in self._modes and self.current_mode != "operator":
            await self.remove_mode("operator")

    def tab_classes(self) -> list[tuple[str, str, type[Screen[Any]]]]:
        """(key, title, screen class) of every tab, for Pomoc."""
        return [
            (KEY_LABELS.get(key, key), title, tab_screen_class(mode))
            for key, mode, title, _m, _c in TABS
        ]

    def make_login_screen(self) -> Screen[Any]:
        return self._fresh(LoginScreen())

    def _make_tab(self, mode: str) -> Screen[Any]:
        screen = self._fresh(tab_screen_class(mode)())
        return self.kiosk.harden(self, screen) if self.kiosk is not None else screen

    def _fresh(self, screen: Screen[Any]) -> Screen[Any]:
        """Spare a new screen Textual's full CSS refresh on its first entry.

        A new screen has no styles yet: the refresh when a mode is first entered (twice:
        in _init_mode and switch_mode) would re-parse and re-apply every rule for nothing.
        Only while no theme change is pending; the very first screen always (a theme set
        at start has its own refresh queued by Textual)."""
        if self._css_fresh_at in (self._css_update_count, -1):
            screen._css_update_count = self._css_update_count
        return screen

    def refresh_css(self, animate: bool = True) -> None:
        super().refresh_css(animate)
        self._css_fresh_at = self._css_update_count

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
        from .screens.keys_help import KeysHelpDialog

        if not isinstance(self.screen, ModalScreen):
            self.push_screen(KeysHelpDialog(self.screen))

    def action_choose_property(self) -> None:
        from .screens.dialogs import ChoiceDialog

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
        from .screens.keys_help import binding_commands

        yield from binding_commands(self, screen)
        for language, name in (("pl", "polski"), ("en", "English")):
            if language != self.config.settings.language:

                async def switch(language: str = language) -> None:
                    await self.change_language(language)

                title = _("Ustawienia: język: {name}", name=name)
                yield SystemCommand(title, _("Język konsoli (też w Ustawieniach)"), switch)
        commands = super().get_system_commands(screen)
        yield from commands if self.kiosk is None else self.kiosk.system_commands(commands)

    # --- settings -------------------------------------------------------------------------
    def save_settings(self, **changes: str) -> None:
        self.config = with_settings(self.config, **changes)
        self._write_config()

    def _write_config(self) -> None:
        if self.kiosk is not None:  # a kiosk writes no file
            return
        try:
            save(self.config, self.config_file)
        except OSError as error:
            self.notify(str(error), title=_("Nie zapisano ustawień"), severity="error")

    async def change_language(self, language: str) -> None:
        set_language(language)
        self.save_settings(language=language)
        translate_bindings(self)
        await self.reset_tabs(to_login=False)
        screen = self.screen
        translate_bindings(screen)
        await screen.recompose()
        from .screens.base import TabScreen

        if isinstance(screen, TabScreen):
            screen.load()
        self.header_state = self._header_state()
        self.refresh_bindings()

    def change_theme(self, theme: str) -> None:
        self.theme = theme
        self.save_settings(theme=theme)

    async def on_unmount(self) -> None:
        self.quiet_gc.stop()
        await self.backend.close()
