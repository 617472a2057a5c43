"""SQLite rows to domain types, in one place."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from ..domain.billing import invoice_status
from ..domain.contract_end import POLAND
from ..domain.legalization import legalization_state
from ..domain.models import (
    AccountStatus,
    Address,
    Consents,
    Contract,
    ContractEnd,
    ContractStatus,
    Customer,
    CustomerKind,
    Document,
    DocumentEvent,
    DocumentKind,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    Meter,
    MeterOwner,
    MeterRole,
    MeterStatus,
    Notice,
    NoticeKind,
    Payment,
    Reading,
    ReadingEvent,
    ReadingEventKind,
    ReadingStatus,
    ReadingType,
    RequestCategory,
    RequestEvent,
    RequestRoute,
    RequestStatus,
    Resolution,
    ScanStatus,
    ServiceRequest,
    Tariff,
    Utility,
)
from .base import parse_date, parse_dt
from .store import Row

DAY_LENGTH = len("2026-11-21")
_OLD_DAY_ONLY = "T00:00:00+00:00"


def address(row: Row) -> Address:
    return Address(
        street=row["street"],
        building=row["building"],
        apartment=row["apartment"],
        postal_code=row["postal_code"],
        city=row["city"],
    )


def customer(row: Row) -> Customer:
    return Customer(
        number=row["number"],
        name=row["name"],
        kind=CustomerKind(row["kind"]),
        address=address(row),
        email=row["email"],
        phone=row["phone"],
        status=AccountStatus(row["status"]),
        bank_account=row["bank_account"],
        nip=row["nip"],
        regon=row["regon"],
        consents=Consents(
            e_invoice=bool(row["e_invoice"]),
            e_invoice_email=row["e_invoice_email"],
            notify_email=bool(row["notify_email"]),
            notify_sms=bool(row["notify_sms"]),
            marketing=bool(row["marketing"]),
        ),
        billing_months=row["billing_months"],
        contract_end=contract_end(row),
    )


def contract_end(row: Row) -> ContractEnd | None:
    if row["deactivates_at"] is None:
        return None
    return ContractEnd(
        ended_on=date.fromisoformat(row["contract_ended_on"]),
        recorded_at=parse_dt(row["contract_end_recorded_at"]),
        deactivates_at=parse_dt(row["deactivates_at"]),
    )


def meter(row: Row, today: date) -> Meter:
    expires = date.fromisoformat(row["legalization_expires"])
    return Meter(
        id=row["id"],
        serial=row["serial"],
        property_id=row["property_id"],
        point_id=row["point_id"],
        role=MeterRole(row["role"]),
        diameter_mm=row["diameter_mm"],
        location=row["location"],
        status=MeterStatus(row["status"]),
        owner=MeterOwner(row["owner"]),
        installed_on=date.fromisoformat(row["installed_on"]),
        legalization_expires=expires,
        resolution=Resolution(row["resolution"]),
        parent_id=row["parent_id"],
        legalization=legalization_state(expires, today),
    )


def reading(row: Row) -> Reading:
    return Reading(
        id=row["id"],
        meter_id=row["meter_id"],
        read_on=date.fromisoformat(row["read_on"]),
        index=row["idx"],
        consumption=row["consumption"],
        type=ReadingType(row["type"]),
        status=ReadingStatus(row["status"]),
        submitted_at=parse_dt(row["submitted_at"]) if row["submitted_at"] else None,
        meter_change=bool(row["meter_change"]),
        note=row["note"],
    )


def step_time(text: str) -> tuple[datetime, bool]:
    """When a step of a history happened, and whether only its day is known: a step
    written with a date alone (history_schema.backfill: the utility's own reading, a scan
    stored before histories were kept) is that day in the utility's time. Such steps were
    once written as midnight UTC (shown as 01:00): read as the day they meant."""
    if len(text) == DAY_LENGTH or text.endswith(_OLD_DAY_ONLY):
        day = date.fromisoformat(text[:DAY_LENGTH])
        return datetime.combine(day, time(), tzinfo=POLAND), True
    return parse_dt(text), False


def reading_event(row: Row) -> ReadingEvent:
    at, day_only = step_time(row["at"])
    return ReadingEvent(
        at=at,
        day_only=day_only,
        kind=ReadingEventKind(row["kind"]),
        author=row["author"],
        index=row["idx"],
        previous_index=row["previous_idx"],
        via=row["via"],
    )


def document_event(row: Row) -> DocumentEvent:
    at, day_only = step_time(row["at"])
    return DocumentEvent(
        at=at,
        day_only=day_only,
        status=ScanStatus(row["status"]),
        author=row["author"],
        reason=row["reason"],
    )


def tariff(row: Row) -> Tariff:
    return Tariff(
        id=row["id"],
        valid_from=date.fromisoformat(row["valid_from"]),
        valid_to=parse_date(row["valid_to"]),
        water_per_m3=row["water"],
        sewage_per_m3=row["sewage"],
        subscription_per_month=row["subscription"],
        vat_rate=Decimal(row["vat_rate"]),
    )


def invoice_line(row: Row) -> InvoiceLine:
    return InvoiceLine(
        kind=LineKind(row["kind"]),
        description=row["description"],
        quantity=Decimal(row["quantity"]),
        unit=row["unit"],
        unit_price=row["unit_price"],
        net=row["net"],
        vat_rate=Decimal(row["vat_rate"]),
        vat=row["vat"],
        gross=row["gross"],
    )


def invoice(row: Row, today: date, lines: tuple[InvoiceLine, ...] = ()) -> Invoice:
    """An invoice row joined with `paid`, the sum of the payments assigned to it."""
    return Invoice(
        number=row["number"],
        customer_number=row["customer_number"],
        property_id=row["property_id"],
        kind=InvoiceKind(row["kind"]),
        issue_date=date.fromisoformat(row["issue_date"]),
        sale_date=date.fromisoformat(row["sale_date"]),
        period_from=date.fromisoformat(row["period_from"]),
        period_to=date.fromisoformat(row["period_to"]),
        due_date=date.fromisoformat(row["due_date"]),
        net=row["net"],
        vat=row["vat"],
        gross=row["gross"],
        paid=row["paid"],
        status=invoice_status(
            row["gross"], row["paid"], date.fromisoformat(row["due_date"]), today
        ),
        corrects=row["corrects"],
        lines=lines,
    )


def payment(row: Row) -> Payment:
    return Payment(
        id=row["id"],
        paid_on=date.fromisoformat(row["paid_on"]),
        amount=row["amount"],
        title=row["title"],
        document_number=row["document_number"],
    )


def document(row: Row, history: tuple[DocumentEvent, ...] = ()) -> Document:
    return Document(
        id=row["id"],
        customer_number=row["customer_number"],
        title=row["title"],
        kind=DocumentKind(row["kind"]),
        created_on=date.fromisoformat(row["created_on"]),
        filename=row["filename"],
        mime=row["mime"],
        size=row["size"],
        scan_status=ScanStatus(row["scan_status"]) if row["scan_status"] else None,
        history=history,
    )


def contract(row: Row, scans: tuple[Document, ...] = ()) -> Contract:
    return Contract(
        number=row["number"],
        customer_number=row["customer_number"],
        property_id=row["property_id"],
        title=row["title"],
        signed_on=date.fromisoformat(row["signed_on"]),
        valid_from=date.fromisoformat(row["valid_from"]),
        valid_to=parse_date(row["valid_to"]),
        status=ContractStatus(row["status"]),
        document_id=row["document_id"],
        scans=scans,
    )


def notice(row: Row) -> Notice:
    return Notice(
        id=row["id"],
        kind=NoticeKind(row["kind"]),
        title=row["title"],
        body=row["body"],
        published_at=parse_dt(row["published_at"]),
        valid_from=date.fromisoformat(row["valid_from"]),
        valid_to=parse_date(row["valid_to"]),
        area=row["area"],
    )


def request_event(row: Row) -> RequestEvent:
    return RequestEvent(
        at=parse_dt(row["at"]),
        status=RequestStatus(row["status"]),
        author=row["author"],
        text=row["text"],
    )


def service_request(
    row: Row, history: tuple[RequestEvent, ...] = (), route: RequestRoute | None = None
) -> ServiceRequest:
    return ServiceRequest(
        id=row["id"],
        number=row["number"],
        customer_number=row["customer_number"],
        category=RequestCategory(row["category"]),
        subject=row["subject"],
        body=row["body"],
        status=RequestStatus(row["status"]),
        created_at=parse_dt(row["created_at"]),
        due_date=date.fromisoformat(row["due_date"]),
        meter_id=row["meter_id"],
        history=history,
        route=route,
    )


def utility_from_json(data: dict[str, Any]) -> Utility:
    """The utility as stored in its settings ("utility") and in the fixtures."""
    return Utility(
        name=data["name"],
        short_name=data["short_name"],
        nip=data["nip"],
        address=Address(**data["address"]),
        phone=data["phone"],
        emergency_phone=data["emergency_phone"],
        email=data["email"],
        website=data["website"],
        office_hours=tuple(data["office_hours"]),
        bank_name=data["bank_name"],
        bank_account=data["bank_account"],
        online_payment_url=data.get("online_payment_url", ""),
    )
