"""A list's sort order by any of its columns, as the tabs' tables use it (Odczyty, Faktury):
a click on a column's header sorts by it (again: the other way), the tab's `s` goes through
the columns (ascending, then descending, then the next column), and the header shows ▲/▼."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")
ARROWS = (" ▼", " ▲")


def without_arrow(header: str) -> str:
    """A header's text without the sort mark `SortOrder.arrow` added."""
    for arrow in ARROWS:
        header = header.removesuffix(arrow)
    return header


class SortOrder(Generic[T]):
    def __init__(
        self, keys: Mapping[str, Callable[[T], Any]], column: str, *, reverse: bool = False
    ) -> None:
        self.keys = keys  # column -> sort key, in the columns' order
        self.column = column
        self.reverse = reverse

    def header_selected(self, column: str) -> bool:
        """A click on `column`'s header: sort by it, or the other way if it is the order
        already. False for a column that cannot be sorted by."""
        if column not in self.keys:
            return False
        self.reverse = not self.reverse if column == self.column else False
        self.column = column
        return True

    def advance(self) -> None:
        """The tab's sort key: descending after ascending, then the next column ascending."""
        if not self.reverse:
            self.reverse = True
            return
        columns = list(self.keys)
        self.column = columns[(columns.index(self.column) + 1) % len(columns)]
        self.reverse = False

    def arrow(self, column: str) -> str:
        """What the column's header adds: ▼ / ▲ on the column sorted by."""
        if column != self.column:
            return ""
        return ARROWS[0] if self.reverse else ARROWS[1]

    def apply(self, items: Iterable[T]) -> list[T]:
        return sorted(items, key=self.keys[self.column], reverse=self.reverse)
