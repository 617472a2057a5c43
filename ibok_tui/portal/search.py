"""The operator's customer search: one folded text per customer (number, name,
correspondence street, the streets of the properties, the meter serials), indexed for
substring search, kept true by every write that changes one of them.

SQLite: a plain table `customer_search` with an FTS5 trigram index over it
(`customer_search_fts`, kept by triggers). The text is folded in Python (domain.folding),
so the database needs no collation or accent rules of its own: PostgreSQL can index the
same column with pg_trgm's GIN operator class and answer `folded LIKE '%word%'`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from ..domain.folding import folded_words

SEARCH_MAX = 200  # characters of a query
MAX_WORDS = 8  # the longest words of a query are searched for; the rest are not
TRIGRAM = 3  # the index finds words of at least this many characters
SORTED_MAX = 1000  # results sorted by name; a query finding more pages in the index's order
_CHUNK = 500

SEARCH_DDL: tuple[str, ...] = (
    """CREATE TABLE customer_search (
        id INTEGER PRIMARY KEY,
        customer_number TEXT NOT NULL UNIQUE REFERENCES customers(number),
        name TEXT NOT NULL,
        folded TEXT NOT NULL
    )""",
    # the order results come in: a search of short words walks it and stops at a page
    "CREATE INDEX customer_search_order ON customer_search(name, customer_number)",
    """CREATE VIRTUAL TABLE customer_search_fts USING fts5(
        folded, content='customer_search', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER customer_search_insert AFTER INSERT ON customer_search BEGIN
        INSERT INTO customer_search_fts (rowid, folded) VALUES (new.id, new.folded);
    END""",
    """CREATE TRIGGER customer_search_delete AFTER DELETE ON customer_search BEGIN
        INSERT INTO customer_search_fts (customer_search_fts, rowid, folded)
            VALUES ('delete', old.id, old.folded);
    END""",
    """CREATE TRIGGER customer_search_update AFTER UPDATE ON customer_search BEGIN
        INSERT INTO customer_search_fts (customer_search_fts, rowid, folded)
            VALUES ('delete', old.id, old.folded);
        INSERT INTO customer_search_fts (rowid, folded) VALUES (new.id, new.folded);
    END""",
)

# what a customer is found by, one row per customer
_SOURCE = (
    "SELECT c.number, c.name, c.street,"
    " (SELECT group_concat(p.street, ' ') FROM properties p"
    "  WHERE p.customer_number = c.number),"
    " (SELECT group_concat(m.serial, ' ') FROM meters m JOIN properties p"
    "  ON p.id = m.property_id WHERE p.customer_number = c.number)"
    " FROM customers c"
)


class Db(Protocol):
    """What the index needs: a Store, or the connection a migration runs on."""

    def all(self, sql: str, params: Sequence[Any] = ...) -> list[Any]: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any: ...


class _Connection:
    """A migration's connection seen as a Db."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        return self.conn.executemany(sql, rows)


def migrate(conn: sqlite3.Connection) -> None:
    """Migration 5: the index, filled from the rows already stored."""
    for statement in SEARCH_DDL:
        conn.execute(statement)
    reindex(_Connection(conn))


def searched_text(*parts: str | None) -> str:
    """The folded text a customer is found by."""
    return " ".join(folded_words(" ".join(part for part in parts if part)))


def reindex(db: Db, numbers: Iterable[str] | None = None) -> None:
    """Make the index true for these customers (all of them when None), inside the
    caller's transaction. Call it after every write of a name, street or meter serial."""
    if numbers is None:
        _upsert(db, db.all(_SOURCE + " ORDER BY c.number"))
        return
    wanted = sorted(set(numbers))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        _upsert(db, db.all(_SOURCE + f" WHERE c.number IN ({marks})", chunk))


def _upsert(db: Db, found: Sequence[Sequence[Any]]) -> None:
    db.executemany(
        "INSERT INTO customer_search (customer_number, name, folded) VALUES (?, ?, ?)"
        " ON CONFLICT (customer_number) DO UPDATE SET name = excluded.name,"
        " folded = excluded.folded WHERE customer_search.folded <> excluded.folded"
        " OR customer_search.name <> excluded.name",
        [(row[0], row[1], searched_text(*row)) for row in found],
    )


def query_words(query: str) -> list[str]:
    """The words searched for: folded, distinct, none inside another, the longest first."""
    words = sorted(set(folded_words(query)), key=lambda w: (-len(w), w))
    kept: list[str] = []
    for word in words:
        if not any(word in longer for longer in kept):
            kept.append(word)
    return kept[:MAX_WORDS]


def find(db: Db, query: str, *, offset: int, limit: int) -> list[str]:
    """Customer numbers whose text holds every word of `query` (as a substring), the
    customer whose number is the query first, then by name and number; `offset` and
    `limit` page through them. A query that finds SORTED_MAX or more (`kowalczyk` among
    100,000) pages in the index's order instead, the order customers came in: sorting
    thousands of names for each page is what would make it slow."""
    words = query_words(query)
    if not words or limit < 1:
        return []
    exact = db.all("SELECT number FROM customers WHERE number = ?", (query.strip(),))
    first = exact[0][0] if exact else None
    indexed = [w for w in words if len(w) >= TRIGRAM]
    short = [w for w in words if len(w) < TRIGRAM]
    params: list[Any] = []
    if indexed:
        # each word a quoted FTS5 string: folded words hold no quote, so no query syntax
        sql = (
            "SELECT s.customer_number, s.name FROM customer_search_fts f"
            " JOIN customer_search s ON s.id = f.rowid WHERE customer_search_fts MATCH ?"
        )
        params.append(" AND ".join(f'"{w}"' for w in indexed))
    else:
        sql = "SELECT s.customer_number, s.name FROM customer_search s WHERE 1 = 1"
    for word in short:  # letters and digits only: no LIKE wildcard in them
        sql += " AND s.folded LIKE ?"
        params.append(f"%{word}%")
    found: list[str] = []
    if first is not None:
        sql += " AND s.customer_number <> ?"
        params.append(first)
        if offset == 0:
            found.append(first)
            limit -= 1
        else:
            offset -= 1
    if not indexed:  # walk the name order, stop at the page
        order = " ORDER BY s.name, s.customer_number LIMIT ? OFFSET ?"
        return found + [r[0] for r in db.all(sql + order, (*params, limit, offset))]
    few = db.all(sql + " ORDER BY f.rowid LIMIT ?", (*params, SORTED_MAX))
    if len(few) < SORTED_MAX:
        ordered = sorted(few, key=lambda r: (r[1], r[0]))  # code points: SQLite's BINARY
        return found + [r[0] for r in ordered[offset : offset + limit]]
    rows = db.all(sql + " ORDER BY f.rowid LIMIT ? OFFSET ?", (*params, limit, offset))
    return found + [r[0] for r in rows]
