"""Answers computed once per customer and day, kept in the store so that every worker and
host shares them: Pulpit's dashboard, the invoices and the settlements.

An iBOK's data is as of the previous day, so these answers change only when the day does
or when something of the customer's changes. The store keeps a version per customer (and
one, under the empty scope, for what every customer's answers show: the utility, its
tariffs and notices) in `data_versions`; database triggers on every table that holds
customer data bump it in the writing transaction itself, so no write path of the portal,
an operator, an import or a hand-made `UPDATE` can forget it. A stored answer is served
only while its day, both versions and the code's format are still the current ones.

The versions are read before the answer is computed, and the answer is stored with them:
whatever was written after that read carries a newer version, so an answer that may hold
older data is never served, only computed again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol


class Store(Protocol):
    """What of a store this module uses (the store's module imports this one for its
    migrations, so this one does not import it)."""

    def execute(self, sql: str, params: Any = (), /) -> Any: ...
    def one(self, sql: str, params: Any = (), /) -> Any: ...


SHARED = ""  # the scope of what every customer's answers show

_BY_METER = (
    "SELECT p.customer_number AS scope FROM meters m JOIN properties p"
    " ON p.id = m.property_id WHERE m.id = {row}.meter_id"
)
# each table that holds what a customer's answers show, and the customer (the scope) a row
# of it belongs to, as a query over the row ({row} is NEW or OLD)
_SCOPES = {
    "customers": "SELECT {row}.number AS scope",
    "properties": "SELECT {row}.customer_number AS scope",
    "points": "SELECT customer_number AS scope FROM properties WHERE id = {row}.property_id",
    "meters": "SELECT customer_number AS scope FROM properties WHERE id = {row}.property_id",
    "readings": _BY_METER,
    "hourly": _BY_METER,
    "invoices": "SELECT {row}.customer_number AS scope",
    "invoice_lines": (
        "SELECT customer_number AS scope FROM invoices WHERE number = {row}.invoice_number"
    ),
    "payments": "SELECT {row}.customer_number AS scope",
    "documents": "SELECT {row}.customer_number AS scope",
    "contracts": "SELECT {row}.customer_number AS scope",
    "requests": "SELECT {row}.customer_number AS scope",
    "request_events": "SELECT customer_number AS scope FROM requests WHERE id = {row}.request_id",
    "settings": "SELECT '' AS scope",
    "tariffs": "SELECT '' AS scope",
    "notices": "SELECT '' AS scope",
}
TRACKED = tuple(_SCOPES)

_TABLES = """
    CREATE TABLE data_versions (scope TEXT PRIMARY KEY, version BIGINT NOT NULL);
    CREATE TABLE answers (
        customer_number TEXT NOT NULL, name TEXT NOT NULL,
        day TEXT NOT NULL, format TEXT NOT NULL,
        version BIGINT NOT NULL, shared_version BIGINT NOT NULL,
        body TEXT NOT NULL, etag TEXT NOT NULL,
        PRIMARY KEY (customer_number, name)
    );
    CREATE INDEX points_property ON points(property_id);
    """


def _bump(row: str, table: str) -> str:
    """The statement that bumps the version of the customer a row belongs to."""
    return (
        "INSERT INTO data_versions (scope, version)"
        f" SELECT scope, 1 FROM ({_SCOPES[table].format(row=row)}) AS touched"
        " WHERE scope IS NOT NULL"
        " ON CONFLICT (scope) DO UPDATE SET version = data_versions.version + 1"
    )


def _tables(store: Store) -> None:
    for statement in _TABLES.split(";"):
        if statement.strip():
            store.execute(statement)


def migrate_sqlite(store: Store) -> None:
    """The tables, the indexes the customer screens need, and three triggers per table."""
    _tables(store)
    for table in TRACKED:
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = "".join(_bump(row, table) + "; " for row in rows)
            store.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_version AFTER {event} ON {table}"
                f" FOR EACH ROW BEGIN {body}END"
            )


def migrate_postgresql(store: Store) -> None:
    """The tables, the indexes, and one trigger function (and trigger) per table."""
    _tables(store)
    for table in TRACKED:
        store.execute(
            f"CREATE FUNCTION {table}_version() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF TG_OP <> 'INSERT' THEN {_bump('OLD', table)}; END IF;"
            f" IF TG_OP <> 'DELETE' THEN {_bump('NEW', table)}; END IF;"
            " RETURN NULL; END $$"
        )
        store.execute(
            f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {table}_version()"
        )


def statement_triggers_postgresql(store: Store) -> None:
    """PostgreSQL: the row triggers replaced by statement triggers over the rows a statement
    touched (its transition tables), each customer bumped once per statement. A row trigger
    ran its bump for every row, so an import of 5,000 invoices with their lines bumped the
    same customers 20,000 times, most of the import's time on PostgreSQL."""
    for table in TRACKED:
        store.execute(f"DROP TRIGGER {table}_version ON {table}")
        store.execute(f"DROP FUNCTION {table}_version()")
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            name = f"{table}_{event.lower()}_version"
            store.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN {_bump_touched(rows, table)}; RETURN NULL; END $$"
            )
            store.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING"
                + "".join(f" {row} TABLE AS {row.lower()}_rows" for row in rows)
                + f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def _bump_touched(rows: tuple[str, ...], table: str) -> str:
    """The statement that bumps, once each, the customers of the rows in the transition
    tables (`new_rows`, `old_rows`: an update moving a row between customers bumps both)."""
    scope = _SCOPES[table].format(row="r")
    touched = " UNION ".join(
        f"SELECT s.scope FROM {row.lower()}_rows AS r, LATERAL ({scope}) AS s" for row in rows
    )
    return (
        "INSERT INTO data_versions (scope, version)"
        f" SELECT DISTINCT scope, 1 FROM ({touched}) AS touched WHERE scope IS NOT NULL"
        " ON CONFLICT (scope) DO UPDATE SET version = data_versions.version + 1"
    )


