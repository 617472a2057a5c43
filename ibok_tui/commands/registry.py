"""Every non-interactive command, registered on the `ibok` parser (cli.py calls
`add_commands`). A command's handler is `args.run_command(args) -> exit status`."""

from __future__ import annotations

import argparse
from typing import Any

from .schema import COMMANDS as JSON_COMMANDS

# the first words of the commands registered here: `ibok WORD …` builds only these
# parsers (cli.py), so that a script does not pay for the server's options
COMMAND_NAMES = frozenset({*JSON_COMMANDS, "request", "invoice", "schema"} - {"request-new"})


def add_commands(sub: Any) -> None:
    from . import doing, reading, schema, status

    reading.add(sub)
    doing.add(sub)
    status.add(sub)
    schema.add(sub)


def command_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    """A command's parser with the connection options (connect.py)."""
    from ..i18n import _
    from .connect import add_connection_options

    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=_("Kody wyjścia i schematy JSON wyjścia: ibok schema"),
    )
    add_connection_options(parser)
    return parser
