"""Two `ibok serve` processes over one database (a SQLite file, a PostgreSQL database)
share the stored answers: a write through one, or straight into the database (the billing
system's import), is seen by the next read through the other, with a new ETag."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ibok_tui.portal.stores import open_store
from tests.server.conftest import API, sign_in
from tests.support.http_server import ServerProcess
from tests.support.portal import STORES, copy_db, drop_db

JAN_METER = "M-WK-2209-11873"
SCREENS = ("/me/dashboard", "/me/invoices", "/me/settlements")


@pytest.fixture(params=STORES)
def two_servers(
    request: pytest.FixtureRequest, template_db: Path, tmp_path: Path
) -> Iterator[tuple[httpx.Client, httpx.Client, Path | str]]:
    db = copy_db(str(request.param), template_db, tmp_path / "db")
    try:
        with (
            ServerProcess(db) as one,
            ServerProcess(db) as two,
            httpx.Client(base_url=one.url + API, timeout=30) as first,
            httpx.Client(base_url=two.url + API, timeout=30) as second,
        ):
            yield first, second, db
    finally:
        drop_db(db)


def _read(client: httpx.Client, headers: dict[str, str]) -> dict[str, httpx.Response]:
    found = {}
    for path in SCREENS:
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        found[path] = answer
    return found


def test_a_write_through_one_server_is_read_through_the_other(
    two_servers: tuple[httpx.Client, httpx.Client, Path | str],
) -> None:
    first, second, _ = two_servers
    jan = sign_in(first, "100001")  # the session is the store's: both servers know it
    before = _read(second, jan)
    assert _read(first, jan)["/me/dashboard"].json() == before["/me/dashboard"].json()
    etag = before["/me/dashboard"].headers["etag"]
    assert second.get(SCREENS[0], headers={**jan, "If-None-Match": etag}).status_code == 304

    sent = first.post("/me/readings", json={"meter_id": JAN_METER, "value": "1019,5"}, headers=jan)
    assert sent.status_code == 201, sent.text
    changed = first.patch("/me/contact", json={"phone": "600 100 200"}, headers=jan)
    assert changed.status_code == 200, changed.text

    after = second.get(SCREENS[0], headers={**jan, "If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    dashboard = after.json()
    meter = next(m for m in dashboard["meters"] if m["meter"]["id"] == JAN_METER)
    assert meter["last_reading"]["id"] == sent.json()["id"]
    assert dashboard["customer"]["phone"] == "600 100 200"


def test_the_billing_systems_import_is_read_through_both_servers(
    two_servers: tuple[httpx.Client, httpx.Client, Path | str],
) -> None:
    first, second, db = two_servers
    jan = sign_in(first, "100001")
    before = {name: _read(client, jan) for name, client in (("first", first), ("second", second))}
    assert before["first"]["/me/settlements"].json()["balance"]["balance"] > 0

    store = open_store(db)
    try:
        with store.transaction():
            store.execute(
                "INSERT INTO payments (id, customer_number, paid_on, amount, title,"
                " document_number) VALUES ('P-import-1', '100001', '2026-11-20', 10693,"
                " 'FV/100001/036', 'FV/100001/036')"
            )
    finally:
        store.close()

    for name, client in (("first", first), ("second", second)):
        after = _read(client, jan)
        for path in SCREENS:
            assert after[path].headers["etag"] != before[name][path].headers["etag"], path
        assert after["/me/settlements"].json()["balance"]["balance"] == 0
        assert after["/me/dashboard"].json()["balance"]["overdue"] == 0
        last = after["/me/invoices"].json()[0]
        assert (last["number"], last["paid"], last["status"]) == (
            "FV/100001/036",
            last["gross"],
            "paid",
        )
