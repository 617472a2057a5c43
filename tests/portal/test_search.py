"""The operator's search over a real SQLite store: folded (case and Polish letters aside),
served by its index, kept true by the writes, paged, and safe for any text."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from ibok_tui.domain.errors import ValidationFailed
from ibok_tui.domain.folding import fold, folded_words
from ibok_tui.domain.models import Address, ContactUpdate
from ibok_tui.portal.demo.synthetic import generate
from ibok_tui.portal.schema import SCHEMA, Dialects
from ibok_tui.portal.service import PortalService
from ibok_tui.portal.stores import open_store


@pytest.fixture
def token(portal: PortalService) -> str:
    return portal.operator_login("bok.anna", "Operator!2026a").token


def numbers(portal: PortalService, token: str, query: str, **page: int) -> list[str]:
    return [c.number for c in portal.search_customers(token, query, **page)]


def test_fold_drops_case_and_diacritics_and_l_with_stroke() -> None:
    assert fold("Wiśniewski") == "wisniewski"
    assert fold("Złoty Kłos") == fold("ZŁOTY KŁOS") == "zloty klos"
    assert fold("Ł") == fold("ł") == "l"
    assert fold("ĄĆĘŃÓŚŹŻ") == "acenoszz"
    assert folded_words('SM-2402 %_"x"* (a OR b)') == ["sm", "2402", "x", "a", "or", "b"]


def test_the_search_ignores_case_and_polish_letters(portal: PortalService, token: str) -> None:
    assert numbers(portal, token, "wisniewski") == ["100003"]
    assert numbers(portal, token, "WIŚNIEWSKI") == ["100003"]
    assert numbers(portal, token, "zloty") == ["200001"]
    assert numbers(portal, token, "kłos") == numbers(portal, token, "KLOS") == ["200001"]
    # every word somewhere in the customer's text, in any order
    assert numbers(portal, token, "kowalski jan") == ["100001"]
    assert numbers(portal, token, "jan nowak") == []
    # a meter serial, part of it, punctuation as typed or not
    assert numbers(portal, token, "sm 2402") == numbers(portal, token, "SM-2402") == ["100003"]


def test_the_search_is_served_by_its_index(portal: PortalService, token: str) -> None:
    """No statement a search runs reads a whole table of customers, properties or meters."""
    if portal.store.dialect == "postgresql":
        _served_by_the_trigram_index(portal)
        return
    statements: list[str] = []
    portal.store.trace(statements.append)
    try:
        for query in ("kowalski", "leśna", "SM-2402", "ul", "100001 lesna"):
            portal.search_customers(token, query)
    finally:
        portal.store.trace(None)
    searches = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert searches
    plans = []
    for sql in searches:
        plans += [r[3] for r in portal.store.all("EXPLAIN QUERY PLAN " + sql)]
    internal = "SCAN main.customer_search_fts_"  # FTS5 reading its own small config
    scans = [
        p for p in plans if p.startswith("SCAN") and "VIRTUAL TABLE" not in p and internal not in p
    ]
    # only the short-word fallback scans, and only the compact search table
    assert all(p.startswith("SCAN s") for p in scans), scans
    assert any(p.startswith("SCAN f VIRTUAL TABLE INDEX") for p in plans), plans


def _served_by_the_trigram_index(portal: PortalService) -> None:
    """PostgreSQL: a word's LIKE can be answered from the GIN trigram index (the planner
    prefers reading a table of a few rows, so it is told not to, for this plan only)."""
    with portal.store.transaction():
        portal.store.execute("SET LOCAL enable_seqscan = off")
        plan = [
            r[0]
            for r in portal.store.all(
                "EXPLAIN SELECT s.customer_number FROM customer_search s"
                " WHERE s.folded LIKE ? AND s.folded LIKE ?",
                ("%kowalski%", "%lesna%"),
            )
        ]
    assert any("customer_search_folded" in line for line in plan), plan


def test_a_changed_street_is_found_at_once_and_the_old_one_no_more(
    portal: PortalService, token: str
) -> None:
    assert numbers(portal, token, "Źródlana") == []
    session = portal.login("100002", "Woda!Nowak2026")
    before = portal.profile(session.token).customer
    moved = Address("ul. Źródlana", "7", before.address.postal_code, before.address.city)
    portal.update_contact(session.token, ContactUpdate(address=moved))
    assert numbers(portal, token, "zrodlana") == ["100002"]
    again = Address("ul. Wrzosowa", "1", before.address.postal_code, before.address.city)
    portal.update_contact(session.token, ContactUpdate(address=again))
    assert numbers(portal, token, "wrzosowa") == ["100002"]
    assert numbers(portal, token, "zrodlana") == []


def test_an_older_store_is_indexed_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    for script in SCHEMA[:4]:
        if isinstance(script, Dialects):
            script = script.sqlite
        assert isinstance(script, str)
        raw.executescript(script)
    raw.execute(
        "INSERT INTO customers (number, name, kind, street, building, postal_code, city,"
        " status, bank_account) VALUES ('300001', 'Łucja Żółć', 'person', 'ul. Wąska', '1',"
        " '00-001', 'Zalesie', 'active', '')"
    )
    raw.execute(
        "INSERT INTO properties (id, customer_number, label, street, building, postal_code,"
        " city) VALUES ('P1', '300001', 'Dom', 'ul. Łąkowa', '2', '00-001', 'Zalesie')"
    )
    raw.execute("INSERT INTO points (id, property_id, label) VALUES ('PT1', 'P1', 'x')")
    raw.execute(
        "INSERT INTO meters (id, serial, property_id, point_id, role, diameter_mm, location,"
        " status, owner, installed_on, legalization_expires, resolution) VALUES ('M1',"
        " 'ŁK-77', 'P1', 'PT1', 'main', 15, 'x', 'active', 'utility', '2020-01-01',"
        " '2025-01-01', 'month')"
    )
    raw.execute("PRAGMA user_version = 4")
    raw.commit()
    raw.close()
    store = open_store(path)
    assert store.version == len(SCHEMA)
    from ibok_tui.portal import search

    for query in ("lucja zolc", "WASKA", "lakowa", "lk 77", "300001"):
        assert search.find(store, query, offset=0, limit=10) == ["300001"], query


HOSTILE = [
    "%",
    "%%",
    "__",
    "\\%",
    '"',
    '""',
    "*",
    "**",
    "NEAR",
    "OR",
    "(",
    "()",
    '" OR "',
    "a* OR b*",
    'NEAR("a" "b")',
    "kowal%",
    "k_walski",
    "'; DROP TABLE customers; --",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_neither_fail_nor_match_everything(
    portal: PortalService, token: str, query: str
) -> None:
    everyone = portal.store.scalar("SELECT count(*) FROM customers")
    found = numbers(portal, token, query, limit=500)
    assert len(found) < everyone
    assert portal.store.scalar("SELECT count(*) FROM customers") == everyone


def test_wildcards_are_plain_text(portal: PortalService, token: str) -> None:
    assert numbers(portal, token, "%%") == []
    assert numbers(portal, token, "kowal%") == numbers(portal, token, "kowal")
    assert numbers(portal, token, "__") == []


def test_a_query_too_long_is_refused_naming_its_field(portal: PortalService, token: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        portal.search_customers(token, "a" * 10_000)
    assert refused.value.fields == {"q"}
    # two hundred characters of many short words: answered, and not everyone
    assert len(numbers(portal, token, " ".join(["a", "b"] * 50), limit=500)) < 5


def test_pages_are_disjoint_stable_and_cover_every_match(portal: PortalService, token: str) -> None:
    every = numbers(portal, token, "ul", limit=500)
    assert len(every) >= 8
    pages = [numbers(portal, token, "ul", offset=n, limit=3) for n in range(0, len(every) + 3, 3)]
    assert all(len(page) == 3 for page in pages[: len(every) // 3])
    assert [n for page in pages for n in page] == every
    assert pages[-1] == []


def test_the_customer_whose_number_is_the_query_comes_first_on_every_paging(
    portal: PortalService, token: str
) -> None:
    with portal.store.transaction():  # a serial holding another customer's number
        portal.store.execute(
            "UPDATE meters SET serial = 'X-100003-1' WHERE serial = 'WK-2209-11873'"
        )
        from ibok_tui.portal import search

        search.reindex(portal.store)
    every = numbers(portal, token, "100003")
    assert every[0] == "100003" and len(every) == 2
    assert numbers(portal, token, "100003", limit=1) == ["100003"]
    assert numbers(portal, token, "100003", offset=1, limit=1) == every[1:]


def test_generated_customers_are_indexed(tmp_path: Path) -> None:
    store = open_store(tmp_path / "big.sqlite")
    now = datetime(2026, 11, 21, 9, 0)
    generate(store, customers=30, years=1, today=date(2026, 11, 21), now=now)
    from ibok_tui.portal import search

    assert store.scalar("SELECT count(*) FROM customer_search") == store.scalar(
        "SELECT count(*) FROM customers"
    )
    assert search.find(store, "sy-0000012", offset=0, limit=10) == ["500012"]
    assert search.find(store, "500029", offset=0, limit=10) == ["500029"]


@pytest.mark.parametrize("sorted_max", [1000, 5])
def test_a_query_finding_many_pages_through_all_of_them_once(
    portal: PortalService, token: str, monkeypatch: pytest.MonkeyPatch, sorted_max: int
) -> None:
    """Up to SORTED_MAX results come by name; past it, in the index's order: either way
    the pages are disjoint and together hold every customer found."""
    from ibok_tui.portal import search

    monkeypatch.setattr(search, "SORTED_MAX", sorted_max)
    added = [f"{700000 + i}" for i in range(12)]
    with portal.store.transaction():
        portal.store.executemany(
            "INSERT INTO customers (number, name, kind, street, building, postal_code, city,"
            " status, bank_account) VALUES (?, ?, 'person', 'ul. Polna', '1', '05-540',"
            " 'Zalesie Górne', 'active', '')",
            [(n, f"{'ZYXWVUTSRQPO'[i]} Stronicowska") for i, n in enumerate(added)],
        )
        search.reindex(portal.store, added)
    pages = [numbers(portal, token, "stronicowska", offset=n, limit=4) for n in range(0, 16, 4)]
    assert [len(page) for page in pages] == [4, 4, 4, 0]
    every = [n for page in pages for n in page]
    assert sorted(every) == added
    assert every == (added[::-1] if sorted_max > len(added) else added)
