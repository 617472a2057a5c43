"""The billing system's exchange (portal/integration), on both stores: the demo's own data
exported and imported into an empty store gives every customer the same screens; the same
files twice change nothing; a changed record updates the one it names and is seen at once;
a bad file changes nothing and names every error; --partial takes only the valid
customers; readings go out and, confirmed, can no longer be edited."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest

from ibok_tui.domain.errors import IbokError
from ibok_tui.domain.models import ReadingStatus, ReadingSubmission, Role, Session
from ibok_tui.portal.integration.exporter import export_records
from ibok_tui.portal.integration.importer import import_records
from ibok_tui.portal.integration.reading import Source
from ibok_tui.portal.integration.readings import confirm, submitted_since
from ibok_tui.portal.service import PortalService, open_portal
from ibok_tui.portal.store import Store
from tests.support.accounts import PASSWORDS
from tests.support.clock import FakeClock

DEMO = ("100001", "100002", "100003", "100004", "100005", "100006", "100007", "100008", "200001")
TABLES = (
    "customers",
    "properties",
    "points",
    "meters",
    "readings",
    "hourly",
    "tariffs",
    "invoices",
    "invoice_lines",
    "payments",
    "documents",
    "contracts",
    "notices",
    "settings",
    "data_versions",
)


def sources(folder: Path) -> list[Source]:
    return [
        Source(p.name, (lambda p=p: p.open("rb")), p.stat().st_size)  # type: ignore[misc]
        for p in sorted(folder.glob("*.jsonl"))
    ]


def lines_source(name: str, records: list[Any]) -> Source:
    data = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()
    import io

    return Source(name, lambda: io.BytesIO(data), len(data))


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import may write (and the answers' versions)."""
    return {
        t: sorted(tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows)
        for t in TABLES
        for rows in [store.all(f"SELECT * FROM {t}")]
    }


def session_of(number: str) -> Session:
    return Session("", Role.CUSTOMER, number, number, datetime(2100, 1, 1))


def screens(portal: PortalService, number: str) -> Any:
    session = session_of(number)
    return msgspec.to_builtins(
        (
            portal.overview.dashboard(session),
            portal.billing.invoices(session),
            portal.billing.settlements(session),
            portal.account.profile(session),
        )
    )


@pytest.fixture
def empty(tmp_path: Path, clock: FakeClock, store_kind: str) -> Iterator[PortalService]:
    if store_kind == "postgresql":
        from tests.support.postgres import cluster

        db: Path | str = cluster().new_database()
    else:
        db = tmp_path / "empty" / "ibok.sqlite"
    service = open_portal(db, outbox=tmp_path / "outbox2", clock=clock)
    yield service
    service.store.close()
    if isinstance(db, str):
        from tests.support.postgres import cluster

        cluster().drop(db)


