"""The console's side of the offline view: it hears the offline backend (backends/offline.py),
shows the banner in every tab's header while the server is out of reach, asks the server
again every few seconds, and when it answers, takes the banner away and loads the tabs
again (the one in front at once, the others when next shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..screens.forms.workers import run_guarded

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from ..backends.offline import OfflineBackend, OfflineState
    from .shell import Shell


class OfflineWatch:
    """The banner's state and the periodic retry, for one offline backend."""

    PROBE_SECONDS = 10.0

    def __init__(self, app: App[Any], shell: Shell, backend: OfflineBackend) -> None:
        from ..backends.offline import OfflineState

        self.app = app
        self.shell = shell
        self.backend = backend
        self.state: OfflineState = OfflineState()
        self._timer: Timer | None = None
        backend.listen(self.changed)
        if backend.state != self.state:  # a tab read from the copy before the first frame
            self.changed(backend.state)

    def changed(self, state: OfflineState) -> None:
        was_offline = self.state.offline
        self.state = state
        self.shell.offline_changed()
        if state.offline:
            self._schedule()
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if was_offline:
            self.shell.reload_tabs()

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = self.app.set_timer(self.PROBE_SECONDS, self._probe)

    def _probe(self) -> None:
        self._timer = None
        run_guarded(self.app, self._ask, group="offline-probe")

    async def _ask(self) -> None:
        if not await self.backend.probe() and self.backend.state.offline:
            self._schedule()
