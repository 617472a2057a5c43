"""Plain content of a DataTable, for CSV export and TSV copy."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.widgets import DataTable


def _plain(value: object) -> str:
    if isinstance(value, Text):
        return value.plain
    return "" if value is None else str(value)


def highlighted_key(table: DataTable[Any]) -> str | None:
    """The row key of the highlighted row, or None for an empty table."""
    if table.row_count == 0:
        return None
    value = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return None if value is None else str(value)


def table_content(table: DataTable[Any]) -> tuple[list[str], list[list[str]]]:
    """The header labels and every row's cells as plain text, in the order shown."""
    headers = [_plain(column.label) for column in table.ordered_columns]
    rows = [[_plain(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
    return headers, rows


def downloads_dir() -> Path:
    from platformdirs import user_downloads_dir

    return Path(user_downloads_dir())


def free_path(folder: Path, filename: str) -> Path:
    """`folder/filename`, or `name (2).ext` and so on when that exists."""
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in filename).strip() or "plik"
    path = folder / safe
    stem, suffix = path.stem, path.suffix
    count = 2
    while path.exists():
        path = folder / f"{stem} ({count}){suffix}"
        count += 1
    return path


def write_csv(folder: Path | None, name: str, headers: list[str], rows: list[list[str]]) -> Path:
    folder = folder or downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = free_path(folder, f"ibok-{name}-{stamp}.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def save_bytes(folder: Path | None, filename: str, content: bytes) -> Path:
    folder = folder or downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = free_path(folder, filename)
    path.write_bytes(content)
    return path
