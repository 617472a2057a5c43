"""The console's session life cycle, the part of the app that knows who is signed in.

Signing in (and the forced password change), resuming a remembered session from the
keyring behind Pulpit, an expired session asked again (with the retries of what failed),
logout, the header's state, and the screens a session starts from. `IbokApp` (app.py)
adds the keys, the palette and the settings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen

from .config import Config, save, with_remembered
from .credentials import CredentialStore
from .i18n import _
from .quiet_gc import QuietCollector
from .screens.account.login import LoginScreen
from .screens.forms.workers import ShowsWorkerFailures, guarded
from .tabs import TABS, header_tabs, tab_screen_class
from .widgets.header import HeaderState
from .widgets.textual_internals import (
    close_now,
    css_update_count,
    has_mode,
    installed_screens,
    mark_styles_current,
    print_after_exit,
    release_closed_nodes,
)

BLANK_MODE = "blank"  # an empty screen in front while the one it stands for is made again

if TYPE_CHECKING:
    # the models and the protocol are not needed for the first frame: imported by the
    # backend on its worker thread (start-up time)

    from .backends.base import Backend
    from .domain.models import Dashboard, Profile, Session
    from .kiosk import KioskPolicy
    from .screens.forms.base import TabScreen


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


class SessionApp(ShowsWorkerFailures, App[None]):
    """The session's state and life cycle; `IbokApp.__init__` sets the attributes."""

    header_state: reactive[HeaderState] = reactive(HeaderState(), always_update=True)
    selected_property: reactive[str | None] = reactive(None)

    backend: Backend
    config: Config
    config_file: Path | None
    profile_name: str
    credentials: CredentialStore | None
    kiosk: KioskPolicy | None
    desk: Any  # the clerk serving a customer (screens/clerk/operator_desk.py)
    resuming: bool
    prefill_customer: str
    dashboard_data: Dashboard | None
    profile_data: Profile | None
    first_frame_shown: bool
    quiet_gc: QuietCollector
    _tab_screens: WeakSet[TabScreen]  # the tabs made, told when the property changes
    _reauth_retries: list[Callable[[], Any]]
    _keyring_ok: bool | None
    _css_fresh_at: int

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
                from .screens.account.reauth import ReauthDialog

                operator = session is not None and session.role is Role.OPERATOR
                self.push_screen(
                    ReauthDialog(self.signed_subject, operator=operator), self._after_reauth
                )
            return
        from .screens.forms.dialogs import ErrorDialog

        self.push_screen(ErrorDialog(error, retry))

    def _after_reauth(self, signed_in: bool | None) -> None:
        retries, self._reauth_retries = self._reauth_retries, []
        if not signed_in:
            self.action_logout()
            return
        self.keep_session()
        for retry in retries:
            retry()

    # --- keyring ------------------------------------------------------------------------
    def remember_allowed(self) -> bool:
        return self.credentials is not None

    def keyring_available(self) -> bool:
        if self._keyring_ok is None:
            self._keyring_ok = self.credentials is not None and self.credentials.available()
        return self._keyring_ok

    @guarded("keyring", thread=True)
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
        self._exit_on_signals()
        if self.kiosk is not None:
            self.kiosk.attach(self)
        if self.backend.session is not None:
            await self.enter_console()
        elif self.resuming:
            self.header_state = self._header_state()

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

    @guarded("prepare", retry=True)
    async def prepare_backend(self) -> None:
        await self.backend.prepare()

    @guarded("session")
    async def resume_saved(self) -> None:
        """Sign in with what the keyring remembers: the token, else the password.

        Runs behind Pulpit, which waits for the session; if nothing valid is remembered,
        the login screen takes its place."""
        import asyncio

        session = None
        remembered = None
        failure: BaseException | None = None
        try:
            if await asyncio.to_thread(self.keyring_available):
                assert self.credentials is not None
                remembered = await asyncio.to_thread(self.credentials.load)
            if remembered is not None and remembered.token:
                try:
                    session = await self.backend.resume(remembered.token)
                except Exception as error:  # an old token: the password may still do
                    failure = error
            if session is None and remembered is not None and remembered.password:
                session = await self.backend.login(
                    remembered.customer, remembered.password, remember=True
                )
                assert self.credentials is not None
                await asyncio.to_thread(
                    self.credentials.save, remembered.customer, remembered.password, session.token
                )
        except Exception as error:  # whatever failed, the login screen says why
            failure, session = error, None
        self.resuming = False
        if session is None:
            self._note_remembered(None)
            if remembered is not None:
                self.prefill_customer = remembered.customer
            await self.reset_tabs(to_login=True)
            if failure is None:
                text = _("Nie udało się wznowić sesji: zaloguj się.")
            else:
                from .i18n.problems import error_text

                text = _("Nie udało się wznowić sesji ({reason}): zaloguj się.").format(
                    reason=error_text(failure)
                )
            self.notify(text, severity="warning", markup=False, timeout=10)
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
            await self.show_operator_tabs()
            return
        if remember and self.credentials is not None:
            import asyncio

            await asyncio.to_thread(self.credentials.save, session.subject, password, session.token)
            self._note_remembered(session.subject)
        if session.must_change_password:
            self.force_password_change()
            return
        await self.enter_console()

    async def show_operator_tabs(self) -> None:
        """The clerk's tabs (the screen made on first use)."""
        if not has_mode(self, "operator"):
            from .screens.clerk.operator import OperatorScreen

            self.add_mode("operator", OperatorScreen)
        await self.switch_mode("operator")

    def force_password_change(self) -> None:
        from .screens.account.change_password import ChangePasswordDialog

        def done(new_password: str | None) -> None:
            if new_password is None:
                self.action_logout()
            else:
                self.call_later(self.enter_console)

        self.push_screen(ChangePasswordDialog(forced=True), done)

    async def enter_console(self) -> None:
        self.header_state = self._header_state()
        await self.switch_mode("pulpit")
        from .screens.forms.base import TabScreen

        if isinstance(self.screen, TabScreen):  # Pulpit was shown while resuming
            self.screen.ensure_loaded()
        self.refresh_bindings()  # the keys a session allows (check_action)
        self.load_profile()

    @guarded("profile", retry=True)
    async def load_profile(self) -> None:
        self.profile_data = await self.backend.profile()
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
            tabs=header_tabs(self.config.keys),
        )

    def watch_selected_property(self) -> None:
        self.header_state = self._header_state()
        for screen in list(self._tab_screens):
            screen.property_chosen()

    @guarded("session")
    async def action_logout(self) -> None:
        if self.desk is not None:
            await self.desk.close(self)
            self.desk = None
        subject = self.signed_subject
        from .i18n.problems import error_text

        try:
            await self.backend.logout()
        except Exception as error:  # the screens are wiped whatever the server said
            self.notify(error_text(error), title=_("Wylogowanie"), severity="warning", markup=False)
        try:
            if subject and self.credentials is not None and self.keyring_available():
                import asyncio

                await asyncio.to_thread(self.credentials.forget_token, subject)
                self._note_remembered(None)
        except Exception as error:
            self.notify(error_text(error), title=_("Wylogowanie"), severity="warning", markup=False)
        await self.reset_tabs(to_login=True)
        if self.kiosk is not None:
            await self.kiosk.wipe(self)
        self.notify(_("Wylogowano."))

    @staticmethod
    def tab_modes() -> tuple[str, ...]:
        return tuple(mode for _key, mode, _title, _module, _name in TABS)

    async def reset_tabs(self, *, to_login: bool, rebuild_current: bool = False) -> None:
        """Forget every tab's screen (and the data on it); go to the login screen or stay.

        Staying, the tab in front is kept as it is, or (`rebuild_current`) made again: a
        blank screen stands in front while its old screen goes."""
        current = self.current_mode
        rebuild = rebuild_current and not to_login and current in self.tab_modes()
        if rebuild:
            from .screens.forms.base import BlankScreen

            self.add_mode(BLANK_MODE, BlankScreen)
            await self.switch_mode(BLANK_MODE)
        keep = None if to_login or rebuild else current
        if to_login:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            await self.switch_mode("login")
            self.dashboard_data = None
            self.profile_data = None
            self.selected_property = None
            self.header_state = HeaderState()
            self.quiet_gc.request()  # collect the last session's screens when quiet
        for _key, mode, _title, _module, _name in TABS:
            if mode != keep:
                await self.remove_mode(mode)
                self.add_mode(mode, partial(self._make_tab, mode))
        if has_mode(self, "operator") and self.current_mode != "operator":
            await self.remove_mode("operator")
        # only the tabs still installed hear of the chosen property: a closed tab must not
        # fill its table again with the last session's data
        kept = {id(s) for s in installed_screens(self)}
        self._tab_screens = WeakSet(s for s in self._tab_screens if id(s) in kept)
        if rebuild:
            await self.switch_mode(current)
            await self.remove_mode(BLANK_MODE)
        self.forget_closed_nodes()

    def forget_closed_nodes(self) -> None:
        """Let go of the widgets of screens that are gone (widgets/textual_internals.py)."""
        release_closed_nodes(self, installed_screens(self))

    def make_login_screen(self) -> Screen[Any]:
        return self._fresh(LoginScreen())

    def _make_tab(self, mode: str) -> Screen[Any]:
        tab = tab_screen_class(mode)()
        self._tab_screens.add(tab)
        screen = self._fresh(tab)
        return self.kiosk.harden(self, screen) if self.kiosk is not None else screen

    def _fresh(self, screen: Screen[Any]) -> Screen[Any]:
        """Spare a new screen Textual's full CSS refresh on its first entry.

        A new screen has no styles yet: the refresh when a mode is first entered (twice:
        in _init_mode and switch_mode) would re-parse and re-apply every rule for nothing.
        Only while no theme change is pending; the very first screen always (a theme set
        at start has its own refresh queued by Textual)."""
        if self._css_fresh_at in (css_update_count(self), -1):
            mark_styles_current(screen, self)
        return screen

    def refresh_css(self, animate: bool = True) -> None:
        super().refresh_css(animate)
        self._css_fresh_at = css_update_count(self)

    def _write_config(self) -> None:
        if self.kiosk is not None:  # a kiosk writes no file
            return
        try:
            save(self.config, self.config_file)
        except OSError as error:
            self.notify(str(error), title=_("Nie zapisano ustawień"), severity="error")
