"""A command's parser: the connection options (connect.py) and where to find the exit
codes; every command module makes its parsers with it."""

from __future__ import annotations

import argparse
from typing import Any


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
