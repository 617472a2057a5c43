"""`OfflineBackend`: a `Backend` over another that keeps what the customer last saw and shows
it when the server cannot be reached.

Every reading call a customer's tabs make (Pulpit, Faktury, Rozrachunki, Odczyty, Wodomierze,
Zgłoszenia, Analizy, Umowy, Dokumenty, Dane klienta) keeps its last successful answer in the
customer's offline copy (offline_copy.py). When the server cannot be reached (connection
refused or cut, a timeout, a gateway's 502/503/504), the call answers from the copy and the
backend is offline: `state` says so and since which data, and its listeners (the console's
banner, session/offline.py) hear each change. While offline the calls that need the server
(a reading, a request, a contact change, a download) are refused at once with an error that
says why (code `offline`, an `Unavailable`, so a form keeps what was typed and the outbox can
take it); `probe()` asks the server, and the first answer it gives ends the offline state.

The copy's scope is the server and the signed-in customer: an operator, a clerk's desk
(`act_for` returns the inner backend's, unwrapped) and a kiosk keep nothing, and `logout`
removes the customer's copy before anything else.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..domain import errors as e
from .offline_core import OfflineCore, OfflineState, unreachable

__all__ = ["OfflineBackend", "OfflineState", "unreachable"]

if TYPE_CHECKING:
    from datetime import date

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
    from .base import Backend


class OfflineBackend(OfflineCore):
    """Implements `Backend` over `inner`, answering reading calls from the offline copy
    when the server cannot be reached (see the module's text)."""

    # --- what the backend is ----------------------------------------------------------------
    async def prepare(self) -> None:
        await self.inner.prepare()

    async def close(self) -> None:
        await self.inner.close()

    # --- public -------------------------------------------------------------------------------
    async def utility(self) -> Utility:
        from ..domain.models import Utility

        return await self._read("utility", Utility, (), self.inner.utility)

    async def terms(self) -> Terms:
        from ..domain.models import Terms

        return await self._read("terms", Terms, (), self.inner.terms)

    async def terms_versions(self) -> list[Terms]:
        from ..domain.models import Terms

        return await self._read("terms_versions", list[Terms], (), self.inner.terms_versions)

    async def password_policy(self) -> PasswordPolicy:
        from ..domain.passwords import PasswordPolicy

        return await self._read("password_policy", PasswordPolicy, (), self.inner.password_policy)

    async def notices(self) -> list[Notice]:
        from ..domain.models import Notice

        return await self._read("notices", list[Notice], (), self.inner.notices)

    async def tariffs(self) -> list[Tariff]:
        from ..domain.models import Tariff

        return await self._read("tariffs", list[Tariff], (), self.inner.tariffs)

    async def new_captcha(self) -> e.Captcha:
        return await self.inner.new_captcha()

    # --- signing in and the account ---------------------------------------------------------
    async def login(
        self,
        customer_number: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        remember: bool = False,
    ) -> Session:
        session = await self.inner.login(
            customer_number,
            password,
            captcha_id=captcha_id,
            captcha_answer=captcha_answer,
            remember=remember,
        )
        return await self._signed_in(session)

    async def operator_login(
        self,
        login: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
    ) -> Session:
        session = await self.inner.operator_login(
            login, password, captcha_id=captcha_id, captcha_answer=captcha_answer
        )
        self._back()
        return session

    async def resume(self, token: str) -> Session:
        return await self._signed_in(await self.inner.resume(token))

    async def logout(self) -> None:
        """The customer's copy goes first, whatever the server says (it may be away)."""
        copy = self._scope()
        self._signed_out = True
        try:
            if copy is not None:
                await asyncio.to_thread(copy.clear)
        finally:
            self._copy = None
            self._offline_session = None
            self._back()
            await self.inner.logout()

    async def register(self, form: Registration) -> None:
        await self.inner.register(form)

    async def confirm_registration(self, token: str) -> None:
        await self.inner.confirm_registration(token)

    async def request_password_reset(self, customer_number: str, email: str) -> None:
        await self.inner.request_password_reset(customer_number, email)

    async def reset_password(self, token: str, new_password: str) -> None:
        await self.inner.reset_password(token, new_password)

    async def change_password(self, old_password: str, new_password: str) -> Session:
        return await self._pass(lambda: self.inner.change_password(old_password, new_password))

    async def block_access(self, password: str) -> None:
        await self._pass(lambda: self.inner.block_access(password))

    async def terminate(self, password: str) -> None:
        await self._pass(lambda: self.inner.terminate(password))

    async def export_data(self) -> dict[str, Any]:
        return await self._pass(self.inner.export_data)

    async def invoice_archive(self) -> bytes:
        return await self._pass(self.inner.invoice_archive)

    async def terms_status(self) -> TermsStatus:
        return await self._pass(self.inner.terms_status)

    async def accept_terms(self, version: str) -> TermsStatus:
        return await self._pass(lambda: self.inner.accept_terms(version))

    # --- the customer's data ----------------------------------------------------------------
    async def dashboard(self) -> Dashboard:
        from ..domain.models import Dashboard

        return await self._read("dashboard", Dashboard, (), self.inner.dashboard)

    async def profile(self) -> Profile:
        from ..domain.models import Profile

        return await self._read("profile", Profile, (), self.inner.profile)

    async def update_contact(self, update: ContactUpdate) -> Customer:
        return await self._pass(lambda: self.inner.update_contact(update))

    async def set_consents(self, consents: Consents) -> Customer:
        return await self._pass(lambda: self.inner.set_consents(consents))

    async def invoices(self, query: InvoiceQuery | None = None) -> list[Invoice]:
        from ..domain.models import Invoice

        return await self._read(
            "invoices", list[Invoice], (query,), lambda: self.inner.invoices(query)
        )

    async def invoice(self, number: str) -> Invoice:
        from ..domain.models import Invoice

        return await self._read("invoice", Invoice, (number,), lambda: self.inner.invoice(number))

    async def invoice_pdf(self, number: str) -> bytes:
        return await self._pass(lambda: self.inner.invoice_pdf(number))

    async def settlements(self, which: SettlementFilter | None = None) -> Settlements:
        from ..domain.models import SettlementFilter, Settlements

        chosen = SettlementFilter.ALL if which is None else which
        return await self._read(
            "settlements", Settlements, (chosen,), lambda: self.inner.settlements(chosen)
        )

    async def payment_details(self, number: str | None = None) -> PaymentDetails:
        from ..domain.models import PaymentDetails

        return await self._read(
            "payment_details",
            PaymentDetails,
            (number,),
            lambda: self.inner.payment_details(number),
        )

    async def meters(self) -> list[Meter]:
        from ..domain.models import Meter

        return await self._read("meters", list[Meter], (), self.inner.meters)

    async def meter(self, meter_id: str) -> Meter:
        from ..domain.models import Meter

        return await self._read("meter", Meter, (meter_id,), lambda: self.inner.meter(meter_id))

    async def readings(self, meter_id: str) -> list[Reading]:
        from ..domain.models import Reading

        return await self._read(
            "readings", list[Reading], (meter_id,), lambda: self.inner.readings(meter_id)
        )

    async def series(
        self,
        meter_id: str,
        resolution: Resolution,
        date_from: Any = None,
        date_to: Any = None,
    ) -> list[SeriesPoint]:
        from ..domain.models import SeriesPoint

        return await self._read(
            "series",
            list[SeriesPoint],
            (meter_id, resolution, date_from, date_to),
            lambda: self.inner.series(meter_id, resolution, date_from, date_to),
        )

    async def submit_reading(
        self,
        submission: ReadingSubmission,
        *,
        idempotency_key: str | None = None,
        from_outbox: bool = False,
    ) -> Reading:
        return await self._pass(
            lambda: self.inner.submit_reading(
                submission, idempotency_key=idempotency_key, from_outbox=from_outbox
            )
        )

    async def edit_reading(self, reading_id: str, submission: ReadingSubmission) -> Reading:
        return await self._pass(lambda: self.inner.edit_reading(reading_id, submission))

    async def withdraw_reading(self, reading_id: str) -> Reading:
        return await self._pass(lambda: self.inner.withdraw_reading(reading_id))

    async def requests(self) -> list[ServiceRequest]:
        from ..domain.models import ServiceRequest

        return await self._read("requests", list[ServiceRequest], (), self.inner.requests)

    async def sent_notices(self) -> list[SentNotice]:
        from ..domain.models import SentNotice

        return await self._read("sent_notices", list[SentNotice], (), self.inner.sent_notices)

    async def request(self, request_id: str) -> ServiceRequest:
        from ..domain.models import ServiceRequest

        return await self._read(
            "request", ServiceRequest, (request_id,), lambda: self.inner.request(request_id)
        )

    async def create_request(
        self, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest:
        return await self._pass(
            lambda: self.inner.create_request(draft, idempotency_key=idempotency_key)
        )

    async def contracts(self) -> list[Contract]:
        from ..domain.models import Contract

        return await self._read("contracts", list[Contract], (), self.inner.contracts)

    async def contract(self, number: str) -> Contract:
        from ..domain.models import Contract

        return await self._read(
            "contract", Contract, (number,), lambda: self.inner.contract(number)
        )

    async def contract_document(self, number: str) -> bytes:
        return await self._pass(lambda: self.inner.contract_document(number))

    async def upload_contract_scan(
        self, number: str, filename: str, content: bytes, *, idempotency_key: str | None = None
    ) -> Document:
        return await self._pass(
            lambda: self.inner.upload_contract_scan(
                number, filename, content, idempotency_key=idempotency_key
            )
        )

    async def withdraw_contract_scan(self, doc_id: str) -> None:
        await self._pass(lambda: self.inner.withdraw_contract_scan(doc_id))

    async def documents(self) -> list[Document]:
        from ..domain.models import Document

        return await self._read("documents", list[Document], (), self.inner.documents)

    async def document_content(self, doc_id: str) -> tuple[Document, bytes]:
        return await self._pass(lambda: self.inner.document_content(doc_id))

    # --- the customer office (operators): never kept -----------------------------------------
    async def search_customers(
        self, query: str, *, offset: int = 0, limit: int = 50
    ) -> list[CustomerSummary]:
        return await self.inner.search_customers(query, offset=offset, limit=limit)

    async def pending_registrations(self) -> list[PendingRegistration]:
        return await self.inner.pending_registrations()

    async def activate_registration(self, customer_number: str) -> None:
        await self.inner.activate_registration(customer_number)

    async def reject_registration(self, customer_number: str, reason: str) -> None:
        await self.inner.reject_registration(customer_number, reason)

    async def request_queue(self, *, include_closed: bool = False) -> list[ServiceRequest]:
        return await self.inner.request_queue(include_closed=include_closed)

    async def reply_request(
        self, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest:
        return await self.inner.reply_request(request_id, text, status)

    async def pending_readings(self) -> list[PendingReading]:
        return await self.inner.pending_readings()

    async def import_readings(self, reading_ids: list[str]) -> int:
        return await self.inner.import_readings(reading_ids)

    async def block_account(self, customer_number: str, reason: str) -> None:
        await self.inner.block_account(customer_number, reason)

    async def unblock_account(self, customer_number: str, reason: str) -> None:
        await self.inner.unblock_account(customer_number, reason)

    async def issue_password(self, customer_number: str) -> None:
        await self.inner.issue_password(customer_number)

    async def publish_notice(self, draft: NoticeDraft) -> Notice:
        return await self.inner.publish_notice(draft)

    async def publish_terms(self, draft: TermsDraft) -> TermsPublished:
        return await self.inner.publish_terms(draft)

    async def end_contract(self, customer_number: str, ended_on: date) -> ContractEnd:
        return await self.inner.end_contract(customer_number, ended_on)

    async def contract_end_grace(self) -> ContractEndGrace:
        return await self.inner.contract_end_grace()

    async def set_contract_end_grace(self, grace: ContractEndGrace) -> ContractEndGrace:
        return await self.inner.set_contract_end_grace(grace)

    async def pending_scans(self) -> list[Document]:
        return await self.inner.pending_scans()

    async def accept_contract_scan(self, doc_id: str) -> Document:
        return await self.inner.accept_contract_scan(doc_id)

    async def set_scan_status(self, doc_id: str, status: ScanStatus, reason: str = "") -> Document:
        return await self.inner.set_scan_status(doc_id, status, reason)

    async def act_for(self, customer_number: str) -> Backend:
        return await self.inner.act_for(customer_number)

    async def audit_log(self, customer_number: str | None = None) -> list[AuditEntry]:
        return await self.inner.audit_log(customer_number)

    async def customer_notices(self, customer_number: str) -> list[SentNotice]:
        return await self.inner.customer_notices(customer_number)


if TYPE_CHECKING:

    def _is_a_backend(backend: OfflineBackend) -> Backend:
        return backend  # mypy checks here that the wrapper implements the protocol
