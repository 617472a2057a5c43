"""The customer's data, scoped by the service to the session's customer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Header, Query, Response

from ..domain.models import (
    SENT_FROM,
    Consents,
    ContactUpdate,
    Contract,
    Customer,
    Dashboard,
    Document,
    Invoice,
    InvoiceKind,
    InvoiceQuery,
    InvoiceStatus,
    Meter,
    PaymentDetails,
    Profile,
    Reading,
    ReadingSubmission,
    RequestDraft,
    Resolution,
    SentNotice,
    SeriesPoint,
    ServiceRequest,
    SettlementFilter,
    Settlements,
)
from .responses import AUTHED, WRITE, binary, errors, file_response, no_content, ok, stored
from .state import Service, Token, rate_limited

router = APIRouter(prefix="/me", tags=["customer"])
GET = errors(*AUTHED, get=True)
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="ten sam klucz przy ponowieniu: nic nie zostanie utworzone dwa razy",
    ),
]


@router.get("/dashboard", response_model=Dashboard, responses=GET)
def dashboard(service: Service, token: Token) -> Response:
    return stored(service.dashboard_answer(token))


@router.get("/profile", response_model=Profile, responses=GET)
def profile(service: Service, token: Token) -> Response:
    return ok(service.profile(token))


@router.patch("/contact", response_model=Customer, responses=errors(*WRITE))
def update_contact(update: ContactUpdate, service: Service, token: Token) -> Response:
    return ok(service.update_contact(token, update))


@router.put("/consents", response_model=Customer, responses=errors(*WRITE))
def set_consents(consents: Consents, service: Service, token: Token) -> Response:
    return ok(service.set_consents(token, consents))


# --- invoices and settlements ------------------------------------------------------------


@router.get("/invoices", response_model=list[Invoice], responses=GET)
def invoices(
    service: Service,
    token: Token,
    number: Annotated[str, Query(max_length=100)] = "",
    date_from: date | None = None,
    date_to: date | None = None,
    status: InvoiceStatus | None = None,
    kind: InvoiceKind | None = None,
) -> Response:
    query = InvoiceQuery(number, date_from, date_to, status, kind)
    return stored(service.invoices_answer(token, query))


@router.get(
    "/invoice-archive",
    responses={**binary("application/zip"), **errors(*AUTHED, 429, get=True)},
    dependencies=[Depends(rate_limited("archive"))],
)
def invoice_archive(service: Service, token: Token) -> Response:
    """Every invoice's PDF in one zip: what a customer keeps when the supply contract ends."""
    content = service.invoice_archive(token)
    return file_response(content, "application/zip", "faktury.zip")


@router.get("/invoices/{number:path}/pdf", responses={**binary("application/pdf"), **GET})
def invoice_pdf(number: str, service: Service, token: Token) -> Response:
    content = service.invoice_pdf(token, number)
    return file_response(content, "application/pdf", number.replace("/", "_") + ".pdf")


@router.get("/invoices/{number:path}", response_model=Invoice, responses=GET)
def invoice(number: str, service: Service, token: Token) -> Response:
    return ok(service.invoice(token, number))


@router.get("/settlements", response_model=Settlements, responses=GET)
def settlements(
    service: Service, token: Token, which: SettlementFilter = SettlementFilter.ALL
) -> Response:
    return stored(service.settlements_answer(token, which))


