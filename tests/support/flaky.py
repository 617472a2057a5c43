"""A `Backend` wrapper whose chosen operation fails the first time with `Unavailable`.

With `lose_response=True` the first call does reach the real backend (the work is
done) and only its answer is lost, as when a connection drops after the server acted:
the case an idempotency key exists for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ibok_tui.backends.base import Backend, Unavailable


class FailFirstCall:
    def __init__(self, inner: Backend, operation: str, *, lose_response: bool = False) -> None:
        self._inner = inner
        self._operation = operation
        self._lose_response = lose_response
        self.calls: list[dict[str, Any]] = []  # keyword arguments of every call, in order

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if name != self._operation:
            return target
        return self._wrap(target)

    def _wrap(self, target: Callable[..., Any]) -> Callable[..., Any]:
        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(dict(kwargs))
            if len(self.calls) == 1:
                if self._lose_response:
                    await target(*args, **kwargs)
                raise Unavailable("Brak połączenia z serwerem iBOK.")
            return await target(*args, **kwargs)

        return call
