"""Running one command: the event loop, the signed-in backend, and every failure turned
into a message on stderr (in the configured language, control characters made visible)
and the exit status of exits.py."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .exits import Exit, UsageError, exit_for

if TYPE_CHECKING:
    from ..backends.base import Backend

Action = Callable[["Backend", argparse.Namespace], Awaitable[int | None]]


def complain(text: str) -> None:
    """One message on stderr, its control characters made visible."""
    from ..domain.text import visible

    print("ibok: " + visible(text), file=sys.stderr, flush=True)


def failure_text(error: BaseException) -> str:
    """What to say about a command's failure: a refusal names each field as the API does
    (`field: message`), so that a script can tell which value was wrong."""
    from ..domain.errors import ValidationFailed
    from ..i18n.problems import error_text, field_text

    if isinstance(error, UsageError):
        return str(error)
    if isinstance(error, ValidationFailed) and error.errors:
        lines = [f"{item.field}: {field_text(item)}" for item in error.errors]
        return "\n".join(lines)
    return error_text(error)


def run(action: Action, args: argparse.Namespace) -> int:
    """Sign in as the arguments say, run `action` and return its exit status."""
    from .connect import signed_in

    async def main() -> int:
        async with signed_in(args) as backend:
            status = await action(backend, args)
            return Exit.OK if status is None else status

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        complain(failure_text(error))
        return exit_for(error)
