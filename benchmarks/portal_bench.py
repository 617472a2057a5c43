"""The dashboard's queries on the demo data and on a generated 10-year data set, and the
console's import cost against Textual's."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from ibok_tui.portal.base import local_date
from ibok_tui.portal.demo.synthetic import SYNTHETIC_PASSWORD, generate
from ibok_tui.portal.service import PortalService, open_portal
from ibok_tui.portal.stores import open_store

from .timing import line, median, python_startup, repeat

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
SYNTHETIC_CUSTOMERS = 200
YEARS = 10


def _clock() -> datetime:
    return NOW


def _dashboard_time(service: PortalService, number: str, password: str) -> float:
    token = service.login(number, password).token
    return median(repeat(lambda: service.dashboard(token), 15))


def main() -> None:
    print("== portal: dashboard queries (median of 15 calls)")
    with tempfile.TemporaryDirectory() as folder:
        demo = open_portal(Path(folder) / "demo.sqlite", clock=_clock, seed_demo=True)
        big_path = Path(folder) / "big.sqlite"
        store = open_store(big_path)
        generate(
            store,
            customers=SYNTHETIC_CUSTOMERS,
            years=YEARS,
            today=local_date(NOW),
            now=NOW,
        )
        store.close()
        big = open_portal(big_path, clock=_clock)
        invoices = big.store.scalar("SELECT count(*) FROM invoices")
        readings = big.store.scalar("SELECT count(*) FROM readings")
        trivial = median(repeat(lambda: demo.store.scalar("SELECT count(*) FROM tariffs"), 50))
        household = _dashboard_time(demo, "100001", "Woda!Kowalski1")
        line("dashboard, household 100001, demo data", household, "trivial query", trivial)
        smart = _dashboard_time(demo, "100003", "Woda!Wisniewski3")
        line("dashboard, smart meter 100003 (hourly), demo", smart, "household", household)
        business = _dashboard_time(demo, "200001", "Woda!ZlotyKlos4")
        line("dashboard, business 200001 (5 meters), demo", business, "household", household)
        same_big = _dashboard_time(big, "100001", "Woda!Kowalski1")
        line(
            f"dashboard, 100001 in a store of {invoices} invoices",
            same_big,
            "same in demo store",
            household,
        )
        ten_years = _dashboard_time(big, "500000", SYNTHETIC_PASSWORD)
        line(
            f"dashboard, a customer with {YEARS} years ({readings} readings in store)",
            ten_years,
            "household, demo",
            household,
        )
        demo.store.close()
        big.store.close()

    print("== start-up: import cost (best of 7 fresh interpreters)")
    bare = python_startup("pass")
    textual_app = python_startup("import textual.app")
    ibok_app = python_startup("import ibok_tui.app")
    line("import textual.app", textual_app, "bare interpreter", bare)
    line("import ibok_tui.app", ibok_app, "import textual.app", textual_app)
