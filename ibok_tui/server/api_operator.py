"""The customer office's operations; the service refuses them to customer tokens."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from ..domain.models import (
    ACCOUNT_REASON_MAX,
    SCAN_REASON_MAX,
    AuditEntry,
    ContractEnd,
    ContractEndGrace,
    CustomerSummary,
    Document,
    Notice,
    NoticeDraft,
    PendingReading,
    PendingRegistration,
    RequestStatus,
    ScanStatus,
    SentNotice,
    ServiceRequest,
    Session,
)
from ..portal.operator import SEARCH_LIMIT, SEARCH_PAGE_MAX
from ..portal.search import SEARCH_MAX
from .responses import AUTHED, WRITE, errors, no_content, ok
from .state import Service, Token

router = APIRouter(prefix="/operator", tags=["operator"])
GET = errors(*AUTHED, get=True)


class ReasonBody(BaseModel):
    reason: str = Field(max_length=ACCOUNT_REASON_MAX)


class ReplyBody(BaseModel):
    text: str = Field(max_length=10_000)
    status: RequestStatus


class ImportBody(BaseModel):
    reading_ids: list[str] = Field(max_length=10_000)


class Imported(BaseModel):
    imported: int


class ScanStatusBody(BaseModel):
    status: ScanStatus
    reason: str = Field(default="", max_length=SCAN_REASON_MAX)


@router.get("/customers", response_model=list[CustomerSummary], responses=GET)
def search_customers(
    service: Service,
    token: Token,
    q: Annotated[str, Query(max_length=SEARCH_MAX)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=SEARCH_PAGE_MAX)] = SEARCH_LIMIT,
) -> Response:
    """By customer number, name, street or meter serial (at least 2 characters), case and
    diacritics aside, every word somewhere in them; `offset` and `limit` page through."""
    return ok(service.search_customers(token, q, offset=offset, limit=limit))


@router.get("/registrations", response_model=list[PendingRegistration], responses=GET)
def pending_registrations(service: Service, token: Token) -> Response:
    return ok(service.pending_registrations(token))


@router.post("/registrations/{customer_number}/activate", status_code=204, responses=errors(*WRITE))
def activate_registration(customer_number: str, service: Service, token: Token) -> Response:
    service.activate_registration(token, customer_number)
    return no_content()


@router.post("/registrations/{customer_number}/reject", status_code=204, responses=errors(*WRITE))
def reject_registration(
    customer_number: str, body: ReasonBody, service: Service, token: Token
) -> Response:
    service.reject_registration(token, customer_number, body.reason)
    return no_content()


@router.get("/requests", response_model=list[ServiceRequest], responses=GET)
def request_queue(service: Service, token: Token, include_closed: bool = False) -> Response:
    """Requests by due date, overdue first."""
    return ok(service.request_queue(token, include_closed=include_closed))


@router.post(
    "/requests/{request_id}/reply", response_model=ServiceRequest, responses=errors(*WRITE)
)
def reply_request(request_id: str, body: ReplyBody, service: Service, token: Token) -> Response:
    return ok(service.reply_request(token, request_id, body.text, body.status))


@router.get("/readings", response_model=list[PendingReading], responses=GET)
def pending_readings(service: Service, token: Token) -> Response:
    """Readings submitted by customers, waiting for import."""
    return ok(service.pending_readings(token))


@router.post("/readings/import", response_model=Imported, responses=errors(*WRITE))
def import_readings(body: ImportBody, service: Service, token: Token) -> Response:
    return ok({"imported": service.import_readings(token, body.reading_ids)})


@router.post("/customers/{customer_number}/block", status_code=204, responses=errors(*WRITE))
def block_account(
    customer_number: str, body: ReasonBody, service: Service, token: Token
) -> Response:
    service.block_account(token, customer_number, body.reason)
    return no_content()


@router.post("/customers/{customer_number}/unblock", status_code=204, responses=errors(*WRITE))
def unblock_account(
    customer_number: str, body: ReasonBody, service: Service, token: Token
) -> Response:
    service.unblock_account(token, customer_number, body.reason)
    return no_content()


@router.post(
    "/customers/{customer_number}/issue-password", status_code=204, responses=errors(*WRITE)
)
def issue_password(customer_number: str, service: Service, token: Token) -> Response:
    """Generate a password, mail it to the customer; it must be changed at first sign-in."""
    service.issue_password(token, customer_number)
    return no_content()


class ContractEndBody(BaseModel):
    ended_on: date  # the contract's last day


@router.post(
    "/customers/{customer_number}/contract-end",
    response_model=ContractEnd,
    responses=errors(*WRITE),
)
def end_contract(
    customer_number: str, body: ContractEndBody, service: Service, token: Token
) -> Response:
    """Record that the customer's supply contract ended: the customer is told (e-mail with
    consent, Pulpit), and the account is deactivated when the grace period passes. The
    same end recorded again changes nothing."""
    return ok(service.end_contract(token, customer_number, body.ended_on))


@router.get("/settings/contract-end-grace", response_model=ContractEndGrace, responses=GET)
def contract_end_grace(service: Service, token: Token) -> Response:
    """How long an account stays after its supply contract ends."""
    return ok(service.contract_end_grace(token))


@router.put(
    "/settings/contract-end-grace", response_model=ContractEndGrace, responses=errors(*WRITE)
)
def set_contract_end_grace(grace: ContractEndGrace, service: Service, token: Token) -> Response:
    """Hours from the moment the end is recorded (Będzin §8.6: 24) or calendar days
    (Warszawa II.7: 30); deadlines already recorded stay as they were told."""
    return ok(service.set_contract_end_grace(token, grace))


@router.post(
    "/customers/{customer_number}/act-for",
    response_model=Session,
    status_code=201,
    responses=errors(*WRITE),
)
def act_for(customer_number: str, service: Service, token: Token) -> Response:
    """A customer session for this operator; everything done in it is audited."""
    return ok(service.act_for(token, customer_number), 201)


@router.post("/notices", response_model=Notice, status_code=201, responses=errors(*WRITE))
def publish_notice(draft: NoticeDraft, service: Service, token: Token) -> Response:
    return ok(service.publish_notice(token, draft), 201)


@router.get("/scans", response_model=list[Document], responses=GET)
def pending_scans(service: Service, token: Token) -> Response:
    """Customers' contract scans awaiting acceptance, oldest first."""
    return ok(service.pending_scans(token))


