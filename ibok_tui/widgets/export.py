"""The console's table cells that export as values: an amount (`MoneyCell`) as the number,
a date (`DayCell`) as ISO 8601. The export rules themselves (formula neutralising, decimal
comma in Polish, `;` and a BOM) are in i18n/tabular.py, shared with the commands' `--csv`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from rich.text import Text

from ..i18n import day, get_language, money, tabular
from ..i18n.tabular import ENCODING, FORMULA_STARTS, Amount, amount_text, delimiter, neutralised

__all__ = [
    "ENCODING",
    "FORMULA_STARTS",
    "DayCell",
    "MoneyCell",
    "amount_text",
    "day_cell",
    "delimiter",
    "export_rows",
    "money_cell",
    "neutralised",
    "tsv_text",
    "write_csv_file",
]


class MoneyCell(Text):
    """A table cell showing an amount; exported as the number (grosze as `grosze`)."""

    grosze: int = 0


class DayCell(Text):
    """A table cell showing a date; exported as ISO 8601."""

    day: date | None = None


def money_cell(grosze: int, *, style: str = "") -> MoneyCell:
    """An amount as the console shows it (right-aligned), exported as the number."""
    cell = MoneyCell(money(grosze), justify="right")
    if style:
        cell.stylize(style)
    cell.grosze = grosze
    return cell


def day_cell(value: date | datetime | None) -> DayCell:
    """A date as the console shows it, exported as ISO 8601."""
    cell = DayCell(day(value))
    cell.day = value.date() if isinstance(value, datetime) else value
    return cell


def plain(cell: object) -> object:
    """A shown cell as the value it exports (tabular.cell_text's kinds)."""
    if isinstance(cell, MoneyCell):
        return Amount(cell.grosze)
    if isinstance(cell, DayCell):
        return cell.day
    if isinstance(cell, Text):
        return cell.plain
    return cell


def _plain_rows(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    return [[plain(cell) for cell in row] for row in rows]


def export_rows(
    headers: Sequence[str], rows: Sequence[Sequence[object]], language: str | None = None
) -> list[list[str]]:
    """The header (a money column's with its unit) and the rows, each cell as exported."""
    return tabular.export_rows(headers, _plain_rows(rows), language)


def write_csv_file(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    language: str | None = None,
) -> None:
    text = tabular.csv_text(headers, _plain_rows(rows), language or get_language())
    with path.open("w", newline="", encoding=ENCODING) as handle:
        handle.write(text)


def tsv_text(
    headers: Sequence[str], rows: Sequence[Sequence[object]], language: str | None = None
) -> str:
    """Tab-separated text for the clipboard; a cell with a tab or newline is quoted."""
    return tabular.tsv_text(headers, _plain_rows(rows), language)
