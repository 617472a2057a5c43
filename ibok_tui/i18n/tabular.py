"""A table's rows as a CSV file or tab-separated text that is safe to open in a spreadsheet:
the rules, without any UI (the console's export in widgets/export.py and the commands'
`--csv` both write through here).

- A text cell that a spreadsheet would run as a formula (one beginning with `=`, `+`, `-`,
  `@`, a tab or a carriage return, also after leading spaces, or with their full-width
  forms) gets a leading `'`, as OWASP recommends for CSV injection: the spreadsheet shows
  it as text.
- An amount (an `Amount`) is written as a number, never neutralised (a negative amount
  stays a number): a decimal comma in Polish, a dot in English, no currency sign, no
  thousands separator; its column's header names the unit ("Do zapłaty [zł]").
- A date is written as ISO 8601 (2026-11-20): Excel and LibreOffice read that as a date in
  every locale, where `20.11.2026` is a date only in a day-first locale and `20/11/2026` is
  text (or the wrong date) in an American one.
- Polish: `;` between cells (Excel in a Polish locale expects it, the comma being the
  decimal separator); English: `,`. UTF-8 with a BOM, so that Excel reads Polish letters.
- Cells go through the `csv` module, quoted where needed, so a tab or a newline inside a
  cell survives, in the file and in the copied text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from . import _, get_language

# what a spreadsheet takes for the start of a formula (OWASP, CSV injection), and the
# full-width forms that some spreadsheets fold to them
FORMULA_STARTS = frozenset("=+-@\t\r") | frozenset("\uff1d\uff0b\uff0d\uff20")
ENCODING = "utf-8-sig"


class Amount(NamedTuple):
    """A cell holding an amount in grosze: exported as the number, its column's header
    with the unit."""

    grosze: int


def neutralised(text: str) -> str:
    """The text, with a `'` in front when a spreadsheet would take it for a formula."""
    stripped = text.lstrip(" \xa0")
    return "'" + text if stripped and stripped[0] in FORMULA_STARTS else text


def amount_text(grosze: int, language: str) -> str:
    """`-1234,56` in Polish, `-1234.56` in English: a number a spreadsheet reads."""
    value = f"{Decimal(grosze) / 100:.2f}"
    return value.replace(".", ",") if language == "pl" else value


def cell_text(cell: object, language: str) -> str:
    """One plain cell as exported: an Amount as the number, a date as ISO 8601 (a moment
    as its date), None as nothing, anything else as neutralised text."""
    if isinstance(cell, Amount):
        return amount_text(cell.grosze, language)
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralised("" if cell is None else str(cell))


def export_rows(
    headers: Sequence[str], rows: Sequence[Sequence[object]], language: str | None = None
) -> list[list[str]]:
    """The header (a money column's with its unit) and the rows, each cell as exported."""
    language = language or get_language()
    money_columns = {
        index for row in rows for index, cell in enumerate(row) if isinstance(cell, Amount)
    }
    unit = _("zł")
    head = [
        neutralised(f"{title} [{unit}]" if index in money_columns else title)
        for index, title in enumerate(headers)
    ]
    return [head] + [[cell_text(cell, language) for cell in row] for row in rows]


def delimiter(language: str) -> str:
    return ";" if language == "pl" else ","


def csv_text(
    headers: Sequence[str], rows: Sequence[Sequence[object]], language: str | None = None
) -> str:
    """The CSV document (without its BOM: written with ENCODING, it gets one)."""
    language = language or get_language()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter(language), lineterminator="\r\n")
    writer.writerows(export_rows(headers, rows, language))
    return buffer.getvalue()


def csv_bytes(
    headers: Sequence[str], rows: Sequence[Sequence[object]], language: str | None = None
) -> bytes:
    """The CSV file's bytes: UTF-8 with a BOM."""
    return csv_text(headers, rows, language).encode(ENCODING)


def tsv_text(
    headers: Sequence[str], rows: Sequence[Sequence[object]], language: str | None = None
) -> str:
    """Tab-separated text for the clipboard; a cell with a tab or newline is quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel-tab", lineterminator="\n")
    writer.writerows(export_rows(headers, rows, language))
    return buffer.getvalue()
