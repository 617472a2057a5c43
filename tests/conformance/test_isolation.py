"""Nobody sees what is not theirs: another customer's things are "not found", roles are
kept apart and nothing answers without a session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from ibok_tui.backends.base import (
    AuthenticationRequired,
    Backend,
    Forbidden,
    IbokError,
    NotFound,
)
from ibok_tui.domain.models import (
    Consents,
    ContactUpdate,
    InvoiceQuery,
    NoticeDraft,
    NoticeKind,
    ReadingStatus,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
    RequestStatus,
    Resolution,
    SettlementFilter,
)
from tests.conformance.conftest import Portal
from tests.support.accounts import PASSWORDS, customer, operator

Call = Callable[[Backend], Awaitable[Any]]

# Anna Nowak's (100002) things, asked for by Jan Kowalski (100001)
ANNA_INVOICE = "FV/100002/018"
ANNA_METER = "M-WK-1908-40211"
ANNA_READING = "R-M-WK-1908-40211-pending"
ANNA_REQUEST = "Z-100002-7"
ANNA_CONTRACT = "UM/2023/100002-1"
ANNA_DOCUMENT = "D-100002-taryfa"

CROSS_CUSTOMER: dict[str, Call] = {
    "invoice": lambda b: b.invoice(ANNA_INVOICE),
    "invoice_pdf": lambda b: b.invoice_pdf(ANNA_INVOICE),
    "payment_details": lambda b: b.payment_details(ANNA_INVOICE),
    "meter": lambda b: b.meter(ANNA_METER),
    "readings": lambda b: b.readings(ANNA_METER),
    "series": lambda b: b.series(ANNA_METER, Resolution.MONTH),
    "submit_reading": lambda b: b.submit_reading(ReadingSubmission(ANNA_METER, "999,000")),
    "edit_reading": lambda b: b.edit_reading(
        ANNA_READING, ReadingSubmission(ANNA_METER, "921,000")
    ),
    "withdraw_reading": lambda b: b.withdraw_reading(ANNA_READING),
    "request": lambda b: b.request(ANNA_REQUEST),
    "contract": lambda b: b.contract(ANNA_CONTRACT),
    "contract_document": lambda b: b.contract_document(ANNA_CONTRACT),
    "upload_contract_scan": lambda b: b.upload_contract_scan(ANNA_CONTRACT, "a.pdf", b"%PDF"),
    "document_content": lambda b: b.document_content(ANNA_DOCUMENT),
}


async def test_another_customers_things_are_not_found(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    await _refusals(jan, CROSS_CUSTOMER, NotFound)


async def test_anna_is_unaffected_by_jans_attempts(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    names = ("submit_reading", "edit_reading", "withdraw_reading", "upload_contract_scan")
    await _refusals(jan, {name: CROSS_CUSTOMER[name] for name in names}, NotFound)
    anna = await customer(portal, "100002")
    readings = await anna.readings(ANNA_METER)
    assert [(r.id, r.index, r.status) for r in readings if r.type.value == "self"][-1] == (
        ANNA_READING,
        920003,
        ReadingStatus.PENDING,
    )
    assert (await anna.contract(ANNA_CONTRACT)).scans == ()
    # and Jan's own lists hold nothing of hers
    assert all(i.customer_number == "100001" for i in await jan.invoices())
    assert ANNA_METER not in [m.id for m in await jan.meters()]
    assert ANNA_REQUEST not in [r.id for r in await jan.requests()]
    assert ANNA_DOCUMENT not in [d.id for d in await jan.documents()]
    assert [c.number for c in await jan.contracts()] == ["UM/2023/100001-1"]
    assert (await jan.invoices(InvoiceQuery(number="100002"))) == []


CUSTOMER_OPERATIONS: dict[str, Call] = {
    "dashboard": lambda b: b.dashboard(),
    "profile": lambda b: b.profile(),
    "update_contact": lambda b: b.update_contact(ContactUpdate(phone="600100200")),
    "set_consents": lambda b: b.set_consents(Consents()),
    "invoices": lambda b: b.invoices(),
    "invoice": lambda b: b.invoice("FV/100001/036"),
    "invoice_pdf": lambda b: b.invoice_pdf("FV/100001/036"),
    "settlements": lambda b: b.settlements(SettlementFilter.UNPAID),
    "payment_details": lambda b: b.payment_details(),
    "meters": lambda b: b.meters(),
    "meter": lambda b: b.meter("M-WK-2209-11873"),
    "readings": lambda b: b.readings("M-WK-2209-11873"),
    "series": lambda b: b.series("M-WK-2209-11873", Resolution.MONTH),
    "submit_reading": lambda b: b.submit_reading(ReadingSubmission("M-WK-2209-11873", "1019")),
    "edit_reading": lambda b: b.edit_reading(
        ANNA_READING, ReadingSubmission(ANNA_METER, "921,000")
    ),
    "withdraw_reading": lambda b: b.withdraw_reading(ANNA_READING),
    "requests": lambda b: b.requests(),
    "request": lambda b: b.request("Z-100001-4"),
    "create_request": lambda b: b.create_request(
        RequestDraft(RequestCategory.OTHER, "Temat", "Treść")
    ),
    "contracts": lambda b: b.contracts(),
    "contract": lambda b: b.contract("UM/2023/100001-1"),
    "contract_document": lambda b: b.contract_document("UM/2023/100001-1"),
    "upload_contract_scan": lambda b: b.upload_contract_scan("UM/2023/100001-1", "a.pdf", b"%PDF"),
    "withdraw_contract_scan": lambda b: b.withdraw_contract_scan("D-100001-taryfa"),
    "documents": lambda b: b.documents(),
    "document_content": lambda b: b.document_content("D-100001-taryfa"),
    "export_data": lambda b: b.export_data(),
    "change_password": lambda b: b.change_password("Operator!2026a", "Nowe!Haslo2027"),
    "block_access": lambda b: b.block_access("Operator!2026a"),
    "terminate": lambda b: b.terminate("Operator!2026a"),
}

OPERATOR_OPERATIONS: dict[str, Call] = {
    "search_customers": lambda b: b.search_customers("Nowak"),
    "pending_registrations": lambda b: b.pending_registrations(),
    "activate_registration": lambda b: b.activate_registration("100005"),
    "reject_registration": lambda b: b.reject_registration("100005", "powód"),
    "request_queue": lambda b: b.request_queue(include_closed=True),
    "reply_request": lambda b: b.reply_request(ANNA_REQUEST, "Tekst", RequestStatus.CLOSED),
    "pending_readings": lambda b: b.pending_readings(),
    "import_readings": lambda b: b.import_readings([ANNA_READING]),
    "block_account": lambda b: b.block_account("100002", "powód"),
    "unblock_account": lambda b: b.unblock_account("100006", "powód"),
    "issue_password": lambda b: b.issue_password("100002"),
    "publish_notice": lambda b: b.publish_notice(
        NoticeDraft(NoticeKind.INFO, "Tytuł", "Treść", valid_from=date(2026, 11, 21))
    ),
    "pending_scans": lambda b: b.pending_scans(),
    "accept_contract_scan": lambda b: b.accept_contract_scan("D-100001-taryfa"),
    "act_for": lambda b: b.act_for("100002"),
    "audit_log": lambda b: b.audit_log(),
}


async def _refusals(backend: Backend, calls: dict[str, Call], expected: type[IbokError]) -> None:
    wrong = {}
    for name, call in calls.items():
        try:
            result = await call(backend)
        except expected as error:
            # a refusal gives nothing away: no names nor numbers of the other customer
            if "Nowak" in error.message or "100002" in error.message:
                wrong[name] = f"refused, but said {error.message!r}"
        except IbokError as error:
            wrong[name] = f"{type(error).__name__}: {error.message}"
        else:
            wrong[name] = f"answered {result!r:.80}"
    assert wrong == {}


async def test_a_customer_cannot_use_the_office(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    await _refusals(jan, OPERATOR_OPERATIONS, Forbidden)
    # nothing happened
    office = await operator(portal)
    assert ANNA_READING in [p.reading.id for p in await office.pending_readings()]
    assert "100005" in [p.customer_number for p in await office.pending_registrations()]
    assert (await office.search_customers("100006"))[0].status.value == "blocked_by_operator"
    assert (await office.search_customers("100002"))[0].status.value == "active"
    assert await office.audit_log() == []


async def test_acting_for_a_customer_gives_no_office_powers(portal: Portal) -> None:
    office = await operator(portal)
    acting = await office.act_for("100001")
    await _refusals(acting, OPERATOR_OPERATIONS, Forbidden)


async def test_an_operator_is_no_customer(portal: Portal) -> None:
    office = await operator(portal)
    await _refusals(office, CUSTOMER_OPERATIONS, Forbidden)
    assert office.session is not None
    assert len(await office.search_customers("100001")) == 1


async def test_nothing_answers_without_a_session(portal: Portal, backend: Backend) -> None:
    await _refusals(backend, CUSTOMER_OPERATIONS, AuthenticationRequired)
    await _refusals(backend, OPERATOR_OPERATIONS, AuthenticationRequired)
    await backend.logout()  # signing out when signed out is harmless
    assert backend.session is None


async def test_nothing_answers_after_logout(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    await jan.logout()
    await _refusals(jan, CUSTOMER_OPERATIONS, AuthenticationRequired)
    assert (await jan.login("100001", PASSWORDS["100001"])).subject == "100001"
