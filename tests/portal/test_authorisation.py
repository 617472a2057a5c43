"""One authorisation step per call: a public call resolves its token once, then the
services work on the resolved session. Counted on a real SQLite store through its trace
hook: the statements that read the `sessions` table by a token's hash."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest

from ibok_tui.domain.models import (
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
    Resolution,
)
from ibok_tui.portal.service import PortalService
from tests.support import scans
from tests.support.accounts import NEW_PASSWORD, OPERATORS, PASSWORDS


def is_lookup(sql: str) -> bool:
    """A read of the sessions table by a token's hash (alone, or with the stored answer
    of the session's customer joined to it: portal/sessions.py)."""
    return sql.startswith("SELECT") and "FROM sessions " in sql and "WHERE token_hash" in sql


@contextmanager
def session_lookups(portal: PortalService) -> Iterator[list[str]]:
    seen: list[str] = []
    portal.store.trace(lambda sql: seen.append(sql) if is_lookup(sql) else None)
    try:
        yield seen
    finally:
        portal.store.trace(None)


def _more_than_last(p: PortalService, t: str) -> str:
    """Five cubic metres above the first meter's last reading, as typed."""
    last = p.readings(t, p.meters(t)[0].id)[-1].index
    return f"{(last + 5000) / 1000:.3f}".replace(".", ",")


def _unpaid(p: PortalService, t: str) -> str:
    return next(i.number for i in p.invoices(t) if i.to_pay > 0)


def _contract(p: PortalService, t: str) -> str:
    return p.contracts(t)[0].number


CUSTOMER_CALLS: dict[str, tuple[str, Callable[[PortalService, str], Any]]] = {
    "dashboard": ("100001", lambda p, t: p.dashboard(t)),
    "dashboard, smart meter": ("100003", lambda p, t: p.dashboard(t)),
    "dashboard, business": ("200001", lambda p, t: p.dashboard(t)),
    "export_data": ("100001", lambda p, t: p.export_data(t)),
    "balance": ("100001", lambda p, t: p.balance(t)),
    "settlements": ("100001", lambda p, t: p.settlements(t)),
    "invoice_pdf": ("100001", lambda p, t: p.invoice_pdf(t, p.invoices(t)[0].number)),
    "payment_details, balance": ("200001", lambda p, t: p.payment_details(t)),
    "payment_details, one invoice": (
        "100001",
        lambda p, t: p.payment_details(t, _unpaid(p, t)),
    ),
    "series": (
        "100001",
        lambda p, t: p.series(t, p.meters(t)[0].id, Resolution.MONTH, date(2025, 1, 1)),
    ),
    "submit_reading": (
        "100001",
        lambda p, t: p.submit_reading(
            t,
            ReadingSubmission(
                meter_id=p.meters(t)[0].id,
                value=_more_than_last(p, t),
            ),
        ),
    ),
    "create_request": (
        "100001",
        lambda p, t: p.create_request(
            t, RequestDraft(RequestCategory.FAILURE, "Przeciek", "Cieknie pod zlewem.")
        ),
    ),
    "contract_document": ("100001", lambda p, t: p.contract_document(t, _contract(p, t))),
    "upload_contract_scan": (
        "100001",
        lambda p, t: p.upload_contract_scan(t, _contract(p, t), "umowa.pdf", scans.pdf()),
    ),
    "change_password": (
        "100001",
        lambda p, t: p.change_password(t, PASSWORDS["100001"], NEW_PASSWORD),
    ),
}


@pytest.mark.parametrize("name", list(CUSTOMER_CALLS))
def test_a_customer_call_resolves_its_session_once(portal: PortalService, name: str) -> None:
    number, call = CUSTOMER_CALLS[name]
    token = portal.login(number, PASSWORDS[number]).token
    with session_lookups(portal) as seen:
        call(portal, token)
    # the lambdas' own preparing calls (meters, invoices, contracts) resolve once each too
    prepared = {
        "invoice_pdf": 1,
        "payment_details, one invoice": 1,
        "series": 1,
        "submit_reading": 3,
        "contract_document": 1,
        "upload_contract_scan": 1,
    }.get(name, 0)
    assert len(seen) == 1 + prepared, seen


def test_an_act_for_call_reads_its_session_and_its_opener_once(portal: PortalService) -> None:
    operator = portal.operator_login("bok.anna", OPERATORS["bok.anna"]).token
    acting = portal.act_for(operator, "100001").token
    with session_lookups(portal) as seen:
        portal.dashboard(acting)
    # the act-for session, then the operator's session that bounds its life
    assert len(seen) == 2, seen


def test_an_operator_call_resolves_its_session_once(portal: PortalService) -> None:
    operator = portal.operator_login("bok.anna", OPERATORS["bok.anna"]).token
    with session_lookups(portal) as seen:
        portal.overdue_requests(operator)
    assert len(seen) == 1, seen


def test_the_trace_hook_sees_what_the_store_runs(portal: PortalService) -> None:
    """The counter itself: a session look-up is seen, other statements are not counted."""
    token = portal.login("100001", PASSWORDS["100001"]).token
    with session_lookups(portal) as seen:
        portal.tariffs()
        assert seen == []
        portal.session(token)
    assert len(seen) == 1