def test_the_demo_exported_and_imported_shows_every_customer_the_same(
    portal: PortalService, empty: PortalService, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    counts = export_records(portal.store, folder)
    assert counts["customer"] == len(DEMO) and counts["interest_note"] >= 1
    report = import_records(empty.store, sources(folder))
    assert report.applied and report.problem_count == 0, report.problems[:5]
    assert report.created == {kind: n for kind, n in counts.items() if n}  # no end in the demo
    for number in DEMO:
        assert screens(empty, number) == screens(portal, number), number
    # the terms in force came as a version of the terms (portal/terms.py), not a dead setting
    assert empty.terms() == portal.terms()
    # and the imported store exports the same files again
    again = tmp_path / "again"
    export_records(empty.store, again)
    for path in sorted(folder.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_same_files_twice_change_nothing(portal: PortalService, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    counts = export_records(portal.store, folder)
    before = snapshot(portal.store)
    report = import_records(portal.store, sources(folder))
    assert report.applied and not report.created and not report.updated
    assert report.unchanged == {kind: n for kind, n in counts.items() if n}
    assert snapshot(portal.store) == before  # the versions too: no trigger fired


def test_a_changed_invoice_and_a_new_payment_are_seen_at_once(
    portal: PortalService, tmp_path: Path
) -> None:
    token = portal.login("100001", PASSWORDS["100001"]).token
    before = portal.dashboard(token)  # stored now
    unpaid = [i for i in portal.invoices(token) if i.paid < i.gross]
    assert unpaid, "the demo's Jan has an unpaid invoice"
    payment = {
        "type": "payment",
        "id": "BANK-2026-0001",
        "customer": "100001",
        "paid_on": "2026-11-20",
        "amount": unpaid[-1].gross,
        "title": f"Zapłata {unpaid[-1].number}",
        "document": unpaid[-1].number,
    }
    report = import_records(portal.store, [lines_source("payments.jsonl", [payment])])
    assert report.applied and report.created == {"payment": 1}
    after = portal.dashboard(token)
    assert after.balance != before.balance
    assert all(i.paid >= i.gross for i in portal.invoices(token) if i.number == unpaid[-1].number)
    changed = dict(payment, amount=100)
    report = import_records(portal.store, [lines_source("payments.jsonl", [changed])])
    assert report.updated == {"payment": 1} and not report.created
    assert portal.dashboard(token).balance != after.balance


def _customer(number: str = "300001", **changes: Any) -> dict[str, Any]:
    record = {
        "type": "customer",
        "number": number,
        "name": "Jan Testowy",
        "kind": "person",
        "address": {
            "street": "ul. Polna",
            "building": "1",
            "postal_code": "05-540",
            "city": "Zalesie Górne",
        },
        "nip": "",
        "bank_account": "PL61109010140000071219812874",
    }
    record.update(changes)
    return record


def test_a_bad_file_changes_nothing_and_names_every_error(portal: PortalService) -> None:
    before = snapshot(portal.store)
    document = {
        "type": "document",
        "id": "D-1",
        "customer": "300001",
        "title": "Umowa",
        "kind": "contract",
        "created_on": "2026-11-01",
        "filename": "../../etc/passwd",
        "mime": "application/pdf",
        "content": base64.b64encode(b"%PDF-1.4").decode(),
    }
    bad = [
        _customer(),  # 1: good
        _customer("300002", name="Jan\x1b[2JTestowy"),  # 2: a control character
        _customer("300003", name="x" * 5000),  # 3: huge
        document,  # 4: a path for a file name
        '{"type": "customer", "number": "300004", "number": "300005"}',  # 5: a key twice
        dict(_customer("300006"), type="invoice"),  # 6: a customer's shape as an invoice
        _customer("300007", nip="1234567890"),  # 7: a wrong NIP check digit
        _customer("300008", bank_account="61109010140000071219812875"),  # 8: wrong IBAN
        _customer("300009", regon="123456780"),  # 9: a wrong REGON
        {
            "type": "property",
            "id": "P-X",
            "customer": "999999",
            "label": "Dom",
            "address": _customer()["address"],
        },  # 10: an unknown customer
        _customer(),  # 11: the same customer again
        "not json",  # 12
        {"type": "lorry"},  # 13
        {"type": "setting", "key": "utility", "value": {"name": "Wodociągi"}},  # 14
        dict(document, id="D-2", filename="a.pdf", content=base64.b64encode(b"<html>").decode()),
        dict(document, id="D-3", filename="a.html", mime="text/html"),  # 16
    ]
    report = import_records(portal.store, [lines_source("bad.jsonl", bad)])
    assert not report.applied
    found = {(p.line, p.field, p.code) for p in report.problems}
    expected = {
        (2, "name", "unsafe_character"),
        (3, "name", "too_long"),
        (4, "filename", "invalid_filename"),
        (5, "", "duplicate_key"),
        (6, "name", "unknown_field"),
        (6, "lines", "required"),
        (7, "nip", "invalid_nip"),
        (8, "bank_account", "invalid_iban"),
        (9, "regon", "invalid_regon"),
        (10, "customer", "unknown_reference"),
        (11, "number", "duplicate_record"),
        (12, "", "invalid_json"),
        (13, "type", "unknown_type"),
        (14, "value", "invalid_setting"),
        (15, "content", "not_of_type"),
        (16, "mime", "not_one_of"),
    }
    assert expected <= found, expected - found
    assert {p.line for p in report.problems} == set(range(2, 17))
    assert all(p.file == "bad.jsonl" for p in report.problems)
    assert snapshot(portal.store) == before


def test_partial_takes_only_the_valid_customers(portal: PortalService) -> None:
    good = _customer("300001")
    bad = _customer("300002")
    bad_property = {
        "type": "property",
        "id": "P-300002-1",
        "customer": "300002",
        "label": "Dom",
        "address": dict(good["address"], postal_code="\x00"),
    }
    report = import_records(
        portal.store, [lines_source("f.jsonl", [good, bad, bad_property])], partial=True
    )
    assert report.applied and report.skipped_customers == ["300002"]
    assert report.created == {"customer": 1}
    numbers = {r[0] for r in portal.store.all("SELECT number FROM customers")}
    assert "300001" in numbers and "300002" not in numbers


def test_a_new_customer_has_no_account_and_the_ibok_keeps_its_own_contact(
    portal: PortalService,
) -> None:
    import_records(portal.store, [lines_source("f.jsonl", [_customer(email="a@example.pl")])])
    row = portal.store.one("SELECT status, email FROM customers WHERE number = '300001'")
    assert row is not None and (row["status"], row["email"]) == ("unregistered", "a@example.pl")
    # the billing system's next file changes the name, not the e-mail the customer set since
    portal.store.execute("UPDATE customers SET email = 'nowy@example.pl' WHERE number = '300001'")
    changed = _customer(name="Jan Testowy-Nowak", email="a@example.pl")
    assert import_records(portal.store, [lines_source("f.jsonl", [changed])]).updated == {
        "customer": 1
    }
    row = portal.store.one("SELECT name, email FROM customers WHERE number = '300001'")
    assert row is not None and (row["name"], row["email"]) == (
        "Jan Testowy-Nowak",
        "nowy@example.pl",
    )


def test_readings_go_out_and_confirmed_cannot_be_edited(
    portal: PortalService, clock: FakeClock
) -> None:
    token = portal.login("100001", PASSWORDS["100001"]).token
    since = clock() - timedelta(minutes=1)
    meter = "M-WK-2209-11873"
    last = max(r.index for r in portal.readings(token, meter))
    reading = portal.submit_reading(
        token, ReadingSubmission(meter, f"{(last + 5000) / 1000:.3f}".replace(".", ","))
    )
    rows = submitted_since(portal.store, since)
    assert [r["reading_id"] for r in rows] == [reading.id]
    assert rows[0]["meter_serial"] == "WK-2209-11873" and rows[0]["status"] == "pending"
    assert submitted_since(portal.store, clock() + timedelta(minutes=1)) == []
    result = confirm(portal.core, [reading.id, "R-nope"])
    assert result == {"imported": [reading.id], "not_pending": [], "unknown": ["R-nope"]}
    again = confirm(portal.core, [reading.id])
    assert again == {"imported": [], "not_pending": [reading.id], "unknown": []}
    status = portal.store.scalar("SELECT status FROM readings WHERE id = ?", (reading.id,))
    assert status == ReadingStatus.ACCEPTED.value
    with pytest.raises(IbokError):
        portal.withdraw_reading(token, reading.id)
    audit = portal.store.all(
        "SELECT operator FROM audit WHERE action = 'import_reading' AND detail = ?", (reading.id,)
    )
    assert [a[0] for a in audit] == ["system:billing"]


def test_the_example_file_imports_into_an_empty_store(empty: PortalService) -> None:
    example = Path(__file__).resolve().parents[2] / "fixtures" / "import-example.jsonl"
    source = Source(example.name, lambda: example.open("rb"), example.stat().st_size)
    report = import_records(empty.store, [source])
    assert report.applied and report.problem_count == 0, report.problems
    assert not empty.store.is_empty()
    assert report.created.get("invoice") and report.created.get("payment")
    assert empty.terms().version == "2026.1"  # the example's terms: the version in force
    again = import_records(empty.store, [source])
    assert not again.created and not again.updated


def _example_with_invoice_vat(vat: int) -> list[Any]:
    """The example file with its settlement invoice's lines as three of 10,06 zł net at 8 %:
    each line's VAT rounds to 0,80 zł (2,40 zł together), while 8 % of the 30,18 zł net sum
    is 2,41 zł."""
    example = Path(__file__).resolve().parents[2] / "fixtures" / "import-example.jsonl"
    records = [json.loads(line) for line in example.read_text(encoding="utf-8").splitlines()]
    [invoice] = [r for r in records if r.get("number") == "FV/500001/2026/10"]
    line = dict(invoice["lines"][0], quantity="1", unit_price=1006, net=1006, vat=80, gross=1086)
    invoice.update(lines=[line, line, line], net=3018, vat=vat, gross=3018 + vat)
    return records


def test_an_imported_invoices_vat_is_of_the_net_sum_per_rate_art_106e_ust_1_pkt_14(
    empty: PortalService,
) -> None:
    """Ustawa o VAT art. 106e ust. 1 pkt 14: an invoice states "kwotę podatku od sumy
    wartości sprzedaży netto" per rate. The billing system's invoice whose VAT is the sum of
    its lines' rounded VAT (2,40 zł) is refused, naming the rule; the act's 2,41 zł passes."""
    records = _example_with_invoice_vat(240)
    line_of = 1 + next(i for i, r in enumerate(records) if r.get("number") == "FV/500001/2026/10")
    report = import_records(empty.store, [lines_source("e.jsonl", records)])
    assert not report.applied
    found = {(p.line, p.field, p.code) for p in report.problems}
    assert {f for f in found if f[0] == line_of} == {(line_of, "vat", "vat_not_per_rate")}
    # the rest only follow from it: the records that name the refused invoice
    assert {code for line, _field, code in found if line != line_of} <= {"unknown_reference"}
    report = import_records(empty.store, [lines_source("e.jsonl", _example_with_invoice_vat(241))])
    assert report.applied and report.problem_count == 0, report.problems


def test_a_problem_after_batches_were_written_undoes_them_all(
    portal: PortalService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-pass import writes a batch at a time; a bad record after some batches
    leaves the store as it was, and a parent after its child is named as such."""
    from ibok_tui.portal.integration import validation

    monkeypatch.setattr(validation, "BATCH", 3)
    before = snapshot(portal.store)
    good = [_customer(str(300001 + i)) for i in range(7)]
    child = {
        "type": "property",
        "id": "P-late",
        "customer": "300099",
        "label": "Dom",
        "address": _customer()["address"],
    }
    report = import_records(
        portal.store, [lines_source("f.jsonl", [*good, child, _customer("300099")])]
    )
    assert not report.applied
    assert [(p.line, p.field, p.code) for p in report.problems] == [
        (8, "customer", "parent_after_child")
    ]
    assert snapshot(portal.store) == before
    report = import_records(portal.store, [lines_source("f.jsonl", good)])
    assert report.applied and report.created == {"customer": 7}


def test_a_contract_end_imported_goes_through_the_portals_rule_once(
    portal: PortalService, tmp_path: Path
) -> None:
    """Będzin §8.6: a supply contract's end that the billing system imports tells the
    customer as the clerk's does (Pulpit's banner with the deadline, the e-mail with
    consent); the same file again changes nothing and mails nothing; another day for the
    same end is reported as the record's problem."""
    from datetime import date

    from ibok_tui.portal.integration.importer import record_contract_ends
    from tests.support.mail import messages

    outbox = tmp_path / "outbox"
    token = portal.login("100001", PASSWORDS["100001"]).token
    assert portal.dashboard(token).customer.contract_end is None
    end = {"type": "contract_end", "customer": "100001", "ended_on": "2026-11-20"}
    for _ in range(2):
        report = import_records(portal.store, [lines_source("ends.jsonl", [end])])
        assert report.applied and report.contract_ends == [("100001", "2026-11-20")]
        record_contract_ends(report, portal.record_contract_end)
        assert report.problem_count == 0, report.problems
        shown = portal.dashboard(token).customer.contract_end
        assert shown is not None and shown.ended_on == date(2026, 11, 20)
        assert len([m for m in messages(outbox) if m["To"] == "jan.kowalski@example.pl"]) == 1
    other = dict(end, ended_on="2026-11-19")
    report = import_records(portal.store, [lines_source("ends.jsonl", [other])])
    record_contract_ends(report, portal.record_contract_end)
    assert [(p.field, p.code, p.params["customer"]) for p in report.problems] == [
        ("ended_on", "contract_end_recorded", "100001")
    ]
    # a stranger's number is refused by the import itself, before anything is recorded
    stranger = dict(end, customer="999999")
    report = import_records(portal.store, [lines_source("ends.jsonl", [stranger])])
    assert not report.applied and report.problems[0].field == "customer"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("nip", "5250001009"),
        ("nip", "525-000-10-0"),
        ("bank_account", "61109010140000071219812875"),
    ],
)
def test_the_utilitys_nip_and_account_pass_their_checksums(
    empty: PortalService, key: str, value: str
) -> None:
    """python-stdnum checks the utility's own NIP and account as the billing system sends
    them (its NIP is on every invoice and payment code); one wrong digit refuses the file."""
    example = Path(__file__).resolve().parents[2] / "fixtures" / "import-example.jsonl"
    records = [json.loads(line) for line in example.read_text(encoding="utf-8").splitlines()]
    assert records[0]["key"] == "utility"
    records[0]["value"][key] = value
    report = import_records(empty.store, [lines_source("e.jsonl", records)])
    assert not report.applied
    assert (1, "value", "invalid_setting") in {(p.line, p.field, p.code) for p in report.problems}
