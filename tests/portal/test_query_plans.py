"""Every query a customer screen runs is served by an index: no statement of a customer's
call reads a whole table that grows with the customers (the plan of each, on SQLite
`EXPLAIN QUERY PLAN`, on PostgreSQL `EXPLAIN` with sequential scans priced out, so that a
Seq Scan, or an index walked without a condition, left in a plan means there is no index
it could use)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from ibok_tui.domain.errors import ValidationFailed
from ibok_tui.domain.models import InvoiceQuery, Resolution, SettlementFilter
from ibok_tui.portal.service import PortalService
from tests.support.accounts import PASSWORDS

# the tables whose rows grow with the customers (settings, tariffs, notices and operators
# do not)
GROWING = {
    "customers", "properties", "points", "meters", "readings", "hourly", "invoices",
    "invoice_lines", "payments", "documents", "contracts", "requests", "request_events",
    "sessions", "tokens", "audit", "idempotency", "login_failures", "answers",
    "data_versions", "customer_search",
}  # fmt: skip

Call = Callable[[PortalService, str], Any]


def _calls(p: PortalService, number: str) -> dict[str, Call]:
    def first(sql: str) -> Any:
        return p.store.scalar(sql + " WHERE customer_number = ? ORDER BY 1 LIMIT 1", (number,))

    meter = p.store.scalar(
        "SELECT m.id FROM meters m JOIN properties p ON p.id = m.property_id"
        " WHERE p.customer_number = ? ORDER BY 1 LIMIT 1",
        (number,),
    )
    invoice = first("SELECT number FROM invoices")
    contract = first("SELECT number FROM contracts")
    document = first("SELECT id FROM documents")
    request = first("SELECT id FROM requests")
    span = (date(2026, 10, 1), date(2026, 11, 20))
    calls: dict[str, Call] = {
        "dashboard": lambda p, t: p.dashboard(t),
        "profile": lambda p, t: p.profile(t),
        "invoices": lambda p, t: p.invoices(t),
        "invoices filtered": lambda p, t: p.invoices(t, InvoiceQuery(number="03")),
        "invoice": lambda p, t: p.invoice(t, invoice),
        "settlements": lambda p, t: [p.settlements(t, w) for w in SettlementFilter],
        "balance": lambda p, t: p.balance(t),
        "meters": lambda p, t: p.meters(t),
        "meter": lambda p, t: p.meter(t, meter),
        "readings": lambda p, t: p.readings(t, meter),
        "series": lambda p, t: [_series(p, t, meter, r, span) for r in Resolution],
        "requests": lambda p, t: p.requests(t),
        "contracts": lambda p, t: p.contracts(t),
        "documents": lambda p, t: p.documents(t),
        "export": lambda p, t: p.export_data(t),
    }
    if request is not None:
        calls["request"] = lambda p, t: p.request(t, request)
    if contract is not None:
        calls["contract"] = lambda p, t: p.contract(t, contract)
    if document is not None:
        calls["document"] = lambda p, t: p.document_content(t, document)
    return calls


def _series(p: PortalService, token: str, meter: str, resolution: Resolution, span: Any) -> Any:
    try:
        return p.series(token, meter, resolution, *span)
    except ValidationFailed:  # not kept at this resolution
        return None


def _statements(portal: PortalService, call: Call, token: str) -> list[str]:
    seen: list[str] = []
    portal.store.trace(seen.append)
    try:
        call(portal, token)
    finally:
        portal.store.trace(None)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE"))]


def _full_scans(portal: PortalService, statements: list[str]) -> list[tuple[str, str]]:
    store = portal.store
    found = []
    if store.dialect == "sqlite":
        for sql in statements:
            for row in store.all("EXPLAIN QUERY PLAN " + sql):
                detail = str(row[3])
                match = re.match(r"SCAN (\w+)", detail)
                if match and _table(sql, match[1]) in GROWING:
                    found.append((detail, sql))
        return found
    with store.transaction():
        store.execute("SET LOCAL enable_seqscan = off")
        for sql in statements:
            plan = store.scalar("EXPLAIN (FORMAT JSON) " + sql)
            found += [(node, sql) for node in _pg_full_scans(plan[0]["Plan"])]
    return found


def _pg_full_scans(node: dict[str, Any]) -> list[str]:
    """The nodes of a PostgreSQL plan that read a whole growing table: a Seq Scan, or an
    index scan with no condition (with sequential scans priced out, the planner walks a
    primary key from end to end rather than say there is no index to use)."""
    found = []
    kind = node.get("Node Type", "")
    table = node.get("Relation Name", "")
    if kind == "Seq Scan" and table in GROWING:
        found.append(f"{kind} on {table}")
    indexed = kind in ("Index Scan", "Index Only Scan")
    if indexed and table in GROWING and "Index Cond" not in node:
        found.append(f"{kind} on {table} using {node.get('Index Name')}, no condition")
    for child in node.get("Plans", ()):
        found += _pg_full_scans(child)
    return found


def _table(sql: str, name: str) -> str:
    """The table an alias in `sql` stands for (SQLite's plan names the alias)."""
    for match in re.finditer(rf"\b(\w+)\s+(?:AS\s+)?{name}\b", sql):
        if match[1] in GROWING:
            return match[1]
    return name


@pytest.mark.parametrize("number", ["100001", "200001", "100003"])
def test_each_customer_call_is_served_by_indexes(portal: PortalService, number: str) -> None:
    token = portal.login(number, PASSWORDS[number]).token
    calls = _calls(portal, number)
    scans = {}
    for name, call in calls.items():
        statements = _statements(portal, call, token)
        assert statements, name
        if found := _full_scans(portal, statements):
            scans[name] = found
    assert scans == {}
