"""The dashboard, the invoices and the settlements are computed once per customer and day
and kept in the store (portal/answers.py). Every write that changes what they show is seen
by the next read, whichever way it is written: through the portal (a customer, an
operator) or straight into the tables (the billing system's import); so is the next day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from ibok_tui.domain.models import (
    Consents,
    ContactUpdate,
    NoticeDraft,
    NoticeKind,
    ReadingSubmission,
)
from ibok_tui.portal.service import PortalService
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.clock import FakeClock

JAN, ANNA, PIOTR = "100001", "100002", "100003"
JAN_METER, ANNA_METER, PIOTR_METER = "M-WK-2209-11873", "M-WK-1908-40211", "M-SM-2402-00077"
ANNA_PENDING = "R-M-WK-1908-40211-pending"


def shown(portal: PortalService, token: str) -> tuple[Any, ...]:
    """What the three screens are answered (stored answers once they are stored)."""
    return portal.dashboard(token), portal.invoices(token), portal.settlements(token)


def computed(portal: PortalService, token: str) -> tuple[Any, ...]:
    """The same computed from the tables now, past every stored answer."""
    session = portal.session(token)
    return (
        portal.overview.dashboard(session),
        portal.billing.invoices(session),
        portal.billing.settlements(session),
    )


def sql(*statements: str) -> Callable[[PortalService, dict[str, str]], None]:
    """A write of the billing system's: statements straight into the store, one transaction."""

    def write(portal: PortalService, tokens: dict[str, str]) -> None:
        with portal.store.transaction():
            for statement in statements:
                portal.store.execute(statement)

    return write


def _notice(portal: PortalService, tokens: dict[str, str]) -> None:
    draft = NoticeDraft(NoticeKind.INFO, "Przerwa w dostawie", "ul. Leśna", date(2026, 12, 1))
    portal.publish_notice(tokens["operator"], draft)


def _edit(portal: PortalService, tokens: dict[str, str]) -> None:
    portal.edit_reading(tokens[ANNA], ANNA_PENDING, ReadingSubmission(ANNA_METER, "920,9"))


WRITES: dict[str, tuple[str, Callable[[PortalService, dict[str, str]], None]]] = {
    "a reading submitted": (
        JAN,
        lambda p, t: p.submit_reading(t[JAN], ReadingSubmission(JAN_METER, "1019,5")) and None,
    ),
    "a reading edited": (ANNA, _edit),
    "a reading withdrawn": (ANNA, lambda p, t: p.withdraw_reading(t[ANNA], ANNA_PENDING) and None),
    "readings imported by an operator": (
        ANNA,
        lambda p, t: p.import_readings(t["operator"], [ANNA_PENDING]) and None,
    ),
    "the contact data changed": (
        JAN,
        lambda p, t: p.update_contact(t[JAN], ContactUpdate(phone="600 100 200")) and None,
    ),
    "the consents changed": (
        JAN,
        lambda p, t: p.set_consents(t[JAN], Consents(notify_sms=True)) and None,
    ),
    "a notice published": (JAN, _notice),
    "a payment imported": (
        JAN,
        sql(
            "INSERT INTO payments (id, customer_number, paid_on, amount, title, document_number)"
            " VALUES ('P-import-1', '100001', '2026-11-20', 10693, 'FV/100001/036',"
            " 'FV/100001/036')"
        ),
    ),
    "an invoice imported": (
        JAN,
        sql(
            "INSERT INTO invoices (number, customer_number, property_id, kind, issue_date,"
            " sale_date, period_from, period_to, due_date, net, vat, gross)"
            " SELECT 'FV/100001/900', customer_number, property_id, kind, '2026-11-20',"
            " '2026-11-20', '2026-11-01', '2026-11-30', '2026-12-04', 1000, 80, 1080"
            " FROM invoices WHERE number = 'FV/100001/036'",
            "INSERT INTO invoice_lines (invoice_number, pos, kind, description, quantity, unit,"
            " unit_price, net, vat_rate, vat, gross) SELECT 'FV/100001/900', pos, kind,"
            " description, quantity, unit, unit_price, net, vat_rate, vat, gross"
            " FROM invoice_lines WHERE invoice_number = 'FV/100001/036'",
        ),
    ),
    "an invoice line corrected": (
        JAN,
        sql("UPDATE invoices SET gross = gross + 100 WHERE number = 'FV/100001/036'"),
    ),
    "a meter's legalization changed": (
        JAN,
        sql(f"UPDATE meters SET legalization_expires = '2026-12-01' WHERE id = '{JAN_METER}'"),
    ),
    "a meter replaced": (
        JAN,
        sql(f"UPDATE meters SET status = 'removed' WHERE id = '{JAN_METER}'"),
    ),
    "hourly data imported": (
        PIOTR,
        sql(f"UPDATE hourly SET litres = litres + 500 WHERE meter_id = '{PIOTR_METER}'"),
    ),
    "a reading deleted by the billing system": (
        JAN,
        sql(f"DELETE FROM readings WHERE id = 'R-{JAN_METER}-36'"),
    ),
    "the tariff changed": (JAN, sql("UPDATE tariffs SET water = water + 100")),
    "the utility's data changed": (
        JAN,
        sql(
            "UPDATE settings SET value = replace(value, 'Zalesiu', 'Zalesiu Dolnym')"
            " WHERE key = 'utility'"
        ),
    ),
}


