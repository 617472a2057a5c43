"""IbokApp: the console. One mode per tab, the global keys, the command palette, the
settings, the app's safety net for failures, and the typed host that screens see
(host.py; mypy checks that the app implements it). The session's life cycle (sign in,
resume from the keyring, an expired session asked again, logout, the clerk's desk, the
kiosk) is `SessionControl`'s (session/controller.py): the app holds one and delegates."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from .config import Config, with_settings
from .credentials import CredentialStore
from .i18n import _, set_language
from .quiet_gc import QuietCollector
from .screens.forms.workers import ShowsWorkerFailures, run_guarded
from .session.controller import SessionControl
from .session.desk import DESK_BINDINGS
from .tabs import AHEAD, TABS, TabModes, nav_binding, tab_key, tab_modes, tab_screen_class
from .widgets.bindings import translate_bindings
from .widgets.header import DashboardShown, HeaderState, SessionHeader
from .widgets.literal import LiteralNotifications
from .widgets.textual_internals import (
    ConsolePalette,
    close_now,
    guard_terminal,
    print_after_exit,
    translated_commands,
)

if TYPE_CHECKING:
    # the models and the protocol are not needed for the first frame: imported by the
    # backend on its worker thread (start-up time)
    from textual.widget import Widget

    from .backends.base import Backend
    from .backends.outbox import Outbox
    from .domain.changes import Change
    from .domain.models import CustomerSummary, Dashboard, Profile, Session
    from .host import Drafts, Host, ScreenPolicy
    from .session.desk import Desk
    from .session.kiosk import KioskPolicy
    from .session.shell import Shell


def crash_report(error: BaseException | None) -> Any:
    """A traceback of `error` (or of the exception being handled) that shows its type and
    frames and nothing of the data: no local variables, no exception messages or notes
    (a `KeyError` names the key, a message may quote an invoice)."""
    import sys

    import rich
    from rich.traceback import Trace, Traceback

    if error is None:
        error = sys.exc_info()[1]
    if error is None:
        return ""
    trace = Traceback.extract(type(error), error, error.__traceback__, show_locals=False)

    def scrub(found: Trace) -> None:
        for stack in found.stacks:
            stack.exc_value = "(…)"
            stack.notes = []
            stack.syntax_error = None
            for frame in stack.frames:
                frame.locals = None
            for inner in stack.exceptions:
                scrub(inner)

    scrub(trace)
    return Traceback(trace, show_locals=False, width=None, suppress=[rich])


class IbokApp(LiteralNotifications, ShowsWorkerFailures, App[None]):
    TITLE = "iBOK"
    CSS = """
    LoadingIndicator { height: 3; }
    .muted { color: $text-muted; }
    """
    DEFAULT_MODE = "login"
    header_state: reactive[HeaderState] = reactive(HeaderState(), always_update=True)
    selected_property: reactive[str | None] = reactive(None)
    BINDINGS: ClassVar[list[BindingType]] = [
        *[nav_binding(key, mode, title) for key, mode, title, _m, _c in TABS],
        Binding("f1", "keys_help", "Pomoc do ekranu", id="app.keys_help"),
        Binding("w", "choose_property", "Zmień posesję", id="app.property", show=False),
        Binding("ctrl+x", "logout", "Wyloguj", id="app.logout"),
        Binding("ctrl+o", "outbox", "Do wysłania", id="app.outbox"),
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
        clock: Callable[[], datetime] | None = None,
        files_root: Path | None = None,
        outbox_interval: float | None = None,
        tabs_ahead: int = AHEAD,
    ) -> None:
        config = config or Config()
        set_language(config.settings.language)
        shell: Shell = self  # mypy checks that the app is what the session needs
        self.session = SessionControl(
            self,
            shell,
            backend,
            config=config,
            config_file=config_file,
            profile=profile,
            credentials=credentials,
            kiosk=kiosk,
            prefill_customer=prefill_customer,
            outbox_interval=outbox_interval,
        )
        if self.session.resuming:  # Textual reads the first mode from this in App.__init__
            self.DEFAULT_MODE = "pulpit"  # type: ignore[misc]
        super().__init__()
        guard_terminal(self)  # no control sequence from data reaches the terminal
        translate_bindings(self)
        if self.config.keys:  # the user's `[keys]`, checked by the CLI (keymap.py)
            self.set_keymap(dict(self.config.keys))
        self.demo = demo
        self.downloads_dir = downloads_dir
        self.files_root = files_root  # where the file picker starts (None: home)
        self.opener = opener
        self.clock = clock  # pinned by tests and IBOK_CLOCK; None: the system's
        self.kiosk = kiosk  # a shared terminal (session/kiosk.py): nothing kept, idle logout
        self.first_frame_shown = False
        self.quiet_gc = QuietCollector()  # full collections when the user is quiet
        self._collector_started = False
        # the tabs' modes, made on first visit or `tabs_ahead` of them while the user reads
        self.tabs = TabModes(self, ahead=tabs_ahead)
        self.tabs.install()
        if self.config.settings.theme in self.available_themes:
            self.theme = self.config.settings.theme

    # --- the host: what screens use (host.py) ---------------------------------------------
    @property
    def backend(self) -> Backend:
        return self.session.backend

    @backend.setter
    def backend(self, backend: Backend) -> None:
        self.session.backend = backend

    @property
    def config(self) -> Config:
        return self.session.config

    @property
    def keys(self) -> Mapping[str, str]:
        return self.config.keys

    @property
    def desk(self) -> Desk | None:
        return self.session.desk

    @property
    def resuming(self) -> bool:
        return self.session.resuming

    @property
    def start_view_coming(self) -> bool:
        return self.session.resuming and not self.session.start_view_tried

    @property
    def offline(self) -> bool:
        watch = self.session.offline
        return watch is not None and watch.state.offline

    @property
    def prefill_customer(self) -> str:
        return self.session.prefill_customer

    @property
    def profile_data(self) -> Profile | None:
        return self.session.profile_data

    @property
    def dashboard_data(self) -> Dashboard | None:
        return self.session.dashboard_data

    @property
    def drafts(self) -> Drafts:
        return self.session.drafts

    @property
    def screen_policy(self) -> ScreenPolicy | None:
        return self.kiosk

    def now(self) -> datetime:
        if self.clock is not None:
            return self.clock()
        from datetime import UTC

        return datetime.now(UTC)

    def show_failure(self, error: BaseException, *, retry: Callable[[], Any] | None = None) -> None:
        self.session.show_failure(error, retry=retry)

    def remember_allowed(self) -> bool:
        return self.session.remember_allowed()

    def keyring_available(self) -> bool:
        return self.session.keyring_available()

    def keep_session(self, password: str | None = None) -> object:
        return self.session.keep_session(password)

    def signed_in(self, session: Session, password: str, *, remember: bool) -> Awaitable[None]:
        return self.session.signed_in(session, password, remember=remember)

    def logout(self) -> object:
        return self.session.logout()

    def serve_customer(self, customer: CustomerSummary) -> Awaitable[None]:
        return self.session.serve_customer(customer)

    @property
    def clerk_backend(self) -> Backend | None:
        desk = self.session.desk
        return desk.operator if desk is not None and desk.serving else None

    def outbox_for(self, backend: Backend) -> Outbox | None:
        return self.session.outbox.outbox_for(backend)

    def outbox_changed(self) -> object:
        return run_guarded(self, self.session.outbox.refresh, group="outbox-count")

    def send_outbox(self, only: str | None = None) -> None:
        self.session.outbox.send(only=only)

    @property
    def outbox_sending(self) -> bool:
        return self.session.outbox.passing

    def make_header(self) -> Widget:
        desk = self.session.desk
        if desk is not None and desk.serving:
            return desk.banner()
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
        if action == "outbox":
            return self.session.outbox.outbox is not None and not isinstance(
                self.screen, ModalScreen
            )
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
        desk = self.session.desk
        if desk is not None:
            await desk.run(what)

    def action_logout(self) -> None:
        self.session.logout()

    def action_outbox(self) -> None:
        from .screens.forms.outbox_dialog import OutboxDialog

        if self.session.outbox.outbox is not None:
            self.push_screen(OutboxDialog())

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
        self.session.update_header()
        self.make_tabs_ahead()

    def make_tabs_ahead(self) -> None:
        """While the user reads the tab in front, make the next ones (tabs.py)."""

        def quiet_for() -> float | None:
            if self.backend.session is None:
                return None
            return self.quiet_gc.clock() - self.quiet_gc.last_input

        self.tabs.make_ahead(self.current_mode, quiet_for)

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
        self.session.update_config(with_settings(self.config, **changes))

    async def change_language(self, language: str) -> None:
        set_language(language)
        self.save_settings(language=language)
        translate_bindings(self)
        # Every tab is made again in the new language, the one in front too: composing a
        # tab again in place would skip what its on_mount set up (a table's columns).
        await self.reset_tabs(to_login=False, rebuild_current=True)
        if self.current_mode not in tab_modes():  # the login or the clerk's screen
            screen = self.screen
            translate_bindings(screen)
            await screen.recompose()
        self.session.update_header()
        self.refresh_bindings()

    def change_theme(self, theme: str) -> None:
        self.theme = theme
        self.save_settings(theme=theme)

    async def on_unmount(self) -> None:
        self.quiet_gc.stop()
        await self.backend.close()

    # --- the session's side of the app (session/shell.py's `Shell`) -----------------------
    def show_header(self, state: HeaderState) -> None:
        self.header_state = state

    def choose_property(self, property_id: str | None) -> None:
        self.selected_property = property_id

    def records_changed(self, kinds: frozenset[Change]) -> None:
        self.tabs.records_changed(kinds)

    def watch_selected_property(self) -> None:
        self.session.update_header()
        for screen in list(self.tabs.screens):
            screen.property_chosen()

    def on_dashboard_shown(self, message: DashboardShown) -> None:
        """Pulpit posted its data (widgets/header.py): the header shows it."""
        self.set_dashboard(message.dashboard)

    def set_dashboard(self, dashboard: Dashboard) -> None:
        self.session.set_dashboard(dashboard)
        self.make_tabs_ahead()

    async def on_mount(self) -> None:
        self._exit_on_signals()
        await self.session.mount()

    def _exit_on_signals(self) -> None:
        """SIGTERM, SIGHUP and SIGINT close the console as its quit key would: Textual's
        driver then restores the terminal (leaves the alternate screen, shows the cursor,
        stops mouse reporting) and the CLI removes a kiosk's private folder (cli.py)."""
        if self.is_headless:  # under a test's pilot the test runner keeps its signals
            return
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(number, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                return

    def on_ready(self) -> None:
        # Textual posts Ready from the first layout, right after it handed that first frame
        # to the driver (`Screen._refresh_layout`; tests/ui/test_textual_internals.py holds
        # it to that). Only now do the threads start (the backend's imports and store, the
        # keyring): running beside the first paint, they would hold it up. (Waiting for the
        # refresh after Ready waited for the frames its Resize events ask for, the last at
        # the update timer's next tick: up to 17 ms of doing nothing before the data.)
        self._after_first_frame()

    def _after_first_frame(self) -> None:
        self.first_frame_shown = True
        if self.current_mode == "login":  # (a resumed start never imports the login screen)
            from .screens.account.login import LoginScreen

            if isinstance(self.screen, LoginScreen):
                self.screen.check_keyring()
        self.session.first_frame()

    def start_collector(self) -> None:
        # the CLI held the cyclic collector back for the start (cli.py); it comes back with
        # the live work, after the last Pulpit's frame on a resumed start (start-up time)
        if not self._collector_started:
            self._collector_started = True
            self.quiet_gc.start()
            self.set_interval(self.quiet_gc.interval, self.quiet_gc.tick, name="quiet-gc")

    # --- failures -----------------------------------------------------------------------
    # The safety net, in three layers. Every worker runs through `run_guarded`
    # (screens/forms/workers.py), which hands a failure to `show_failure`. A worker of the app's
    # own, or of a screen's or a dialog's, that fails anyway is shown by their
    # `on_worker_state_changed` (`ShowsWorkerFailures`, Harlequin's pattern; Textual sends
    # that message only to the worker's own node). A bare worker that would
    # end the app (`exit_on_error=True`, Textual's default) is shown by
    # `_handle_exception` instead. Anything else that reaches Textual's crash path ends the
    # app as before, but `_fatal_error` prints the exception's type and frames only:
    # Textual's own traceback shows the frames' local variables, and on a shared terminal
    # that printed the previous customer's invoice numbers. No log file is written either:
    # a kiosk keeps nothing, and the type and the frames are what a bug report needs.

    def _handle_exception(self, error: Exception) -> None:
        from textual.worker import WorkerFailed

        if isinstance(error, WorkerFailed) and self.is_running:
            try:
                self.show_failure(error.error)
            except Exception:  # the dialog cannot be shown: end the app as Textual does
                pass
            else:
                return
        self._crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        from rich.segment import Segments

        self.bell()
        report = crash_report(getattr(self, "_crash", None))
        print_after_exit(self, Segments(self.console.render(report, self.console.options)))
        close_now(self)

    # --- the tabs' modes ------------------------------------------------------------------
    async def show_operator_tabs(self) -> None:
        await self.session.show_operator_tabs()

    async def reset_tabs(self, *, to_login: bool, rebuild_current: bool = False) -> None:
        """Forget every tab's screen (tabs.py's `TabModes.reset`); to the login screen, the
        last session's view goes too: its data, its header, its screens when quiet."""

        def forget_session_view() -> None:
            self.session.forget_customer()
            self.header_state = HeaderState()
            self.quiet_gc.request()  # collect the last session's screens when quiet

        await self.tabs.reset(
            to_login=to_login, rebuild_current=rebuild_current, at_login=forget_session_view
        )

    def forget_closed_nodes(self) -> None:
        self.tabs.forget_closed_nodes()

    def make_login_screen(self) -> Screen[Any]:
        return self.tabs.make_login_screen()

    def offline_changed(self) -> None:
        self.session.update_header()
        for screen in list(self.tabs.screens):  # what needs the server dims, or comes back
            screen.refresh_bindings()

    def reload_tabs(self) -> None:
        for screen in list(self.tabs.screens):
            screen.reload_when_shown()

    def refresh_css(self, animate: bool = True) -> None:
        super().refresh_css(animate)
        self.tabs.styles_refreshed()


if TYPE_CHECKING:

    def _the_app_is_a_host(app: IbokApp) -> Host:
        return app  # mypy checks here that IbokApp implements the host (host.py)
