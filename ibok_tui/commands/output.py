"""What a command prints: one JSON document (`--json`, the API's shape: the domain's
dataclasses encoded by msgspec as the server encodes them, money in grosze, ISO dates),
CSV (`--csv`, the console's export rules) or a rich table for a person."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from ..i18n import _, day, moment, money
from ..i18n.tabular import Amount

# a table: its title, headers, rows (plain values: text, dates, Amount) and right-aligned columns
Rows = tuple[str, Sequence[str], Sequence[Sequence[object]], set[int]]


def money_text(grosze: int) -> str:
    return money(grosze)


def shown(value: object) -> str:
    """A plain cell as a person reads it: amounts and dates as the console shows them."""
    if isinstance(value, Amount):
        return money(value.grosze)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    return "" if value is None else str(value)


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

    from ..domain.text import json_escaped

    document = json_escaped(msgspec.json.encode(value).decode())
    sys.stdout.buffer.write(document.encode() + b"\n")
    sys.stdout.flush()


def write_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """The rows as the console's CSV export writes them (formulas neutralised, decimal
    comma in Polish, a BOM for spreadsheets)."""
    from ..i18n.tabular import csv_bytes

    sys.stdout.buffer.write(csv_bytes(headers, rows))
    sys.stdout.flush()


def cell(value: object) -> Any:
    """A table cell that rich shows as it is: no markup, control characters made visible."""
    from rich.text import Text

    from ..domain.text import visible

    return Text(visible(shown(value), multiline=False))


class Extra(str):
    """A column's header that a narrow terminal may leave out (the row still reads without
    it; --json and --csv always have it)."""

    __slots__ = ()


def print_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    right: frozenset[int] | set[int] = frozenset(),
) -> None:
    """A readable table for a person (rich): on a terminal as wide as it is, the `Extra`
    columns left out when the rest would not fit whole; a pipe or a file gets whole rows."""
    from rich.console import Console

    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False)
    columns = list(range(len(headers)))
    table = _table(title, headers, rows, right, columns)
    extra = [index for index in columns if isinstance(headers[index], Extra)]
    unbounded = console.options.update_width(10_000)
    while extra and console.measure(table, options=unbounded).maximum > console.width:
        columns.remove(extra.pop())
        table = _table(title, headers, rows, right, columns)
    console.print(table)


def _table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    right: frozenset[int] | set[int],
    columns: list[int],
) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=cell(title),
        title_justify="left",
        show_header=any(headers),
        box=box.SIMPLE_HEAD,  # no vertical rules: more room for the columns
        pad_edge=False,
    )
    for index in columns:
        # the first column names the row (a number, a serial): whole
        table.add_column(
            cell(headers[index]),
            justify="right" if index in right else "left",
            overflow="fold",
            no_wrap=index == 0,
        )
    for row in rows:
        table.add_row(*(cell(row[index]) for index in columns))
    if not rows:
        table.caption = _("(brak)")
    return table


def show(
    args: argparse.Namespace,
    value: Any,
    table: Callable[[], Rows],
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
