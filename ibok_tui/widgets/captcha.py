"""The captcha a sign-in asks for after wrong passwords: a proof of work the console does
by itself in a worker thread (nobody types anything), shown as "Sprawdzanie…" with its
progress, and the words for a failed sign-in. The login screen, the password prompt after
an expired session and the registration form use it."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

from rich.text import Text
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from ..domain.errors import AccountLocked, Captcha, CaptchaRequired, IbokError, LoginFailed
from ..domain.proof_of_work import UnsolvableChallenge, solve
from ..i18n import _, moment
from ..i18n.problems import error_text

NO_PROOF: dict[str, str | None] = {"captcha_id": None, "captcha_answer": None}


async def captcha_to_show(error: LoginFailed, backend: Any) -> Captcha | None:
    """The captcha a failed sign-in brings for the next try: the one sent with the error, or
    a new one when a captcha is required but the error came without it; None when none is
    needed (or the account is locked). If a new one cannot be had now, None too: the next
    attempt's error brings one."""
    if error.captcha is not None:
        return error.captcha
    if not isinstance(error, CaptchaRequired):
        return None
    try:
        captcha: Captcha = await backend.new_captcha()
    except IbokError:
        return None
    return captcha


def sign_in_failure(error: IbokError) -> str:
    """What to tell the person whose sign-in failed: a lock says until when."""
    if isinstance(error, AccountLocked):
        if error.retry_after is not None and error.retry_after < 120:
            return _(
                "Zbyt wiele nieudanych prób. Spróbuj ponownie za {seconds} s.",
                seconds=error.retry_after,
            )
        until = moment(error.locked_until) if error.locked_until else ""
        return _("Zbyt wiele nieudanych prób. Konto zablokowane do {until}.", until=until)
    if isinstance(error, CaptchaRequired):
        return _("Nie udało się potwierdzić logowania. Spróbuj ponownie.")
    if isinstance(error, LoginFailed):
        return _("Nieprawidłowy kod nabywcy lub hasło.")
    return error_text(error)


class CaptchaBox(Static):
    """The state of the proof of work (`#<prefix>-box`), hidden until the backend asks for
    one. `prepare(captcha)` starts solving it in a thread at once; `proof()` waits for the
    answer and gives what a login or registration call takes (each proof is used once)."""

    DEFAULT_CSS = """
    CaptchaBox { height: auto; display: none; color: $text-muted; }
    """

    def __init__(self, prefix: str) -> None:
        super().__init__(id=f"{prefix}-box")
        self.prefix = prefix
        self.captcha: Captcha | None = None
        self._worker: Worker[str | None] | None = None
        self._tried = 0
        self._stop = False

    def on_mount(self) -> None:
        self.set_interval(0.25, self._show_progress)

    def on_unmount(self) -> None:
        self._stop = True

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    def prepare(self, captcha: Captcha | None) -> None:
        """Start the work for `captcha` (None: forget any and hide the box)."""
        self._stop = True  # a thread still on the previous one gives up
        if self._worker is not None:
            self._worker.cancel()
        self.captcha = captcha
        self._worker = None
        self.display = captcha is not None
        if captcha is None:
            return
        self._stop = False
        self._tried = 0
        self._worker = self.run_worker(
            partial(self._solve, captcha),
            thread=True,
            group=f"{self.prefix}-proof-of-work",
            exit_on_error=False,
        )
        self._show_progress()

    def _solve(self, captcha: Captcha) -> str | None:
        """On the worker's thread: the nonce, or None when it cannot or need not be had."""

        def keep_going(tried: int) -> bool:
            self._tried = tried
            return not self._stop and self.captcha is captcha

        try:
            return solve(captcha.challenge, captcha.difficulty, keep_going=keep_going)
        except UnsolvableChallenge:
            return None

    async def proof(self) -> dict[str, str | None]:
        """The captcha id and the nonce that answers it, once the work is done (both None
        when no captcha was asked for or it cannot be solved)."""
        captcha, worker = self.captcha, self._worker
        if captcha is None or worker is None:
            return dict(NO_PROOF)
        try:
            nonce = await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            nonce = None
        if self.captcha is captcha:  # single use: the next try needs a new one
            self.captcha, self._worker = None, None
            self.display = False
        if nonce is None:
            return dict(NO_PROOF)
        return {"captcha_id": captcha.id, "captcha_answer": nonce}

    def _show_progress(self) -> None:
        if self.captcha is None:
            return
        if not self.busy:
            self.update(Text(_("Sprawdzanie zakończone.")))
            return
        expected = 2.0 ** max(0, self.captcha.difficulty)
        percent = min(99, math.floor(100 * self._tried / expected))
        self.update(Text(_("Sprawdzanie… {percent}%", percent=percent)))