def bump_shared(store: Store) -> None:
    """Make every stored answer old (after a bulk load that ran without the triggers)."""
    store.execute(
        "INSERT INTO data_versions (scope, version) VALUES ('', 1)"
        " ON CONFLICT (scope) DO UPDATE SET version = data_versions.version + 1"
    )


@dataclass(frozen=True)
class Answer:
    """An answer as it goes out: its JSON and the strong ETag of that JSON."""

    body: bytes
    etag: str


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# what is read of a stored answer, and the versions it is checked against, for the customer
# `{customer}` names (a placeholder, or a column of the statement it is part of)
_COLUMNS = (
    "a.day AS answer_day, a.format AS answer_format, a.version AS answer_version,"
    " a.shared_version AS answer_shared_version, a.body AS answer_body, a.etag AS answer_etag,"
    " (SELECT version FROM data_versions WHERE scope = {customer}) AS customer_now,"
    " (SELECT version FROM data_versions WHERE scope = '') AS shared_now"
)
_JOIN = "LEFT JOIN answers a ON a.customer_number = {customer} AND a.name = ?"


def joined(customer: str) -> tuple[str, str]:
    """The columns and the join that read a stored answer in another statement: the
    session's lookup (portal/sessions.py) reads the answer of the session's customer with
    it, so a screen answered from the store costs one statement, not two. `customer` is
    the column that holds the customer's number; the join's one `?` is the answer's name.
    One statement reads the versions and the answer in one snapshot, as `_READ` does."""
    return _COLUMNS.format(customer=customer), _JOIN.format(customer=customer)


_READ = (
    f"SELECT {_COLUMNS.format(customer='?')} FROM (SELECT 1 AS one) AS k"
    f" {_JOIN.format(customer='?')}"
)
_WRITE = (
    "INSERT INTO answers (customer_number, name, day, format, version, shared_version, body,"
    " etag) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (customer_number, name) DO UPDATE SET"
    " day = excluded.day, format = excluded.format, version = excluded.version,"
    " shared_version = excluded.shared_version, body = excluded.body, etag = excluded.etag"
)


@cache
def answer_format() -> str:
    """What a stored answer was made by: the package's version and the shape of the types
    the answers are; a server of other code computes its own."""
    import msgspec

    from .. import __version__
    from ..domain.models import Dashboard, Invoice, Settlements

    shape = msgspec.json.encode(msgspec.json.schema_components([Dashboard, Invoice, Settlements]))
    return __version__ + ":" + hashlib.sha256(shape).hexdigest()[:16]


@cache
def _decoder(kind: Hashable) -> Any:
    import msgspec

    return msgspec.json.Decoder(kind)


def decoded(answer: Answer, kind: Any) -> Any:
    """The answer as the domain's objects (for the in-process backend)."""
    return _decoder(kind).decode(answer.body)


def fresh(value: object) -> Answer:
    """An answer computed now and not stored (a filtered list)."""
    import msgspec

    body = msgspec.json.encode(value)
    return Answer(body, etag_of(body))


class Answers:
    """The stored answers of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(
        self,
        customer: str,
        name: str,
        day: str,
        compute: Callable[[], object],
        row: Any = None,
    ) -> Answer:
        """The answer `name` of `customer` on `day`: the stored one while it is current,
        else `compute()`d, encoded and stored. `row` is what a statement with `joined()`'s
        columns read of it already (None: read it here)."""
        if row is None:
            row = self.store.one(_READ, (customer, customer, name))
            assert row is not None  # the query always has its one row
        stored = current(row, day)
        if stored is not None:
            return stored
        answer = fresh(compute())
        version, shared = row["customer_now"] or 0, row["shared_now"] or 0
        params = (
            customer, name, day, answer_format(), version, shared, answer.body.decode(),
            answer.etag,
        )  # fmt: skip
        self.store.execute(_WRITE, params)
        return answer


def current(row: Any, day: str) -> Answer | None:
    """The stored answer a statement with `joined()`'s columns read, while its day, both
    versions and the code's format are still the current ones (None: compute it again)."""
    if (
        row["answer_body"] is not None
        and row["answer_day"] == day
        and row["answer_version"] == (row["customer_now"] or 0)
        and row["answer_shared_version"] == (row["shared_now"] or 0)
        and row["answer_format"] == answer_format()
    ):
        return Answer(row["answer_body"].encode(), row["answer_etag"])
    return None
