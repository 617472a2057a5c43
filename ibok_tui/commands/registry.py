"""Every non-interactive command, registered on the `ibok` parser (cli.py calls
`add_commands`). A command's handler is `args.run_command(args) -> exit status`."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(sub: Any) -> None:
    from . import doing, outbox, reading, schema, status

    reading.add(sub)
    doing.add(sub)
    status.add(sub)
    schema.add(sub)
    outbox.add(sub)


def command_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    """A command's parser with the connection options (connect.py)."""
    from .connect import add_connection_options

    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    add_connection_options(parser)
    return parser