@router.post("/scans/{doc_id}/accept", response_model=Document, responses=errors(*WRITE))
def accept_contract_scan(doc_id: str, service: Service, token: Token) -> Response:
    """Accept a customer's contract scan: from now on the customer cannot withdraw it."""
    return ok(service.accept_contract_scan(token, doc_id))


@router.post("/scans/{doc_id}/status", response_model=Document, responses=errors(*WRITE))
def set_scan_status(doc_id: str, body: ScanStatusBody, service: Service, token: Token) -> Response:
    """Move a customer's scan on in the utility's document workflow: in review, accepted,
    rejected (with the reason the customer reads), archived; 409 for a move the workflow
    has not (an accepted scan is not rejected; an archived one stays)."""
    return ok(service.set_scan_status(token, doc_id, body.status, body.reason))


@router.get("/audit", response_model=list[AuditEntry], responses=GET)
def audit_log(
    service: Service,
    token: Token,
    customer_number: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    return ok(service.audit_log(token, customer_number))


@router.get("/customers/{customer_number}/notices", response_model=list[SentNotice], responses=GET)
def customer_notices(customer_number: str, service: Service, token: Token) -> Response:
    """The notices' ledger of one customer: what was sent, by which channel, when."""
    return ok(service.customer_notices(token, customer_number))
