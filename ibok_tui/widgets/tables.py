"""The console's tables: `ListTable`, and their plain content for CSV export and TSV copy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import Column, ColumnKey, RowKey

from .literal import literal, literal_cell
from .sorting import without_arrow
from .textual_internals import clear_render_caches, row_label_width

CellType = TypeVar("CellType")


class _HiddenColumn(Column):
    """A column left out while the table is too narrow for it: drawn zero cells wide."""

    def get_render_width(self, data_table: DataTable[Any]) -> int:
        return 0


def _hide(column: Column, hidden: bool) -> None:
    column.__class__ = _HiddenColumn if hidden else Column


class ListTable(DataTable[CellType]):
    """A DataTable whose cells are shown literally and never cut to their old column widths.

    Every text cell and column label is shown as `literal` makes it: never as markup, each
    control character a visible stand-in (a customer's street with ESC in it shows ␛).

    DataTable measures new rows when it is next idle; rows drawn before that (a tab that
    refills its table while the screen repaints, e.g. Pulpit when the profile's one
    property is chosen) stay in its line caches under the same key, cut to the header's
    width, until something else changes (Textual issues #3533 and #4470, open). Here the
    caches go whenever the columns have been measured again.

    Narrow terminals: `column_priorities` gives each column (in the order added) a
    priority; while the columns are wider than the table, the one of the lowest priority
    is left out (the rightmost of equal ones first), so that the columns that matter
    ("Do zapłaty", "Status") stay on an 80-column screen. The table then posts
    `ColumnsHidden` with the labels left out (the tab says so: screens/forms/base.py);
    the export and the copy keep every column (`table_content`).
    """

    column_priorities: tuple[int, ...] = ()

    class ColumnsHidden(Message):
        """The columns left out changed (`labels` is empty when all are shown again)."""

        def __init__(self, table: ListTable[Any], labels: tuple[str, ...]) -> None:
            super().__init__()
            self.table = table
            self.labels = labels

    _hidden_labels: tuple[str, ...] = ()

    @property
    def hidden_labels(self) -> tuple[str, ...]:
        """The labels of the columns left out at the table's last fitting."""
        return self._hidden_labels

    def add_column(
        self,
        label: str | Text,
        *,
        width: int | None = None,
        key: str | None = None,
        default: CellType | None = None,
    ) -> ColumnKey:
        """A column whose label is shown literally too (DataTable reads a text label as
        markup, and loading rich's emoji table for it cost a start's first table ~13M
        instructions)."""
        return super().add_column(literal(label), width=width, key=key, default=default)

    def add_row(
        self,
        *cells: CellType,
        height: int | None = 1,
        key: str | None = None,
        label: str | Text | None = None,
    ) -> RowKey:
        shown: Any = [literal_cell(cell) for cell in cells]
        return super().add_row(
            *shown, height=height, key=key, label=None if label is None else literal(label)
        )

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: CellType,
        *,
        update_width: bool = False,
    ) -> None:
        shown: Any = literal_cell(value)
        super().update_cell(row_key, column_key, shown, update_width=update_width)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._refit(always=True)

    def on_resize(self, event: events.Resize) -> None:
        self._refit()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """The scrollbar took or gave back the room of its width: the columns are fitted
        again (a table measured before its scrollbar came kept a column that then did not
        fit, or left one out for good that fits once the scrollbar is gone)."""
        self._refit()

    def _refit(self, *, always: bool = False) -> None:
        """Fit the columns; repaint from scratch if the columns shown changed (`always`:
        after a measuring, whose lines the caches hold cut to the old widths)."""
        if self._fit_columns() or always:
            clear_render_caches(self)
            self.refresh()

    def _fit_columns(self) -> bool:
        """Leave out the columns of the lowest priority that do not fit; True if the
        columns shown changed."""
        priorities = self.column_priorities
        columns = self.ordered_columns
        if not priorities or not columns or self.size.width == 0:
            return False
        shown_before = tuple(isinstance(c, _HiddenColumn) for c in columns)
        for column in columns:
            _hide(column, False)
        room = self.scrollable_content_region.width - row_label_width(self)
        widths = [column.get_render_width(self) for column in columns]
        order = sorted(
            range(len(columns)),
            key=lambda i: (priorities[i] if i < len(priorities) else 1_000, -i),
        )
        total = sum(widths)
        for index in order:
            if total <= room or index >= len(priorities):
                break
            _hide(columns[index], True)
            total -= widths[index]
        hidden = tuple(isinstance(c, _HiddenColumn) for c in columns)
        self.virtual_size = Size(total + row_label_width(self), self.virtual_size.height)
        if hidden == shown_before:
            return False
        labels = tuple(
            without_arrow(_plain(c.label)) for c in columns if isinstance(c, _HiddenColumn)
        )
        if labels != self._hidden_labels:
            self._hidden_labels = labels
            self.post_message(self.ColumnsHidden(self, labels))
        return True


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


def table_content(table: DataTable[Any]) -> tuple[list[str], list[list[object]]]:
    """The header labels as plain text and every row's cells as they are (an amount's or
    a date's cell keeps its value for the export: widgets/export.py), in the order shown.
    A header's sort mark (widgets/sorting.py) is the screen's, not the data's: left out."""
    from .sorting import without_arrow

    headers = [without_arrow(_plain(column.label)) for column in table.ordered_columns]
    rows = [list(table.get_row_at(index)) for index in range(table.row_count)]
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


def write_csv(folder: Path | None, name: str, headers: list[str], rows: list[list[object]]) -> Path:
    """The rows as a CSV file safe to open in a spreadsheet (widgets/export.py)."""
    from .export import write_csv_file

    folder = folder or downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = free_path(folder, f"ibok-{name}-{stamp}.csv")
    write_csv_file(path, headers, rows)
    return path


def save_bytes(folder: Path | None, filename: str, content: bytes) -> Path:
    folder = folder or downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = free_path(folder, filename)
    path.write_bytes(content)
    return path
