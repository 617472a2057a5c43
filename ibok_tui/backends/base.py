"""The async `Backend` protocol the console talks to, and the errors it raises.

A backend holds its session: after `login` every customer call acts for that customer.
Two implementations: `LocalBackend` (in-process, the demo) and `HttpBackend` (an iBOK
server). Both raise only the error types re-exported here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..domain.errors import (
    AccountLocked,
    AuthenticationRequired,
    Captcha,
    CaptchaRequired,
    Conflict,
    FieldError,
    Forbidden,
    IbokError,
    LoginFailed,
    NeedsConfirmation,
    NotFound,
    PasswordChangeRequired,
    RateLimited,
    SessionExpired,
    TermsAcceptanceRequired,
    Unavailable,
    ValidationFailed,
)
from ..domain.models import (
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
from .changes import ChangeFeed

__all__ = [
    "AccountLocked",
    "AuthenticationRequired",
    "Backend",
    "Captcha",
    "CaptchaRequired",
    "Conflict",
    "FieldError",
    "Forbidden",
    "IbokError",
    "LoginFailed",
    "NeedsConfirmation",
    "NotFound",
    "PasswordChangeRequired",
    "RateLimited",
    "SessionExpired",
    "TermsAcceptanceRequired",
    "Unavailable",
    "ValidationFailed",
]


@runtime_checkable
class Backend(Protocol):
    """Every operation of the iBOK, customer and operator, as the console sees it."""

    @property
    def label(self) -> str:
        """Where the data comes from, for the header: "demo" or the server's address."""
        ...

    @property
    def session(self) -> Session | None: ...

    @property
    def mail_folder(self) -> Path | None:
        """Where the mail this iBOK sends ends up when it stays on this machine (the demo's
        outbox folder of .eml files), so the console can say where to look; None when a
        server sends it."""
        ...

    @property
    def changes(self) -> ChangeFeed:
        """The change notices: after each write, the kinds of record it changed
        (backends/changes.py); a backend made by `act_for` shares the feed."""
        ...

    async def prepare(self) -> None:
        """Get ready for the first call (open the store, import the HTTP client) without
        blocking the event loop; the console calls it after its first frame."""
        ...

    async def close(self) -> None: ...

    # --- public --------------------------------------------------------------------------
    async def utility(self) -> Utility: ...
    async def terms(self) -> Terms:
        """The version of the e-service terms in force today."""
        ...

    async def terms_versions(self) -> list[Terms]:
        """Every version published, the latest effective first (future ones too)."""
        ...

    async def password_policy(self) -> PasswordPolicy: ...
    async def notices(self) -> list[Notice]: ...
    async def tariffs(self) -> list[Tariff]: ...
    async def new_captcha(self) -> Captcha: ...

    # --- signing in and the account ----------------------------------------------------------
    async def login(
        self,
        customer_number: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        remember: bool = False,
    ) -> Session: ...
    async def operator_login(
        self,
        login: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
    ) -> Session: ...
    async def resume(self, token: str) -> Session:
        """Adopt a saved session token if it is still valid."""
        ...

    async def logout(self) -> None: ...
    async def register(self, form: Registration) -> None: ...
    async def confirm_registration(self, token: str) -> None: ...
    async def request_password_reset(self, customer_number: str, email: str) -> None: ...
    async def reset_password(self, token: str, new_password: str) -> None: ...
    async def change_password(self, old_password: str, new_password: str) -> Session: ...
    async def block_access(self, password: str) -> None: ...
    async def terminate(self, password: str) -> None: ...
    async def terms_status(self) -> TermsStatus:
        """The terms in force and what this customer accepted; callable while the
        acceptance is due, when every other customer call raises TermsAcceptanceRequired."""
        ...

    async def accept_terms(self, version: str) -> TermsStatus:
        """Accept the version in force (Conflict `terms_not_current` for another)."""
        ...

    async def export_data(self) -> dict[str, Any]: ...

    # --- the customer's data ----------------------------------------------------------------
    async def dashboard(self) -> Dashboard: ...
    async def profile(self) -> Profile: ...
    async def update_contact(self, update: ContactUpdate) -> Customer: ...
    async def set_consents(self, consents: Consents) -> Customer: ...
    async def invoices(self, query: InvoiceQuery | None = None) -> list[Invoice]: ...
    async def invoice(self, number: str) -> Invoice: ...
    async def invoice_pdf(self, number: str) -> bytes: ...
    async def invoice_archive(self) -> bytes:
        """Every invoice's PDF in one zip (kept when the supply contract ends)."""
        ...

    async def settlements(self, which: SettlementFilter = SettlementFilter.ALL) -> Settlements: ...
    async def payment_details(self, number: str | None = None) -> PaymentDetails: ...
    async def meters(self) -> list[Meter]: ...
    async def meter(self, meter_id: str) -> Meter: ...
    async def readings(self, meter_id: str) -> list[Reading]: ...
    async def series(
        self,
        meter_id: str,
        resolution: Resolution,
        date_from: Any = None,
        date_to: Any = None,
    ) -> list[SeriesPoint]: ...
    async def submit_reading(
        self,
        submission: ReadingSubmission,
        *,
        idempotency_key: str | None = None,
        from_outbox: bool = False,
    ) -> Reading:
        """`from_outbox`: the outbox sends it later (the reading's history says so)."""
        ...

    async def edit_reading(self, reading_id: str, submission: ReadingSubmission) -> Reading: ...
    async def withdraw_reading(self, reading_id: str) -> Reading: ...
    async def requests(self) -> list[ServiceRequest]: ...
    async def sent_notices(self) -> list[SentNotice]:
        """The newest notices sent to this customer (the ledger), newest first."""
        ...

    async def request(self, request_id: str) -> ServiceRequest: ...
    async def create_request(
        self, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest: ...
    async def contracts(self) -> list[Contract]: ...
    async def contract(self, number: str) -> Contract: ...
    async def contract_document(self, number: str) -> bytes: ...
    async def upload_contract_scan(
        self, number: str, filename: str, content: bytes, *, idempotency_key: str | None = None
    ) -> Document: ...
    async def withdraw_contract_scan(self, doc_id: str) -> None:
        """Withdraw (delete) one's own scan; Conflict once the utility has accepted it."""
        ...

    async def documents(self) -> list[Document]: ...
    async def document_content(self, doc_id: str) -> tuple[Document, bytes]: ...

    # --- the customer office (operators) -------------------------------------------------------
    async def search_customers(
        self, query: str, *, offset: int = 0, limit: int = 50
    ) -> list[CustomerSummary]:
        """One page of the customers found (`limit` of them from `offset`)."""
        ...

    async def pending_registrations(self) -> list[PendingRegistration]: ...
    async def activate_registration(self, customer_number: str) -> None: ...
    async def reject_registration(self, customer_number: str, reason: str) -> None: ...
    async def request_queue(self, *, include_closed: bool = False) -> list[ServiceRequest]: ...
    async def reply_request(
        self, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest: ...
    async def pending_readings(self) -> list[PendingReading]: ...
    async def import_readings(self, reading_ids: list[str]) -> int: ...
    async def block_account(self, customer_number: str, reason: str) -> None: ...
    async def unblock_account(self, customer_number: str, reason: str) -> None: ...
    async def issue_password(self, customer_number: str) -> None: ...
    async def end_contract(self, customer_number: str, ended_on: date) -> ContractEnd:
        """Record that the customer's supply contract ended on `ended_on` (its last day):
        the account is deactivated when the utility's grace period passes."""
        ...

    async def contract_end_grace(self) -> ContractEndGrace: ...
    async def set_contract_end_grace(self, grace: ContractEndGrace) -> ContractEndGrace: ...
    async def publish_notice(self, draft: NoticeDraft) -> Notice: ...
    async def publish_terms(self, draft: TermsDraft) -> TermsPublished:
        """A new version of the terms; customers who consented to notices get an e-mail."""
        ...

    async def pending_scans(self) -> list[Document]: ...
    async def accept_contract_scan(self, doc_id: str) -> Document:
        """The utility accepts a customer's scan: it can no longer be withdrawn."""
        ...

    async def set_scan_status(self, doc_id: str, status: ScanStatus, reason: str = "") -> Document:
        """Move a customer's scan on in the utility's workflow (a rejection with its reason);
        Conflict `scan_status_not_allowed` for a move the workflow has not."""
        ...

    async def act_for(self, customer_number: str) -> Backend:
        """A backend bound to a customer session for this operator; its acts are audited."""
        ...

    async def audit_log(self, customer_number: str | None = None) -> list[AuditEntry]: ...

    async def customer_notices(self, customer_number: str) -> list[SentNotice]:
        """The notices' ledger of one customer (the clerk's audit view)."""
        ...
