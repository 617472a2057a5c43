"""Every non-interactive command, registered on the `ibok` parser (cli.py calls
`add_commands`). A command's handler is `args.run_command(args) -> exit status`."""

from __future__ import annotations

from typing import Any

from .parsers import command_parser
from .schema import COMMANDS as JSON_COMMANDS

__all__ = ["COMMAND_NAMES", "add_commands", "command_parser"]  # command_parser: parsers.py

# the first words of the commands registered here: `ibok WORD …` builds only these
# parsers (cli.py), so that a script does not pay for the server's options
COMMAND_NAMES = frozenset(
    {*JSON_COMMANDS, "request", "invoice", "schema", "outbox"} - {"request-new"}
)


def add_commands(sub: Any) -> None:
    from . import doing, outbox, reading, schema, status

    reading.add(sub)
    doing.add(sub)
    status.add(sub)
    schema.add(sub)
    outbox.add(sub)
