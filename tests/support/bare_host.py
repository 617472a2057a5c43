"""The host (ibok_tui/host.py) without the console around it: what a tab or a dialog may ask
of the console, answered plainly. The tests' harness (tests/ui/tab_harness.py) and the
benchmarks' app build on it; `tests/ui/test_host.py` checks that it has every member of
`Host`, and mypy checks its signatures (`_a_bare_host_is_a_host` below).

No session control, no header, no keyring, no kiosk: the harness signs in itself and pushes
the screen under test; downloads go where the test says; the clock is the test's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

from ibok_tui.backends.base import Backend
from ibok_tui.session.drafts import SessionDrafts

if TYPE_CHECKING:
    from ibok_tui.backends.outbox import Outbox
    from ibok_tui.domain.models import CustomerSummary, Profile, Session
    from ibok_tui.host import Host, ScreenPolicy


class BareHost(App[None]):
    """An app that is a host: a backend, failures recorded and shown, a clock, files."""

    def __init__(
        self,
        backend: Backend,
        *,
        clock: Callable[[], datetime] | None = None,
        downloads_dir: Path | None = None,
        files_root: Path | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.clock = clock
        self.downloads_dir = downloads_dir
        self.files_root = files_root
        self.failures: list[BaseException] = []
        self.retries: list[Callable[[], Any]] = []
        self.opened: list[Path] = []
        self.selected_property: str | None = None
        self.profile_data: Profile | None = None
        self.demo = False
        self.resuming = False
        self.start_view_coming = False
        self.offline = False  # the server is out of reach (a test may say so)
        self.prefill_customer = ""
        self.first_frame_shown = True
        self.screen_policy: ScreenPolicy | None = None
        self.drafts = SessionDrafts()
        self.served: list[CustomerSummary] = []
        self.logged_out = 0
        self.keys: dict[str, str] = {}

    def show_failure(self, error: BaseException, *, retry: Callable[[], Any] | None = None) -> None:
        self.failures.append(error)
        if retry is not None:
            self.retries.append(retry)
        self.notify(str(error), severity="error")

    def outbox_for(self, backend: Backend) -> Outbox | None:
        return None  # no outbox: the forms keep what was typed and offer a retry

    def outbox_changed(self) -> object:
        return None

    def send_outbox(self, only: str | None = None) -> None:
        pass

    outbox_sending = False

    def now(self) -> datetime:
        return self.clock() if self.clock is not None else datetime.now(UTC)

    def open_file(self, path: Path) -> None:
        self.opened.append(path)

    def remember_allowed(self) -> bool:
        return False

    def keyring_available(self) -> bool:
        return False

    def keep_session(self, password: str | None = None) -> object:
        return None

    async def signed_in(self, session: Session, password: str, *, remember: bool) -> None:
        return None

    def logout(self) -> object:
        self.logged_out += 1
        return None

    async def serve_customer(self, customer: CustomerSummary) -> None:
        self.served.append(customer)

    clerk_backend: Backend | None = None  # a test of the desk's acts sets the clerk's

    def make_header(self) -> Widget | None:
        return None

    def tab_classes(self) -> list[tuple[str, str, type[Screen[Any]]]]:
        return []

    def change_language(self, language: str) -> Awaitable[None]:
        from ibok_tui.i18n import set_language

        async def change() -> None:
            set_language(language)

        return change()

    def change_theme(self, theme: str) -> None:
        self.theme = theme


if TYPE_CHECKING:

    def _a_bare_host_is_a_host(app: BareHost) -> Host:
        return app