@pytest.fixture
def tokens(portal: PortalService) -> dict[str, str]:
    found = {n: portal.login(n, PASSWORDS[n]).token for n in (JAN, ANNA, PIOTR)}
    found["operator"] = portal.operator_login("bok.anna", OPERATORS["bok.anna"]).token
    return found


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_is_seen_by_the_next_read(
    portal: PortalService, tokens: dict[str, str], write: str
) -> None:
    number, act = WRITES[write]
    token = tokens[number]
    before = shown(portal, token)
    assert shown(portal, token) == before == computed(portal, token)  # stored, and current
    act(portal, tokens)
    now = computed(portal, token)
    assert now != before, "the write changed nothing these answers show"
    assert shown(portal, token) == now


def test_the_next_day_is_answered_afresh(
    portal: PortalService, tokens: dict[str, str], clock: FakeClock
) -> None:
    before = shown(portal, tokens[JAN])
    clock.advance(timedelta(hours=15))  # 10:00 to 1:00 the next day, in Poland
    token = portal.login(JAN, PASSWORDS[JAN]).token  # the first session has expired
    after = shown(portal, token)
    assert after[0].data_as_of == before[0].data_as_of + timedelta(days=1)
    assert after == computed(portal, token)


@pytest.mark.parametrize("screen", ["dashboard_answer", "invoices_answer", "settlements_answer"])
def test_another_customers_write_keeps_the_stored_answer(
    portal: PortalService, tokens: dict[str, str], screen: str
) -> None:
    """A write of Anna's leaves Jan's stored answers as they are: they are read, not made."""
    answer = getattr(portal, screen)
    first = answer(tokens[JAN])
    portal.withdraw_reading(tokens[ANNA], ANNA_PENDING)
    statements: list[str] = []
    portal.store.trace(statements.append)
    try:
        again = answer(tokens[JAN])
    finally:
        portal.store.trace(None)
    assert again == first
    # the session's lookup reads the stored answer in the same statement: nothing computed
    # or written, one round trip to the database
    assert len(statements) == 1, statements
    assert "FROM sessions" in statements[0] and "JOIN answers" in statements[0]


def test_a_stored_answer_is_the_json_the_server_sends(
    portal: PortalService, tokens: dict[str, str]
) -> None:
    import msgspec

    answer = portal.dashboard_answer(tokens[JAN])
    assert answer.body == msgspec.json.encode(portal.dashboard(tokens[JAN]))
    assert answer == portal.dashboard_answer(tokens[JAN])  # same bytes, same ETag


def test_a_bulk_load_makes_every_answer_old_and_leaves_the_triggers_in_place(
    portal: PortalService, tokens: dict[str, str]
) -> None:
    """`ibok generate` sets the big tables' triggers aside while it loads: what it wrote
    meanwhile is seen all the same, and writes after it bump the versions again."""
    token = tokens[JAN]
    before = shown(portal, token)
    with portal.store.bulk_load(("payments", "readings")):
        WRITES["a payment imported"][1](portal, tokens)
    loaded = shown(portal, token)
    assert loaded != before and loaded == computed(portal, token)
    WRITES["a reading deleted by the billing system"][1](portal, tokens)
    assert shown(portal, token) == computed(portal, token) != loaded


def test_one_statement_over_many_rows_bumps_each_customer_once(
    portal: PortalService, tokens: dict[str, str]
) -> None:
    """An import writes thousands of rows in one statement: on PostgreSQL the versions are
    bumped by statement triggers over the rows it touched, once per customer (a row trigger
    bumped Jan's version once per line); SQLite's triggers are row triggers, made old alike."""

    def version(number: str) -> int:
        return int(
            portal.store.scalar("SELECT version FROM data_versions WHERE scope = ?", (number,))
        )

    before = shown(portal, tokens[JAN]), version(JAN), version(ANNA)
    rows = portal.store.scalar("SELECT count(*) FROM invoices WHERE customer_number = ?", (JAN,))
    assert rows > 2
    with portal.store.transaction():
        portal.store.execute(
            "UPDATE invoices SET gross = gross + 1, net = net + 1 WHERE customer_number IN (?, ?)",
            (JAN, ANNA),
        )
    bumps = version(JAN) - before[1], version(ANNA) - before[2]
    if portal.store.dialect == "postgresql":
        assert bumps == (1, 1)
    else:
        assert min(bumps) >= 1
    assert shown(portal, tokens[JAN]) == computed(portal, tokens[JAN]) != before[0]
