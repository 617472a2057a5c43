"""What a command prints: one JSON document (`--json`, the API's shape: the domain's
dataclasses encoded by msgspec as the server encodes them, money in grosze, ISO dates),
CSV (`--csv`, the console's export rules) or a rich table for a person."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..i18n import _


def add_output_options(parser: argparse.ArgumentParser, *, csv: bool = False) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--json", action="store_true", help=_("jeden dokument JSON (schemat: ibok schema)")
    )
    if csv:
        group.add_argument("--csv", action="store_true", help=_("CSV, jak eksport w konsoli"))


def write_json(value: Any) -> None:
    """Exactly one JSON document on stdout, as the API would send it."""
    import msgspec

    sys.stdout.buffer.write(msgspec.json.encode(value) + b"\n")
    sys.stdout.flush()


def write_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """The rows as the console's CSV export writes them (formulas neutralised, decimal
    comma in Polish, a BOM for spreadsheets)."""
    from ..i18n.tabular import csv_bytes

    sys.stdout.buffer.write(csv_bytes(headers, rows))
    sys.stdout.flush()


def cell(text: object) -> Any:
    """A table cell that rich shows as it is: no markup, control characters made visible."""
    from rich.text import Text

    from ..domain.text import visible

    return Text(visible(str(text), multiline=False))


def print_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    right: frozenset[int] | set[int] = frozenset(),
) -> None:
    """A readable table for a person (rich); plain text when stdout is not a terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=cell(title), title_justify="left")
    for index, header in enumerate(headers):
        table.add_column(
            cell(header), justify="right" if index in right else "left", overflow="fold"
        )
    for row in rows:
        table.add_row(*(cell(value) for value in row))
    if not rows:
        table.caption = _("(brak)")
    Console().print(table)


def show(
    args: argparse.Namespace,
    value: Any,
    table: Callable[[], tuple[str, Sequence[str], Sequence[Sequence[object]], set[int]]],
) -> None:
    """--json prints `value`; --csv and the terminal the rows `table` builds."""
    if getattr(args, "json", False):
        write_json(value)
        return
    title, headers, rows, right = table()
    if getattr(args, "csv", False):
        write_csv(headers, rows)
        return
    print_table(title, headers, rows, right=right)
