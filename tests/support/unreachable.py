"""A `Backend` whose server can be switched off: while `down`, every call raises
`Unavailable`, as an unreachable iBOK server would."""

from __future__ import annotations

from typing import Any

from ibok_tui.backends.base import Backend, Unavailable

_LOCAL = {"label", "session", "close", "prepare"}  # no network in these


class SwitchableBackend:
    def __init__(self, inner: Backend, *, down: bool = False) -> None:
        self._inner = inner
        self.down = down

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if name in _LOCAL or not callable(target):
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise Unavailable("Nie można połączyć się z serwerem iBOK.")
            return await target(*args, **kwargs)

        return call
