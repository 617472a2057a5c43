"""`LocalBackend`: the iBOK in-process, over `PortalService` and a SQLite file (the demo).

Calls run on one worker thread, so slow work (password hashing, PDFs) never blocks the
console's event loop. The portal is imported and its store opened on that thread too, on
the first call or on `prepare()`: the console paints its first frame without waiting for
them, and the demo's daily re-seeding (seconds) happens behind the login screen.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .changes import ChangeSource, announces_changes
from .private_files import default_data_dir

if TYPE_CHECKING:
    from datetime import date, datetime

    from ..domain.errors import Captcha
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
    from ..portal.base import Clock
    from ..portal.service import PortalService

T = TypeVar("T")
DEMO_DB = "demo.sqlite"


def reset_demo(data_dir: Path | None = None) -> None:
    """Forget the demo store: the next start seeds it afresh."""
    folder = (data_dir or default_data_dir()) / "demo"
    if folder.exists():
        shutil.rmtree(folder)


def open_demo_service(data_dir: Path | None = None, clock: Clock | None = None) -> PortalService:
    """The demo's portal, seeded on first use and again when its data no longer ends yesterday."""
    from ..portal.base import utc_now
    from ..portal.service import open_portal

    clock = clock or utc_now
    folder = (data_dir or default_data_dir()) / "demo"
    path = folder / DEMO_DB
    if path.exists():
        service = open_portal(path, clock=clock)
        seeded = service.store.scalar("SELECT value FROM settings WHERE key = 'seeded_on'")
        if seeded == f'"{service.today().isoformat()}"':
            return service
        service.store.close()
        shutil.rmtree(folder)
    service = open_portal(path, clock=clock, seed_demo=True)
    with service.store.transaction():
        service.store.execute(
            "INSERT INTO settings (key, value) VALUES ('seeded_on', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (f'"{service.today().isoformat()}"',),
        )
    return service


