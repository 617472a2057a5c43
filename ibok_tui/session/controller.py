"""The console's session life cycle: the part that knows who is signed in.

Signing in (and the forced password change), resuming a remembered session from the
keyring behind Pulpit, an expired session asked again (with the retries of what failed),
logout, the header's state, the configuration's writes, and the clerk's desk
(session/desk.py). `SessionControl` is composed by the app (app.py), not inherited: the
app holds one and delegates to it; it reaches the app only through `Shell` (shell.py:
what the session needs of the app's modes and header) and Textual's `App` API.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config, save, with_remembered
from ..credentials import CredentialStore
from ..i18n import _
from ..screens.forms.workers import run_guarded
from ..tabs import header_tabs
from ..widgets.header import HeaderState
from ..widgets.textual_internals import has_mode
from .terms import TermsGate

if TYPE_CHECKING:
    # the models and the protocol are not needed for the first frame: imported by the
    # backend on its worker thread (start-up time)
    from textual.app import App
    from textual.worker import Worker

    from ..backends.base import Backend
    from ..backends.start_view import StartView
    from ..domain.models import CustomerSummary, Dashboard, Profile, Session
    from .desk import Desk
    from .kiosk import KioskPolicy
    from .offline import OfflineWatch
    from .shell import Shell


class SessionControl:
    """Who is signed in, and everything that changes it."""

    def __init__(
        self,
        app: App[Any],
        shell: Shell,
        backend: Backend,
        *,
        config: Config,
        config_file: Path | None,
        profile: str,
        credentials: CredentialStore | None,
        kiosk: KioskPolicy | None,
        prefill_customer: str,
        outbox_interval: float | None = None,
    ) -> None:
        self.app = app
        self.shell = shell
        self.backend = backend
        # every write of this backend, and of those made from it (the clerk's desk), is
        # heard by the open tabs (backends/changes.py)
        backend.changes.listen(shell.records_changed)
        self.config = config
        self.config_file = config_file
        self.profile_name = profile
        self.kiosk = kiosk  # a shared terminal (kiosk.py): nothing remembered, idle logout
        self.credentials = None if kiosk is not None else credentials
        self.prefill_customer = "" if kiosk is not None else prefill_customer
        # A remembered session opens on Pulpit at once and resumes behind it; the login
        # screen is drawn only if resuming fails (start-up time).
        self.resuming = bool(
            self.credentials is not None
            and backend.session is None
            and config.remembered.get(profile)
        )
        self.desk: Desk | None = None  # the clerk serving a customer (session/desk.py)
        self.dashboard_data: Dashboard | None = None
        # whose last Pulpit is shown while the remembered session resumes (start_view.py),
        # and whether it was looked for (until then Pulpit shows no loading indicator)
        self.start_view_tried = False
        self.kept_customer = ""
        self.profile_data: Profile | None = None
        self.offline: OfflineWatch | None = None  # the offline view's banner (offline.py)
        from .outbox import INTERVAL, OutboxSender

        # what could not be sent, kept until it arrives (not on a kiosk)
        self.outbox = OutboxSender(
            app,
            kiosk=kiosk is not None,
            changed=self.update_header,
            interval=outbox_interval or INTERVAL,
        )
        from .drafts import SessionDrafts

        self.drafts = SessionDrafts()  # forms closed unsent, in memory; gone at logout
        self._reauth_retries: list[Callable[[], Any]] = []
        self._keyring_ok: bool | None = None
        self.terms_gate = TermsGate(self)  # new terms before the console (session/terms.py)

    # --- failures -----------------------------------------------------------------------
    def show_failure(self, error: BaseException, *, retry: Callable[[], Any] | None = None) -> None:
        """Show a failed backend call; an expired session asks for the password first."""
        from ..domain.errors import (
            AuthenticationRequired,
            PasswordChangeRequired,
            TermsAcceptanceRequired,
        )

        if isinstance(error, PasswordChangeRequired):
            self.force_password_change()
            return
        if isinstance(error, TermsAcceptanceRequired) and self.desk is None:
            self.terms_gate.ask()
            return
        if self.desk is not None and self.desk.handles_failure(error):
            return
        app = self.app
        session = self.backend.session
        if isinstance(error, AuthenticationRequired) and self.signed_subject:
            if retry is not None:
                self._reauth_retries.append(retry)
            if not any(type(s).__name__ == "ReauthDialog" for s in app.screen_stack):
                from ..domain.models import Role
                from ..screens.account.reauth import ReauthDialog

                operator = session is not None and session.role is Role.OPERATOR
                app.push_screen(
                    ReauthDialog(self.signed_subject, operator=operator), self._after_reauth
                )
            return
        from ..screens.forms.dialogs import ErrorDialog

        app.push_screen(ErrorDialog(error, retry))

    def _after_reauth(self, signed_in: bool | None) -> None:
        retries, self._reauth_retries = self._reauth_retries, []
        if not signed_in:
            self.logout()
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

    def keep_session(self, password: str | None = None) -> Worker[None]:
        """After a new sign-in or a password change: if the keyring remembers this customer,
        it keeps the new token (and the new password, if it kept the old one)."""
        return run_guarded(
            self.app, lambda: self._keep_session(password), group="keyring", thread=True
        )

    def _keep_session(self, password: str | None) -> None:
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

    async def mount(self) -> None:
        """The app is mounted: a session handed in starts at once; a remembered one shows
        its customer's number while it resumes."""
        if self.kiosk is not None:
            self.kiosk.attach(self.app, self)
        if self.backend.session is not None:
            await self.enter_console()
        elif self.resuming:
            self.update_header()

    def first_frame(self) -> None:
        """The first frame is on the terminal: the backend's imports and store, and the
        remembered session, start now (running beside the first paint, they would hold it
        up). A remembered session shows its customer's last Pulpit first (start_view.py),
        and starts them after that is on the terminal."""
        if self.resuming and self.start_view() is not None:
            run_guarded(self.app, self._show_start_view, group="start-view")
            return
        self._start_live()

    def _start_live(self) -> None:
        self.shell.start_collector()
        self.watch_offline()
        self.prepare_backend()
        if self.resuming:
            run_guarded(self.app, self.resume_saved, group="session")

    def start_view(self, customer: str | None = None) -> StartView | None:
        """The last Pulpit kept for `customer` (the remembered one), None on a kiosk."""
        customer = customer or self.config.remembered.get(self.profile_name, "")
        if self.kiosk is not None or self.credentials is None or not customer:
            return None
        from ..backends.start_view import StartView

        return StartView(self.profile_name, self.backend.label, customer, kiosk=False)

    async def _show_start_view(self) -> None:
        """The remembered customer's last Pulpit, until the live one comes; then the live
        work starts (after that frame)."""
        import asyncio

        view = self.start_view()
        assert view is not None
        try:
            found = await asyncio.to_thread(view.load, self.shell.now())
            screen = self.app.screen
            if found is not None and self.resuming and self.backend.session is None:
                from ..screens.customer.pulpit import PulpitScreen

                if isinstance(screen, PulpitScreen):
                    self.kept_customer = view.customer
                    await screen.show_start_view(found.answer, found.taken_at)
                    self.dashboard_data = found.answer
                    self.update_header()
        finally:
            self.start_view_tried = True
            if not self.kept_customer:  # none kept: Pulpit waits with its loading indicator
                from ..screens.forms.base import TabScreen

                if isinstance(self.app.screen, TabScreen):
                    self.app.screen.ensure_loaded()
            self.app.call_after_refresh(self._start_live)

    def watch_offline(self) -> None:
        """An offline backend (the server's console, not a kiosk's): its banner and retry."""
        from ..backends.offline import OfflineBackend

        if isinstance(self.backend, OfflineBackend) and self.offline is None:
            from .offline import OfflineWatch

            self.offline = OfflineWatch(self.app, self.shell, self.backend)

    def prepare_backend(self) -> Worker[None]:
        return run_guarded(
            self.app, self.backend.prepare, group="prepare", retry=self.prepare_backend
        )

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
        if self.app.return_code is not None:
            # the console is leaving (quit at its first frame): what failed is the backend
            # closing under the resume, not the remembered session, which stays remembered
            return
        offline = False
        if session is None and remembered is not None and remembered.token:
            session = await self._resume_offline(remembered.customer, remembered.token, failure)
            offline = session is not None
        self.resuming = False
        if session is None:
            self.kept_customer = ""
            self._note_remembered(None)
            if remembered is not None:
                self.prefill_customer = remembered.customer
            await self.shell.reset_tabs(to_login=True)
            if failure is None:
                text = _("Nie udało się wznowić sesji: zaloguj się.")
            else:
                from ..i18n.problems import error_text

                text = _("Nie udało się wznowić sesji ({reason}): zaloguj się.").format(
                    reason=error_text(failure)
                )
            self.app.notify(text, severity="warning", markup=False, timeout=10)
            return
        if self.kept_customer and self.kept_customer != session.subject:
            # the keyring's customer is not the one whose last Pulpit is shown: it goes
            self.forget_customer()
            self.update_header()
            await self.shell.reset_tabs(to_login=False, rebuild_current=True)
        self.kept_customer = ""
        if offline:
            text = _(
                "Serwer iBOK jest nieosiągalny: {name}, pokazuję zapisane dane (offline).",
                name=session.name,
            )
            self.app.notify(text, markup=False, severity="warning")
        else:
            self.app.notify(_("Wznowiono sesję: {name}", name=session.name), markup=False)
        await self.terms_gate.enter()  # offline it cannot ask: the console opens

    async def _resume_offline(
        self, customer: str, token: str, failure: BaseException | None
    ) -> Session | None:
        """The server is away at the start: the remembered customer's offline copy, under
        the banner, until the server answers (backends/offline.py)."""
        from ..backends.offline import OfflineBackend, unreachable

        backend = self.backend
        if not isinstance(backend, OfflineBackend) or failure is None or not unreachable(failure):
            return None
        return await backend.resume_offline(customer, token)

    def _note_remembered(self, customer: str | None) -> None:
        """Whether the next start resumes this profile's session (config, no secret); the
        last Pulpit of a customer no longer remembered is forgotten."""
        before = self.config.remembered.get(self.profile_name)
        if before != customer:
            self.update_config(with_remembered(self.config, self.profile_name, customer))
            if before:
                self.forget_start_view(before)

    def forget_start_view(self, customer: str) -> Worker[None] | None:
        view = self.start_view(customer)
        if view is None:
            return None
        return run_guarded(self.app, view.forget, group="start-view-forget", thread=True)

    async def signed_in(self, session: Session, password: str, *, remember: bool) -> None:
        """Called by the login screen after a successful sign-in."""
        from ..domain.models import Role

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
        await self.terms_gate.enter()

    async def show_operator_tabs(self) -> None:
        """The clerk's tabs (the screen made on first use)."""
        if not has_mode(self.app, "operator"):
            from ..screens.clerk.operator import OperatorScreen

            self.app.add_mode("operator", OperatorScreen)
        await self.app.switch_mode("operator")

    def force_password_change(self) -> None:
        from ..screens.account.change_password import ChangePasswordDialog

        def done(new_password: str | None) -> None:
            if new_password is None:
                self.logout()
            else:
                self.app.call_later(self.terms_gate.enter)

        self.app.push_screen(ChangePasswordDialog(forced=True), done)

    async def enter_console(self) -> None:
        self.update_header()
        await self.app.switch_mode("pulpit")
        from ..screens.forms.base import TabScreen

        screen = self.app.screen
        if isinstance(screen, TabScreen):  # Pulpit was shown while resuming
            screen.ensure_loaded()
        self.app.refresh_bindings()  # the keys a session allows (check_action)
        self.load_profile()
        self.open_outbox()

    def open_outbox(self) -> Worker[None]:
        """The signed-in customer's outbox: counted in the header, and sent now."""
        backend = self.backend
        return run_guarded(self.app, lambda: self.outbox.open(backend), group="outbox-open")

    def load_profile(self) -> Worker[None]:
        return run_guarded(self.app, self._load_profile, group="profile", retry=self.load_profile)

    async def _load_profile(self) -> None:
        self.profile_data = await self.backend.profile()
        properties = self.profile_data.properties
        if self.shell.selected_property is None and len(properties) == 1:
            self.shell.choose_property(properties[0].id)
        self.update_header()

    def set_dashboard(self, dashboard: Dashboard) -> None:
        """Pulpit showed its data: the header shows the name, date and balance; a remembered
        customer's is kept for the next start's first data (start_view.py)."""
        self.dashboard_data = dashboard
        self.update_header()
        session = self.backend.session
        if (
            session is None
            or self.desk is not None
            or session.acting_operator is not None
            or session.subject != dashboard.customer.number
            or self.config.remembered.get(self.profile_name) != session.subject
        ):
            return
        view = self.start_view(session.subject)
        if view is not None:
            now = self.shell.now()
            run_guarded(
                self.app, lambda: view.save(dashboard, now), group="start-view-save", thread=True
            )

    def forget_customer(self) -> None:
        """The customer's data the console holds, gone (logout, another customer served)."""
        self.dashboard_data = None
        self.profile_data = None
        self.shell.choose_property(None)

    def update_header(self) -> None:
        self.shell.show_header(self.header_state())

    def header_state(self) -> HeaderState:
        session = self.backend.session
        if session is not None:
            number = session.subject
        else:  # while a remembered session resumes, its customer's number
            number = self.config.remembered.get(self.profile_name, "") if self.resuming else ""
        dashboard, profile = self.dashboard_data, self.profile_data
        offline = self.offline.state if self.offline is not None else None
        label = ""
        count = 0
        if profile is not None:
            count = len(profile.properties)
            chosen = [p for p in profile.properties if p.id == self.shell.selected_property]
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
            offline=offline is not None and offline.offline,
            offline_from=offline.data_from if offline is not None else None,
            outbox_count=self.outbox.count,
        )

    def logout(self) -> Worker[None]:
        return run_guarded(self.app, self._logout, group="session")

    async def _logout(self) -> None:
        app = self.app
        self.drafts.clear()  # nothing typed by this session outlives it
        self.outbox.close()  # its file stays for this customer's next sign-in
        if self.desk is not None:
            await self.desk.close()
            self.desk = None
        subject = self.signed_subject
        if subject:
            self.forget_start_view(subject)
        from ..i18n.problems import error_text

        try:
            await self.backend.logout()
        except Exception as error:  # the screens are wiped whatever the server said
            app.notify(error_text(error), title=_("Wylogowanie"), severity="warning", markup=False)
        try:
            if subject and self.credentials is not None and self.keyring_available():
                import asyncio

                await asyncio.to_thread(self.credentials.forget_token, subject)
                self._note_remembered(None)
        except Exception as error:
            app.notify(error_text(error), title=_("Wylogowanie"), severity="warning", markup=False)
        await self.shell.reset_tabs(to_login=True)
        if self.kiosk is not None:
            await self.kiosk.wipe(app, self.shell)
        app.notify(_("Wylogowano."))

    # --- the clerk's desk ---------------------------------------------------------------
    async def serve_customer(self, customer: CustomerSummary) -> None:
        """The clerk opens a customer: their tabs over the delegated backend."""
        from .desk import Desk

        desk = self.desk
        if desk is None or (desk.operator is not self.backend and not desk.serving):
            desk = self.desk = Desk(self, self.backend)
        await desk.open_customer(customer)

    # --- the configuration --------------------------------------------------------------
    def update_config(self, config: Config) -> None:
        """Keep `config` and write it (a kiosk writes no file)."""
        self.config = config
        if self.kiosk is not None:
            return
        try:
            save(self.config, self.config_file)
        except OSError as error:
            self.app.notify(str(error), title=_("Nie zapisano ustawień"), severity="error")
