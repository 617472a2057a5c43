"""The one way the console runs work in the background: a worker that can never kill the app
and never loses a failure.

Every backend call (and every other piece of I/O) of a screen, a dialog, a widget or the
app runs through `run_guarded` (or the `guarded` decorator, its method form): an exclusive
worker of a group with `exit_on_error=False`, whose failure goes to the caller's `on_error`
when it handles it (returns True), else to the app's `show_failure` (the error dialog; a
sign-in prompt for an expired session). Textual's bare `run_worker` and `@work` are not
used anywhere else (tests/ui/test_failing_backend.py checks the source).

Kept small and light (Textual's worker API only): the login screen and the app import it
before the first frame.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

P = ParamSpec("P")
N = TypeVar("N", bound="DOMNode")

ErrorHandler = Callable[[BaseException], bool]


class FailureHost(Protocol):
    """What the helper needs of the app: its way of showing a failure."""

    def show_failure(
        self, error: BaseException, *, retry: Callable[[], Any] | None = None
    ) -> None: ...


def report_failure(
    node: DOMNode, error: BaseException, retry: Callable[[], Any] | None = None
) -> None:
    """Show `error` through the app's failure handling (the error dialog)."""
    cast(FailureHost, node.app).show_failure(error, retry=retry)


def run_guarded(
    node: DOMNode,
    job: Callable[[], Awaitable[Any] | Any],
    *,
    group: str,
    on_error: ErrorHandler | None = None,
    retry: Callable[[], Any] | None = None,
    thread: bool = False,
) -> Worker[None]:
    """Run `job()` in an exclusive worker of `group` on `node`; a failure is handled by
    `on_error` (when it returns True) or shown by the app, with `retry` offered.

    `job` is a coroutine function (awaited on the event loop) or, with `thread=True`, a
    plain function run on a thread (a failure is handed back to the event loop)."""

    def failed(error: BaseException) -> None:
        if on_error is None or not on_error(error):
            report_failure(node, error, retry)

    if thread:

        def threaded() -> None:
            try:
                job()
            except Exception as error:  # shown to the user, never swallowed
                node.app.call_from_thread(failed, error)

        return node.run_worker(
            threaded, group=group, exclusive=True, exit_on_error=False, thread=True
        )

    async def guarded_job() -> None:
        try:
            result = job()
            if inspect.isawaitable(result):
                await result
        except Exception as error:  # shown to the user, never swallowed
            failed(error)

    return node.run_worker(guarded_job, group=group, exclusive=True, exit_on_error=False)


class ShowsWorkerFailures:
    """The net under `run_guarded`, for a screen or a dialog: a worker of its own that
    failed anyway (started some other way, `exit_on_error=False`) is shown by the app.
    Textual sends `Worker.StateChanged` only to the worker's node, so the app's own
    handler (Harlequin's pattern) cannot see the workers of its screens."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from textual.worker import WorkerState

        error = event.worker.error
        # an `exit_on_error` worker's failure reaches the app's `_handle_exception`
        if (
            event.state is WorkerState.ERROR
            and error is not None
            and not event.worker.exit_on_error
        ):
            report_failure(cast("DOMNode", self), error)


def guarded(
    group: str, *, thread: bool = False, retry: bool = False
) -> Callable[[Callable[Concatenate[N, P], Any]], Callable[Concatenate[N, P], Worker[None]]]:
    """A method that runs as `run_guarded(self, ...)` when called (the form of Textual's
    `@work`). With `retry=True` the error dialog offers to call it again with the same
    arguments. A failure the method does not catch itself is shown by the app."""

    def decorate(
        method: Callable[Concatenate[N, P], Any],
    ) -> Callable[Concatenate[N, P], Worker[None]]:
        @functools.wraps(method)
        def start(self: N, *args: P.args, **kwargs: P.kwargs) -> Worker[None]:
            again = (lambda: start(self, *args, **kwargs)) if retry else None
            return run_guarded(
                self, lambda: method(self, *args, **kwargs), group=group, retry=again, thread=thread
            )

        return start

    return decorate


__all__ = ["ErrorHandler", "ShowsWorkerFailures", "guarded", "report_failure", "run_guarded"]
