"""Where psycopg's results meet the portal's neutral dialect: a row read by column name as
sqlite3.Row is (`PgRow`, made by `row_factory`), and the dialect's `?` placeholders as
psycopg's `%s` (`translated`). Used by the store's pool (portal/pgstore.py) and by the event
loop's reads (portal/pgloop.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache, partial
from typing import Any

from psycopg.pq import ExecStatus


class PgRow:
    """A row read by column name (as sqlite3.Row: case-insensitive) or by position."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str, /) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key.lower()]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PgRow) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self._values))

    def __repr__(self) -> str:
        return f"PgRow({tuple(self._values)!r})"


# the results that carry rows (psycopg's own test for a description)
_TUPLES = frozenset({ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE})


def has_rows(cursor: Any) -> bool:
    result = cursor.pgresult
    return result is not None and result.status in _TUPLES


@lru_cache(maxsize=1024)
def _index(names: tuple[bytes | None, ...]) -> dict[str, int]:
    """Each column's position by its name in lower case (a repeated name: the first, as
    sqlite3.Row), once per shape of result: the rows of one statement share it."""
    index: dict[str, int] = {}
    for number, name in enumerate(names):
        index.setdefault((name or b"").decode("utf-8", "replace").lower(), number)
    return index


def row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRow] | type[tuple[Any, ...]]:
    """The row factory: the column names straight from the result. psycopg's `description`
    builds an object per column each time it is asked, and it was asked twice a statement:
    of the 90 µs of CPU the session's lookup (19 columns) cost on the client, 55 went there."""
    if not has_rows(cursor):
        return tuple
    result = cursor.pgresult
    return partial(PgRow, _index(tuple(result.fname(i) for i in range(result.nfields))))


@lru_cache(maxsize=2048)
def translated(sql: str) -> str:
    """The neutral dialect's `?` placeholders as psycopg's `%s`, and a literal `%` doubled;
    neither is touched inside a quoted string or identifier."""
    return rewritten(sql, lambda _: "%s", "%%")[0]


def rewritten(sql: str, placeholder: Callable[[int], str], percent: str) -> tuple[str, int]:
    """`sql` with its n-th `?` (from 0) as `placeholder(n)` and each `%` as `percent`,
    outside quoted strings and identifiers; and how many placeholders it had."""
    out: list[str] = []
    quote = ""
    count = 0
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append(placeholder(count))
            count += 1
            continue
        if char == "%":
            out.append(percent)
            continue
        out.append(char)
    return "".join(out), count
