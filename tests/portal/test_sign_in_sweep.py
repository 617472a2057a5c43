"""What a sign-in does besides checking its own credentials, on both stores: it deactivates
every account whose grace period after its contract's end passed (whoever signs in), asks
whether one is due in its own read of the account, served by an index of only the accounts
still to deactivate; and a right password for an account it then refuses counts no failure."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from ibok_tui.domain.errors import Forbidden
from ibok_tui.domain.models import AccountStatus, ContractEndGrace, GraceUnit
from ibok_tui.portal.service import PortalService
from tests.support.accounts import OPERATORS, PASSWORDS
from tests.support.clock import FakeClock

JAN, ANNA, BLOCKED = "100001", "100002", "100006"  # 100006: blocked by the office


def _status(portal: PortalService, number: str) -> Any:
    return portal.store.one("SELECT status, email FROM customers WHERE number = ?", (number,))


def test_anothers_sign_in_deactivates_the_accounts_whose_time_passed(
    portal: PortalService, clock: FakeClock
) -> None:
    office = portal.operator_login("bok.anna", OPERATORS["bok.anna"]).token
    portal.set_contract_end_grace(office, ContractEndGrace(24, GraceUnit.HOURS))
    end = portal.record_contract_end(JAN, date(2026, 11, 20))
    clock.advance(end.deactivates_at - clock() - timedelta(seconds=1))
    portal.login(ANNA, PASSWORDS[ANNA])  # a second before the deadline: nothing is due
    assert _status(portal, JAN)["status"] == AccountStatus.ACTIVE.value
    clock.advance(timedelta(seconds=1))
    portal.login(ANNA, PASSWORDS[ANNA])  # Anna's sign-in, not Jan's, at the deadline
    row = _status(portal, JAN)
    assert (row["status"], row["email"]) == (AccountStatus.DEACTIVATED.value, "")
    # and Jan, told why, finds nothing left to guess
    with pytest.raises(Forbidden) as refused:
        portal.login(JAN, PASSWORDS[JAN])
    assert refused.value.code == "account_deactivated"


def test_the_due_question_reads_only_the_accounts_still_to_deactivate(
    portal: PortalService, clock: FakeClock
) -> None:
    office = portal.operator_login("bok.anna", OPERATORS["bok.anna"]).token
    portal.set_contract_end_grace(office, ContractEndGrace(24, GraceUnit.HOURS))
    portal.record_contract_end(JAN, date(2026, 11, 20))
    clock.advance(timedelta(days=2))
    seen: list[str] = []
    portal.store.trace(seen.append)
    try:
        portal.login(ANNA, PASSWORDS[ANNA])  # deactivates Jan
        portal.login(ANNA, PASSWORDS[ANNA])  # nothing due: Jan's deadline stays, not indexed
    finally:
        portal.store.trace(None)
    questions = [s for s in seen if "AS sweep_due" in s]
    assert len(questions) == 3  # the first sign-in asks again after its sweep
    assert _status(portal, JAN)["status"] == AccountStatus.DEACTIVATED.value
    assert _indexes(portal, questions[-1]) == {"customers_due", "customers_pkey"}


def _indexes(portal: PortalService, sql: str) -> set[str]:
    """The indexes the plan of `sql` reads (SQLite names a primary key's as its table's
    autoindex: called customers_pkey here, as PostgreSQL calls it)."""
    store = portal.store
    if store.dialect == "sqlite":
        details = [str(row[3]) for row in store.all("EXPLAIN QUERY PLAN " + sql)]
        found = {m[1] for d in details if (m := re.search(r"USING (?:\w+ )*INDEX (\w+)", d))}
        return {
            "customers_pkey" if n.startswith("sqlite_autoindex_customers") else n for n in found
        }
    with store.transaction():
        store.execute("SET LOCAL enable_seqscan = off")
        plan = store.scalar("EXPLAIN (FORMAT JSON) " + sql)
    return set(_pg_indexes(plan[0]["Plan"]))


def _pg_indexes(node: dict[str, Any]) -> list[str]:
    found = [node["Index Name"]] if "Index Name" in node else []
    for child in node.get("Plans", ()):
        found += _pg_indexes(child)
    return found


def test_a_right_password_for_a_refused_account_counts_no_failure(
    portal: PortalService,
) -> None:
    """The failure the try was counted as is forgotten in the transaction that then refuses
    the account: past the captcha's threshold, still the account's own refusal."""
    for _ in range(portal.core.config.captcha_after + 2):
        with pytest.raises(Forbidden) as refused:
            portal.login(BLOCKED, PASSWORDS[BLOCKED], client="198.51.100.7")
        assert refused.value.code == "account_blocked"
    counters = portal.store.all(
        "SELECT subject, failures FROM login_failures WHERE subject LIKE ?", (f"%{BLOCKED}%",)
    )
    assert counters == []