@router.get("/payment-details", response_model=PaymentDetails, responses=errors(*AUTHED, get=True))
def payment_details(
    service: Service,
    token: Token,
    invoice: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Transfer details and the banks' QR payload for one invoice or the whole balance."""
    return ok(service.payment_details(token, invoice))


# --- meters and readings ------------------------------------------------------------------


@router.get("/meters", response_model=list[Meter], responses=GET)
def meters(service: Service, token: Token) -> Response:
    return ok(service.meters(token))


@router.get("/meters/{meter_id}", response_model=Meter, responses=GET)
def meter(meter_id: str, service: Service, token: Token) -> Response:
    return ok(service.meter(token, meter_id))


@router.get("/meters/{meter_id}/readings", response_model=list[Reading], responses=GET)
def readings(meter_id: str, service: Service, token: Token) -> Response:
    return ok(service.readings(token, meter_id))


@router.get("/meters/{meter_id}/series", response_model=list[SeriesPoint], responses=GET)
def series(
    meter_id: str,
    service: Service,
    token: Token,
    resolution: Resolution,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Response:
    return ok(service.series(token, meter_id, resolution, date_from, date_to))


@router.post("/readings", response_model=Reading, status_code=201, responses=errors(*WRITE))
def submit_reading(
    submission: ReadingSubmission,
    service: Service,
    token: Token,
    idempotency_key: IdempotencyKey = None,
    sent_from: Annotated[
        Literal["outbox"] | None,
        Header(
            alias=SENT_FROM,
            description="outbox: konsola wysyła odczyt później, z kolejki (historia odczytu)",
        ),
    ] = None,
) -> Response:
    """The reading, waiting for import; its history says who sent it and how."""
    reading = service.submit_reading(
        token, submission, idempotency_key=idempotency_key, from_outbox=sent_from == "outbox"
    )
    return ok(reading, 201)


@router.put("/readings/{reading_id}", response_model=Reading, responses=errors(*WRITE))
def edit_reading(
    reading_id: str, submission: ReadingSubmission, service: Service, token: Token
) -> Response:
    return ok(service.edit_reading(token, reading_id, submission))


@router.post("/readings/{reading_id}/withdraw", response_model=Reading, responses=errors(*WRITE))
def withdraw_reading(reading_id: str, service: Service, token: Token) -> Response:
    return ok(service.withdraw_reading(token, reading_id))


# --- requests --------------------------------------------------------------------------------


@router.get("/notices/sent", response_model=list[SentNotice], responses=GET)
def sent_notices(service: Service, token: Token) -> Response:
    """The newest notices the iBOK sent this customer (by e-mail or SMS), newest first."""
    return ok(service.sent_notices(token))


@router.get("/requests", response_model=list[ServiceRequest], responses=GET)
def requests(service: Service, token: Token) -> Response:
    return ok(service.requests(token))


@router.get("/requests/{request_id}", response_model=ServiceRequest, responses=GET)
def request(request_id: str, service: Service, token: Token) -> Response:
    return ok(service.request(token, request_id))


@router.post("/requests", response_model=ServiceRequest, status_code=201, responses=errors(*WRITE))
def create_request(
    draft: RequestDraft,
    service: Service,
    token: Token,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    return ok(service.create_request(token, draft, idempotency_key=idempotency_key), 201)


# --- contracts and documents --------------------------------------------------------------


@router.get("/contracts", response_model=list[Contract], responses=GET)
def contracts(service: Service, token: Token) -> Response:
    return ok(service.contracts(token))


@router.get("/contracts/{number:path}/document", responses={**binary("application/pdf"), **GET})
def contract_document(number: str, service: Service, token: Token) -> Response:
    content = service.contract_document(token, number)
    return file_response(content, "application/pdf", number.replace("/", "_") + ".pdf")


@router.post(
    "/contracts/{number:path}/scans",
    response_model=Document,
    status_code=201,
    responses=errors(*WRITE),
)
def upload_contract_scan(
    number: str,
    service: Service,
    token: Token,
    filename: Annotated[str, Query(max_length=255)],
    content: Annotated[bytes, Body(media_type="application/octet-stream")] = b"",
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The signed scan as the raw body (PDF, JPG or PNG); its name in `filename`."""
    document = service.upload_contract_scan(
        token, number, filename, content, idempotency_key=idempotency_key
    )
    return ok(document, 201)


@router.delete("/scans/{doc_id}", status_code=204, responses=errors(*WRITE))
def withdraw_contract_scan(doc_id: str, service: Service, token: Token) -> Response:
    """Withdraw one's own scan while the utility has not accepted it (409 after)."""
    service.withdraw_contract_scan(token, doc_id)
    return no_content()


@router.get("/contracts/{number:path}", response_model=Contract, responses=GET)
def contract(number: str, service: Service, token: Token) -> Response:
    return ok(service.contract(token, number))


@router.get("/documents", response_model=list[Document], responses=GET)
def documents(service: Service, token: Token) -> Response:
    return ok(service.documents(token))


@router.get(
    "/documents/{doc_id}/content",
    responses={
        **binary("application/pdf", "image/jpeg", "image/png", "application/octet-stream"),
        **GET,
    },
)
def document_content(doc_id: str, service: Service, token: Token) -> Response:
    meta, content = service.document_content(token, doc_id)
    return file_response(content, meta.mime or "application/octet-stream", meta.filename)


@router.get("/documents/{doc_id}", response_model=Document, responses=GET)
def document(doc_id: str, service: Service, token: Token) -> Response:
    meta, _ = service.document_content(token, doc_id)
    return ok(meta)
