"""`HttpBackend`: the `Backend` protocol over an iBOK server's JSON API (/api/v1).

httpx is imported only when a backend is made, so importing this module costs nothing at
the console's start. Answers are decoded into the domain's dataclasses by msgspec; errors
(application/problem+json) become the same error types the local backend raises.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..domain import errors as e
from ..domain.models import (
    SENT_FROM,
    AuditEntry,
    Consents,
    ContactUpdate,
    Contract,
    ContractEnd,
    ContractEndGrace,
    Customer,
    CustomerSummary,
    Dashboard,
    Document,
    Invoice,
    InvoiceQuery,
    Meter,
    Notice,
    NoticeDraft,
    PaymentDetails,
    PendingReading,
    PendingRegistration,
    Profile,
    Reading,
    ReadingSubmission,
    Registration,
    RequestDraft,
    RequestStatus,
    Resolution,
    ScanStatus,
    SentNotice,
    SeriesPoint,
    ServiceRequest,
    Session,
    SettlementFilter,
    Settlements,
    Tariff,
    Terms,
    TermsDraft,
    TermsPublished,
    TermsStatus,
    Utility,
)
from ..domain.passwords import PasswordPolicy
from .changes import ChangeSource, announces_changes
from .http_wire import HttpTransport, Imported, day_param, error_from_problem, segment

__all__ = ["HttpBackend", "error_from_problem"]

ARCHIVE_TIMEOUT = 600.0  # seconds: the invoice archive makes every PDF (~0.7 s each)


@announces_changes
class HttpBackend(ChangeSource, HttpTransport):
    """Implements `Backend` against an iBOK server's JSON API (see `HttpTransport` for
    timeouts, retries, TLS and errors)."""

    # --- public ------------------------------------------------------------------------
    async def utility(self) -> Utility:
        return await self._get(Utility, "/utility", auth=False)

    async def terms(self) -> Terms:
        return await self._get(Terms, "/terms", auth=False)

    async def terms_versions(self) -> list[Terms]:
        return await self._get(list[Terms], "/terms/versions", auth=False)

    async def password_policy(self) -> PasswordPolicy:
        return await self._get(PasswordPolicy, "/password-policy", auth=False)

    async def notices(self) -> list[Notice]:
        return await self._get(list[Notice], "/notices", auth=False)

    async def tariffs(self) -> list[Tariff]:
        return await self._get(list[Tariff], "/tariffs", auth=False)

    async def new_captcha(self) -> e.Captcha:
        return await self._call("POST", e.Captcha, "/captcha", auth=False)

    # --- signing in and the account ------------------------------------------------------
    async def login(
        self,
        customer_number: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        remember: bool = False,
    ) -> Session:
        body = {
            "customer_number": customer_number,
            "password": password,
            "captcha_id": captcha_id,
            "captcha_answer": captcha_answer,
            "remember": remember,
        }
        self._session = await self._call(
            "POST", Session, "/auth/login", json=body, auth=False, replayable=False
        )
        return self._session

    async def operator_login(
        self,
        login: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
    ) -> Session:
        body = {
            "login": login,
            "password": password,
            "captcha_id": captcha_id,
            "captcha_answer": captcha_answer,
        }
        self._session = await self._call(
            "POST", Session, "/auth/operator-login", json=body, auth=False, replayable=False
        )
        return self._session

    async def resume(self, token: str) -> Session:
        session = await self._get(Session, "/auth/session", token=token)
        self._session = session
        return session

    async def logout(self) -> None:
        if self._session is not None:
            try:
                await self._send("POST", "/auth/logout")
            finally:
                self._session = None

    async def register(self, form: Registration) -> None:
        await self._send("POST", "/auth/register", json=form, auth=False)

    async def confirm_registration(self, token: str) -> None:
        await self._send("POST", "/auth/register/confirm", json={"token": token}, auth=False)

    async def request_password_reset(self, customer_number: str, email: str) -> None:
        body = {"customer_number": customer_number, "email": email}
        await self._send("POST", "/auth/password-reset", json=body, auth=False)

    async def reset_password(self, token: str, new_password: str) -> None:
        body = {"token": token, "new_password": new_password}
        await self._send("POST", "/auth/password-reset/confirm", json=body, auth=False)

    async def change_password(self, old_password: str, new_password: str) -> Session:
        body = {"old_password": old_password, "new_password": new_password}
        self._session = await self._call("POST", Session, "/me/password", json=body)
        return self._session

    async def block_access(self, password: str) -> None:
        await self._send("POST", "/me/block", json={"password": password})
        self._session = None

    async def terms_status(self) -> TermsStatus:
        return await self._get(TermsStatus, "/me/terms")

    async def accept_terms(self, version: str) -> TermsStatus:
        return await self._call("POST", TermsStatus, "/me/terms/accept", json={"version": version})

    async def terminate(self, password: str) -> None:
        await self._send("POST", "/me/terminate", json={"password": password})
        self._session = None

    async def export_data(self) -> dict[str, Any]:
        return await self._get(dict[str, Any], "/me/export")

    # --- the customer's data ---------------------------------------------------------------
    async def dashboard(self) -> Dashboard:
        return await self._get(Dashboard, "/me/dashboard")

    async def profile(self) -> Profile:
        return await self._get(Profile, "/me/profile")

    async def update_contact(self, update: ContactUpdate) -> Customer:
        return await self._call("PATCH", Customer, "/me/contact", json=update)

    async def set_consents(self, consents: Consents) -> Customer:
        return await self._call("PUT", Customer, "/me/consents", json=consents)

    async def invoices(self, query: InvoiceQuery | None = None) -> list[Invoice]:
        q = query or InvoiceQuery()
        params = {
            "number": q.number or None,
            "date_from": day_param(q.date_from),
            "date_to": day_param(q.date_to),
            "status": q.status.value if q.status else None,
            "kind": q.kind.value if q.kind else None,
        }
        return await self._get(list[Invoice], "/me/invoices", params=params)

    async def invoice(self, number: str) -> Invoice:
        return await self._get(Invoice, f"/me/invoices/{segment(number)}")

    async def invoice_pdf(self, number: str) -> bytes:
        return await self._file(f"/me/invoices/{segment(number)}/pdf")

    async def invoice_archive(self) -> bytes:
        # every invoice's PDF is made for it: it may take minutes for years of invoices
        return await self._file("/me/invoice-archive", read_timeout=ARCHIVE_TIMEOUT)

    async def settlements(self, which: SettlementFilter = SettlementFilter.ALL) -> Settlements:
        return await self._get(Settlements, "/me/settlements", params={"which": which.value})

    async def payment_details(self, number: str | None = None) -> PaymentDetails:
        return await self._get(PaymentDetails, "/me/payment-details", params={"invoice": number})

    async def meters(self) -> list[Meter]:
        return await self._get(list[Meter], "/me/meters")

    async def meter(self, meter_id: str) -> Meter:
        return await self._get(Meter, f"/me/meters/{segment(meter_id)}")

    async def readings(self, meter_id: str) -> list[Reading]:
        return await self._get(list[Reading], f"/me/meters/{segment(meter_id)}/readings")

    async def series(
        self,
        meter_id: str,
        resolution: Resolution,
        date_from: date | datetime | None = None,
        date_to: date | datetime | None = None,
    ) -> list[SeriesPoint]:
        params = {
            "resolution": Resolution(resolution).value,
            "date_from": day_param(date_from),
            "date_to": day_param(date_to),
        }
        return await self._get(
            list[SeriesPoint], f"/me/meters/{segment(meter_id)}/series", params=params
        )

    async def submit_reading(
        self,
        submission: ReadingSubmission,
        *,
        idempotency_key: str | None = None,
        from_outbox: bool = False,
    ) -> Reading:
        # a header, not the body: the outbox's retry carries the first try's key, and the
        # server compares the bodies of one key's tries
        return await self._call(
            "POST",
            Reading,
            "/me/readings",
            json=submission,
            idempotency_key=idempotency_key,
            extra_headers={SENT_FROM: "outbox"} if from_outbox else None,
        )

    async def edit_reading(self, reading_id: str, submission: ReadingSubmission) -> Reading:
        path = f"/me/readings/{segment(reading_id)}"
        return await self._call("PUT", Reading, path, json=submission)

    async def withdraw_reading(self, reading_id: str) -> Reading:
        return await self._call("POST", Reading, f"/me/readings/{segment(reading_id)}/withdraw")

    async def requests(self) -> list[ServiceRequest]:
        return await self._get(list[ServiceRequest], "/me/requests")

    async def sent_notices(self) -> list[SentNotice]:
        return await self._get(list[SentNotice], "/me/notices/sent")

    async def request(self, request_id: str) -> ServiceRequest:
        return await self._get(ServiceRequest, f"/me/requests/{segment(request_id)}")

    async def create_request(
        self, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest:
        return await self._call(
            "POST", ServiceRequest, "/me/requests", json=draft, idempotency_key=idempotency_key
        )

    async def contracts(self) -> list[Contract]:
        return await self._get(list[Contract], "/me/contracts")

    async def contract(self, number: str) -> Contract:
        return await self._get(Contract, f"/me/contracts/{segment(number)}")

    async def contract_document(self, number: str) -> bytes:
        return await self._file(f"/me/contracts/{segment(number)}/document")

    async def upload_contract_scan(
        self, number: str, filename: str, content: bytes, *, idempotency_key: str | None = None
    ) -> Document:
        return await self._call(
            "POST",
            Document,
            f"/me/contracts/{segment(number)}/scans",
            params={"filename": filename},
            content=content,
            idempotency_key=idempotency_key,
        )

    async def withdraw_contract_scan(self, doc_id: str) -> None:
        await self._send("DELETE", f"/me/scans/{segment(doc_id)}")

    async def documents(self) -> list[Document]:
        return await self._get(list[Document], "/me/documents")

    async def document_content(self, doc_id: str) -> tuple[Document, bytes]:
        meta = await self._get(Document, f"/me/documents/{segment(doc_id)}")
        content = await self._file(f"/me/documents/{segment(doc_id)}/content")
        return meta, content

    # --- the customer office (operators) -----------------------------------------------------
    async def search_customers(
        self, query: str, *, offset: int = 0, limit: int = 50
    ) -> list[CustomerSummary]:
        params = {"q": query, "offset": str(offset), "limit": str(limit)}
        return await self._get(list[CustomerSummary], "/operator/customers", params=params)

    async def pending_registrations(self) -> list[PendingRegistration]:
        return await self._get(list[PendingRegistration], "/operator/registrations")

    async def activate_registration(self, customer_number: str) -> None:
        await self._send("POST", f"/operator/registrations/{segment(customer_number)}/activate")

    async def reject_registration(self, customer_number: str, reason: str) -> None:
        path = f"/operator/registrations/{segment(customer_number)}/reject"
        await self._send("POST", path, json={"reason": reason})

    async def request_queue(self, *, include_closed: bool = False) -> list[ServiceRequest]:
        params = {"include_closed": "true" if include_closed else "false"}
        return await self._get(list[ServiceRequest], "/operator/requests", params=params)

    async def reply_request(
        self, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest:
        body = {"text": text, "status": RequestStatus(status).value}
        path = f"/operator/requests/{segment(request_id)}/reply"
        return await self._call("POST", ServiceRequest, path, json=body)

    async def pending_readings(self) -> list[PendingReading]:
        return await self._get(list[PendingReading], "/operator/readings")

    async def import_readings(self, reading_ids: list[str]) -> int:
        body = {"reading_ids": list(reading_ids)}
        found = await self._call("POST", Imported, "/operator/readings/import", json=body)
        return found.imported

    async def block_account(self, customer_number: str, reason: str) -> None:
        path = f"/operator/customers/{segment(customer_number)}/block"
        await self._send("POST", path, json={"reason": reason})

    async def unblock_account(self, customer_number: str, reason: str) -> None:
        path = f"/operator/customers/{segment(customer_number)}/unblock"
        await self._send("POST", path, json={"reason": reason})

    async def issue_password(self, customer_number: str) -> None:
        await self._send("POST", f"/operator/customers/{segment(customer_number)}/issue-password")

    async def publish_terms(self, draft: TermsDraft) -> TermsPublished:
        return await self._call("POST", TermsPublished, "/operator/terms", json=draft)

    async def end_contract(self, customer_number: str, ended_on: date) -> ContractEnd:
        path = f"/operator/customers/{segment(customer_number)}/contract-end"
        return await self._call("POST", ContractEnd, path, json={"ended_on": ended_on})

    async def contract_end_grace(self) -> ContractEndGrace:
        return await self._get(ContractEndGrace, "/operator/settings/contract-end-grace")

    async def set_contract_end_grace(self, grace: ContractEndGrace) -> ContractEndGrace:
        path = "/operator/settings/contract-end-grace"
        return await self._call("PUT", ContractEndGrace, path, json=grace)

    async def publish_notice(self, draft: NoticeDraft) -> Notice:
        return await self._call("POST", Notice, "/operator/notices", json=draft)

    async def pending_scans(self) -> list[Document]:
        return await self._get(list[Document], "/operator/scans")

    async def accept_contract_scan(self, doc_id: str) -> Document:
        return await self._call("POST", Document, f"/operator/scans/{segment(doc_id)}/accept")

    async def set_scan_status(self, doc_id: str, status: ScanStatus, reason: str = "") -> Document:
        body = {"status": status.value, "reason": reason}
        path = f"/operator/scans/{segment(doc_id)}/status"
        return await self._call("POST", Document, path, json=body)

    async def act_for(self, customer_number: str) -> HttpBackend:
        path = f"/operator/customers/{segment(customer_number)}/act-for"
        session = await self._call("POST", Session, path)
        acting = HttpBackend(
            self.base_url,
            retries=self.retries,
            backoff=self.backoff,
            session=session,
            client=self._client,
        )
        self.share_changes(acting)
        return acting

    async def audit_log(self, customer_number: str | None = None) -> list[AuditEntry]:
        params = {"customer_number": customer_number}
        return await self._get(list[AuditEntry], "/operator/audit", params=params)

    async def customer_notices(self, customer_number: str) -> list[SentNotice]:
        path = f"/operator/customers/{segment(customer_number)}/notices"
        return await self._get(list[SentNotice], path)