@announces_changes
class LocalBackend(ChangeSource):
    """Implements `Backend` by calling `PortalService` directly.

    `service` is the portal, or a function that opens it: then it is opened on the worker
    thread by `prepare()` or the first call.
    """

    def __init__(
        self,
        service: PortalService | Callable[[], PortalService],
        *,
        label: str = "demo",
        executor: ThreadPoolExecutor | None = None,
        session: Session | None = None,
    ) -> None:
        self._service: PortalService | None = None
        self._opener: Callable[[], PortalService] | None = None
        if callable(service):
            self._opener = service
        else:
            self._service = service
        self._open_lock = threading.Lock()
        self._label = label
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="ibok")
        self._owns_executor = executor is None
        self._session = session

    @classmethod
    def demo(cls, data_dir: Path | None = None, clock: Clock | None = None) -> LocalBackend:
        return cls(lambda: open_demo_service(data_dir, clock))

    @property
    def service(self) -> PortalService:
        """The portal, opened now if it is not yet (on the calling thread)."""
        with self._open_lock:
            if self._service is None:
                assert self._opener is not None
                self._service = self._opener()
            return self._service

    @property
    def label(self) -> str:
        return self._label

    @property
    def mail_folder(self) -> Path | None:
        from ..portal.mail import BackgroundMailer, OutboxMailer

        mailer = self.service.mailer
        if isinstance(mailer, BackgroundMailer):
            mailer = mailer.mailer
        return mailer.folder if isinstance(mailer, OutboxMailer) else None

    @property
    def session(self) -> Session | None:
        return self._session

    async def _run(self, call: Callable[[PortalService], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: call(self.service))

    def _token(self) -> str:
        if self._session is None:
            from ..domain.errors import AuthenticationRequired

            raise AuthenticationRequired()
        return self._session.token

    async def _as_session(self, call: Callable[[PortalService, str], T]) -> T:
        token = self._token()
        return await self._run(lambda service: call(service, token))

    async def prepare(self) -> None:
        await self._run(lambda _service: None)

    async def close(self) -> None:
        if self._owns_executor:
            self._executor.shutdown(wait=True)

    # --- public ------------------------------------------------------------------------
    async def utility(self) -> Utility:
        return await self._run(lambda s: s.utility())

    async def terms(self) -> Terms:
        return await self._run(lambda s: s.terms())

    async def terms_versions(self) -> list[Terms]:
        return await self._run(lambda s: s.terms_versions())

    async def password_policy(self) -> PasswordPolicy:
        return await self._run(lambda s: s.password_policy())

    async def notices(self) -> list[Notice]:
        return await self._run(lambda s: s.notices())

    async def tariffs(self) -> list[Tariff]:
        return await self._run(lambda s: s.tariffs())

    async def new_captcha(self) -> Captcha:
        return await self._run(lambda s: s.new_captcha())

    # --- signing in -----------------------------------------------------------------------
    async def login(
        self,
        customer_number: str,
        password: str,
        *,
        captcha_id: str | None = None,
        captcha_answer: str | None = None,
        remember: bool = False,
    ) -> Session:
        self._session = await self._run(
            lambda s: s.login(
                customer_number,
                password,
                captcha_id=captcha_id,
                captcha_answer=captcha_answer,
                remember=remember,
            )
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
        self._session = await self._run(
            lambda s: s.operator_login(
                login, password, captcha_id=captcha_id, captcha_answer=captcha_answer
            )
        )
        return self._session

    async def resume(self, token: str) -> Session:
        self._session = await self._run(lambda s: s.session(token))
        return self._session

    async def logout(self) -> None:
        if self._session is not None:
            token, self._session = self._session.token, None
            await self._run(lambda s: s.logout(token))

    async def register(self, form: Registration) -> None:
        await self._run(lambda s: s.register(form))

    async def confirm_registration(self, token: str) -> None:
        await self._run(lambda s: s.confirm_registration(token))

    async def request_password_reset(self, customer_number: str, email: str) -> None:
        await self._run(lambda s: s.request_password_reset(customer_number, email))

    async def reset_password(self, token: str, new_password: str) -> None:
        await self._run(lambda s: s.reset_password(token, new_password))

    async def change_password(self, old_password: str, new_password: str) -> Session:
        self._session = await self._as_session(
            lambda s, t: s.change_password(t, old_password, new_password)
        )
        return self._session

    async def block_access(self, password: str) -> None:
        await self._as_session(lambda s, t: s.block_access(t, password))
        self._session = None

    async def terminate(self, password: str) -> None:
        await self._as_session(lambda s, t: s.terminate(t, password))
        self._session = None

    async def terms_status(self) -> TermsStatus:
        return await self._as_session(lambda s, t: s.terms_status(t))

    async def accept_terms(self, version: str) -> TermsStatus:
        return await self._as_session(lambda s, t: s.accept_terms(t, version))

    async def export_data(self) -> dict[str, Any]:
        return await self._as_session(lambda s, t: s.export_data(t))

    # --- the customer's data ---------------------------------------------------------------
    async def dashboard(self) -> Dashboard:
        return await self._as_session(lambda s, t: s.dashboard(t))

    async def profile(self) -> Profile:
        return await self._as_session(lambda s, t: s.profile(t))

    async def update_contact(self, update: ContactUpdate) -> Customer:
        return await self._as_session(lambda s, t: s.update_contact(t, update))

    async def set_consents(self, consents: Consents) -> Customer:
        return await self._as_session(lambda s, t: s.set_consents(t, consents))

    async def invoices(self, query: InvoiceQuery | None = None) -> list[Invoice]:
        return await self._as_session(lambda s, t: s.invoices(t, query))

    async def invoice(self, number: str) -> Invoice:
        return await self._as_session(lambda s, t: s.invoice(t, number))

    async def invoice_pdf(self, number: str) -> bytes:
        return await self._as_session(lambda s, t: s.invoice_pdf(t, number))

    async def invoice_archive(self) -> bytes:
        return await self._as_session(lambda s, t: s.invoice_archive(t))

    async def settlements(self, which: SettlementFilter | None = None) -> Settlements:
        if which is None:  # the portal's default (all), without importing the models here
            return await self._as_session(lambda s, t: s.settlements(t))
        return await self._as_session(lambda s, t: s.settlements(t, which))

    async def payment_details(self, number: str | None = None) -> PaymentDetails:
        return await self._as_session(lambda s, t: s.payment_details(t, number))

    async def meters(self) -> list[Meter]:
        return await self._as_session(lambda s, t: s.meters(t))

    async def meter(self, meter_id: str) -> Meter:
        return await self._as_session(lambda s, t: s.meter(t, meter_id))

    async def readings(self, meter_id: str) -> list[Reading]:
        return await self._as_session(lambda s, t: s.readings(t, meter_id))

    async def series(
        self,
        meter_id: str,
        resolution: Resolution,
        date_from: date | datetime | None = None,
        date_to: date | datetime | None = None,
    ) -> list[SeriesPoint]:
        return await self._as_session(
            lambda s, t: s.series(t, meter_id, resolution, date_from, date_to)
        )

    async def submit_reading(
        self,
        submission: ReadingSubmission,
        *,
        idempotency_key: str | None = None,
        from_outbox: bool = False,
    ) -> Reading:
        return await self._as_session(
            lambda s, t: s.submit_reading(
                t, submission, idempotency_key=idempotency_key, from_outbox=from_outbox
            )
        )

    async def edit_reading(self, reading_id: str, submission: ReadingSubmission) -> Reading:
        return await self._as_session(lambda s, t: s.edit_reading(t, reading_id, submission))

    async def withdraw_reading(self, reading_id: str) -> Reading:
        return await self._as_session(lambda s, t: s.withdraw_reading(t, reading_id))

    async def requests(self) -> list[ServiceRequest]:
        return await self._as_session(lambda s, t: s.requests(t))

    async def sent_notices(self) -> list[SentNotice]:
        return await self._as_session(lambda s, t: s.sent_notices(t))

    async def request(self, request_id: str) -> ServiceRequest:
        return await self._as_session(lambda s, t: s.request(t, request_id))

    async def create_request(
        self, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest:
        return await self._as_session(
            lambda s, t: s.create_request(t, draft, idempotency_key=idempotency_key)
        )

    async def contracts(self) -> list[Contract]:
        return await self._as_session(lambda s, t: s.contracts(t))

    async def contract(self, number: str) -> Contract:
        return await self._as_session(lambda s, t: s.contract(t, number))

    async def contract_document(self, number: str) -> bytes:
        return await self._as_session(lambda s, t: s.contract_document(t, number))

    async def upload_contract_scan(
        self, number: str, filename: str, content: bytes, *, idempotency_key: str | None = None
    ) -> Document:
        return await self._as_session(
            lambda s, t: s.upload_contract_scan(
                t, number, filename, content, idempotency_key=idempotency_key
            )
        )

    async def withdraw_contract_scan(self, doc_id: str) -> None:
        await self._as_session(lambda s, t: s.withdraw_contract_scan(t, doc_id))

    async def documents(self) -> list[Document]:
        return await self._as_session(lambda s, t: s.documents(t))

    async def document_content(self, doc_id: str) -> tuple[Document, bytes]:
        return await self._as_session(lambda s, t: s.document_content(t, doc_id))

    # --- operators ----------------------------------------------------------------------
    async def search_customers(
        self, query: str, *, offset: int = 0, limit: int = 50
    ) -> list[CustomerSummary]:
        return await self._as_session(
            lambda s, t: s.search_customers(t, query, offset=offset, limit=limit)
        )

    async def pending_registrations(self) -> list[PendingRegistration]:
        return await self._as_session(lambda s, t: s.pending_registrations(t))

    async def activate_registration(self, customer_number: str) -> None:
        await self._as_session(lambda s, t: s.activate_registration(t, customer_number))

    async def reject_registration(self, customer_number: str, reason: str) -> None:
        await self._as_session(lambda s, t: s.reject_registration(t, customer_number, reason))

    async def request_queue(self, *, include_closed: bool = False) -> list[ServiceRequest]:
        return await self._as_session(
            lambda s, t: s.request_queue(t, include_closed=include_closed)
        )

    async def reply_request(
        self, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest:
        return await self._as_session(lambda s, t: s.reply_request(t, request_id, text, status))

    async def pending_readings(self) -> list[PendingReading]:
        return await self._as_session(lambda s, t: s.pending_readings(t))

    async def import_readings(self, reading_ids: list[str]) -> int:
        return await self._as_session(lambda s, t: s.import_readings(t, reading_ids))

    async def block_account(self, customer_number: str, reason: str) -> None:
        await self._as_session(lambda s, t: s.block_account(t, customer_number, reason))

    async def unblock_account(self, customer_number: str, reason: str) -> None:
        await self._as_session(lambda s, t: s.unblock_account(t, customer_number, reason))

    async def issue_password(self, customer_number: str) -> None:
        await self._as_session(lambda s, t: s.issue_password(t, customer_number))

    async def end_contract(self, customer_number: str, ended_on: date) -> ContractEnd:
        return await self._as_session(lambda s, t: s.end_contract(t, customer_number, ended_on))

    async def contract_end_grace(self) -> ContractEndGrace:
        return await self._as_session(lambda s, t: s.contract_end_grace(t))

    async def set_contract_end_grace(self, grace: ContractEndGrace) -> ContractEndGrace:
        return await self._as_session(lambda s, t: s.set_contract_end_grace(t, grace))

    async def publish_notice(self, draft: NoticeDraft) -> Notice:
        return await self._as_session(lambda s, t: s.publish_notice(t, draft))

    async def publish_terms(self, draft: TermsDraft) -> TermsPublished:
        return await self._as_session(lambda s, t: s.publish_terms(t, draft))

    async def pending_scans(self) -> list[Document]:
        return await self._as_session(lambda s, t: s.pending_scans(t))

    async def accept_contract_scan(self, doc_id: str) -> Document:
        return await self._as_session(lambda s, t: s.accept_contract_scan(t, doc_id))

    async def set_scan_status(self, doc_id: str, status: ScanStatus, reason: str = "") -> Document:
        return await self._as_session(lambda s, t: s.set_scan_status(t, doc_id, status, reason))

    async def act_for(self, customer_number: str) -> LocalBackend:
        session = await self._as_session(lambda s, t: s.act_for(t, customer_number))
        acting = LocalBackend(
            self.service, label=self._label, executor=self._executor, session=session
        )
        self.share_changes(acting)
        return acting

    async def audit_log(self, customer_number: str | None = None) -> list[AuditEntry]:
        return await self._as_session(lambda s, t: s.audit_log(t, customer_number))

    async def customer_notices(self, customer_number: str) -> list[SentNotice]:
        return await self._as_session(lambda s, t: s.customer_notices(t, customer_number))
