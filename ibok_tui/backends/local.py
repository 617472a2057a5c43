"""`LocalBackend`: the iBOK in-process, over `PortalService` and a SQLite file (the demo).

Calls run on one worker thread, so slow work (password hashing, PDFs) never blocks the
console's event loop.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from ..domain.errors import AuthenticationRequired, Captcha
from ..domain.models import (
    AuditEntry,
    Consents,
    ContactUpdate,
    Contract,
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
    SeriesPoint,
    ServiceRequest,
    Session,
    SettlementFilter,
    Settlements,
    Tariff,
    Terms,
    Utility,
)
from ..domain.passwords import PasswordPolicy
from ..portal.base import Clock, utc_now
from ..portal.service import PortalService, open_portal

T = TypeVar("T")
DEMO_DB = "demo.sqlite"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("ibok", appauthor=False))


def reset_demo(data_dir: Path | None = None) -> None:
    """Forget the demo store: the next start seeds it afresh."""
    folder = (data_dir or default_data_dir()) / "demo"
    if folder.exists():
        shutil.rmtree(folder)


def open_demo_service(data_dir: Path | None = None, clock: Clock = utc_now) -> PortalService:
    """The demo's portal, seeded on first use and again when its data no longer ends yesterday."""
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
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('seeded_on', ?)",
            (f'"{service.today().isoformat()}"',),
        )
    return service


class LocalBackend:
    """Implements `Backend` by calling `PortalService` directly."""

    def __init__(
        self,
        service: PortalService,
        *,
        label: str = "demo",
        executor: ThreadPoolExecutor | None = None,
        session: Session | None = None,
    ) -> None:
        self.service = service
        self._label = label
        self._executor = executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="ibok")
        self._owns_executor = executor is None
        self._session = session

    @classmethod
    def demo(cls, data_dir: Path | None = None, clock: Clock = utc_now) -> LocalBackend:
        return cls(open_demo_service(data_dir, clock))

    @property
    def label(self) -> str:
        return self._label

    @property
    def session(self) -> Session | None:
        return self._session

    async def _run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(func, *args, **kwargs))

    def _token(self) -> str:
        if self._session is None:
            raise AuthenticationRequired("Zaloguj się, aby kontynuować.")
        return self._session.token

    async def _as_session(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await self._run(func, self._token(), *args, **kwargs)

    async def close(self) -> None:
        if self._owns_executor:
            self._executor.shutdown(wait=True)

    # --- public ------------------------------------------------------------------------
    async def utility(self) -> Utility:
        return await self._run(self.service.utility)

    async def terms(self) -> Terms:
        return await self._run(self.service.terms)

    async def password_policy(self) -> PasswordPolicy:
        return await self._run(self.service.password_policy)

    async def notices(self) -> list[Notice]:
        return await self._run(self.service.notices)

    async def tariffs(self) -> list[Tariff]:
        return await self._run(self.service.tariffs)

    async def new_captcha(self) -> Captcha:
        return await self._run(self.service.new_captcha)

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
            self.service.login,
            customer_number,
            password,
            captcha_id=captcha_id,
            captcha_answer=captcha_answer,
            remember=remember,
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
            self.service.operator_login,
            login,
            password,
            captcha_id=captcha_id,
            captcha_answer=captcha_answer,
        )
        return self._session

    async def resume(self, token: str) -> Session:
        self._session = await self._run(self.service.session, token)
        return self._session

    async def logout(self) -> None:
        if self._session is not None:
            token, self._session = self._session.token, None
            await self._run(self.service.logout, token)

    async def register(self, form: Registration) -> None:
        await self._run(self.service.register, form)

    async def confirm_registration(self, token: str) -> None:
        await self._run(self.service.confirm_registration, token)

    async def request_password_reset(self, customer_number: str, email: str) -> None:
        await self._run(self.service.request_password_reset, customer_number, email)

    async def reset_password(self, token: str, new_password: str) -> None:
        await self._run(self.service.reset_password, token, new_password)

    async def change_password(self, old_password: str, new_password: str) -> Session:
        self._session = await self._as_session(
            self.service.change_password, old_password, new_password
        )
        return self._session

    async def block_access(self, password: str) -> None:
        await self._as_session(self.service.block_access, password)
        self._session = None

    async def terminate(self, password: str) -> None:
        await self._as_session(self.service.terminate, password)
        self._session = None

    async def export_data(self) -> dict[str, Any]:
        return await self._as_session(self.service.export_data)

    # --- the customer's data ---------------------------------------------------------------
    async def dashboard(self) -> Dashboard:
        return await self._as_session(self.service.dashboard)

    async def profile(self) -> Profile:
        return await self._as_session(self.service.profile)

    async def update_contact(self, update: ContactUpdate) -> Customer:
        return await self._as_session(self.service.update_contact, update)

    async def set_consents(self, consents: Consents) -> Customer:
        return await self._as_session(self.service.set_consents, consents)

    async def invoices(self, query: InvoiceQuery | None = None) -> list[Invoice]:
        return await self._as_session(self.service.invoices, query)

    async def invoice(self, number: str) -> Invoice:
        return await self._as_session(self.service.invoice, number)

    async def invoice_pdf(self, number: str) -> bytes:
        return await self._as_session(self.service.invoice_pdf, number)

    async def settlements(self, which: SettlementFilter = SettlementFilter.ALL) -> Settlements:
        return await self._as_session(self.service.settlements, which)

    async def payment_details(self, number: str | None = None) -> PaymentDetails:
        return await self._as_session(self.service.payment_details, number)

    async def meters(self) -> list[Meter]:
        return await self._as_session(self.service.meters)

    async def meter(self, meter_id: str) -> Meter:
        return await self._as_session(self.service.meter, meter_id)

    async def readings(self, meter_id: str) -> list[Reading]:
        return await self._as_session(self.service.readings, meter_id)

    async def series(
        self,
        meter_id: str,
        resolution: Resolution,
        date_from: date | datetime | None = None,
        date_to: date | datetime | None = None,
    ) -> list[SeriesPoint]:
        return await self._as_session(self.service.series, meter_id, resolution, date_from, date_to)

    async def submit_reading(
        self, submission: ReadingSubmission, *, idempotency_key: str | None = None
    ) -> Reading:
        return await self._as_session(
            self.service.submit_reading, submission, idempotency_key=idempotency_key
        )

    async def edit_reading(self, reading_id: str, submission: ReadingSubmission) -> Reading:
        return await self._as_session(self.service.edit_reading, reading_id, submission)

    async def withdraw_reading(self, reading_id: str) -> Reading:
        return await self._as_session(self.service.withdraw_reading, reading_id)

    async def requests(self) -> list[ServiceRequest]:
        return await self._as_session(self.service.requests)

    async def request(self, request_id: str) -> ServiceRequest:
        return await self._as_session(self.service.request, request_id)

    async def create_request(
        self, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest:
        return await self._as_session(
            self.service.create_request, draft, idempotency_key=idempotency_key
        )

    async def contracts(self) -> list[Contract]:
        return await self._as_session(self.service.contracts)

    async def contract(self, number: str) -> Contract:
        return await self._as_session(self.service.contract, number)

    async def contract_document(self, number: str) -> bytes:
        return await self._as_session(self.service.contract_document, number)

    async def upload_contract_scan(
        self, number: str, filename: str, content: bytes, *, idempotency_key: str | None = None
    ) -> Document:
        return await self._as_session(
            self.service.upload_contract_scan,
            number,
            filename,
            content,
            idempotency_key=idempotency_key,
        )

    async def documents(self) -> list[Document]:
        return await self._as_session(self.service.documents)

    async def document_content(self, doc_id: str) -> tuple[Document, bytes]:
        return await self._as_session(self.service.document_content, doc_id)

    # --- operators ----------------------------------------------------------------------
    async def search_customers(self, query: str) -> list[CustomerSummary]:
        return await self._as_session(self.service.search_customers, query)

    async def pending_registrations(self) -> list[PendingRegistration]:
        return await self._as_session(self.service.pending_registrations)

    async def activate_registration(self, customer_number: str) -> None:
        await self._as_session(self.service.activate_registration, customer_number)

    async def reject_registration(self, customer_number: str, reason: str) -> None:
        await self._as_session(self.service.reject_registration, customer_number, reason)

    async def request_queue(self, *, include_closed: bool = False) -> list[ServiceRequest]:
        return await self._as_session(self.service.request_queue, include_closed=include_closed)

    async def reply_request(
        self, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest:
        return await self._as_session(self.service.reply_request, request_id, text, status)

    async def pending_readings(self) -> list[PendingReading]:
        return await self._as_session(self.service.pending_readings)

    async def import_readings(self, reading_ids: list[str]) -> int:
        return await self._as_session(self.service.import_readings, reading_ids)

    async def block_account(self, customer_number: str, reason: str) -> None:
        await self._as_session(self.service.block_account, customer_number, reason)

    async def unblock_account(self, customer_number: str, reason: str) -> None:
        await self._as_session(self.service.unblock_account, customer_number, reason)

    async def issue_password(self, customer_number: str) -> None:
        await self._as_session(self.service.issue_password, customer_number)

    async def publish_notice(self, draft: NoticeDraft) -> Notice:
        return await self._as_session(self.service.publish_notice, draft)

    async def act_for(self, customer_number: str) -> LocalBackend:
        session = await self._as_session(self.service.act_for, customer_number)
        return LocalBackend(
            self.service, label=self._label, executor=self._executor, session=session
        )

    async def audit_log(self, customer_number: str | None = None) -> list[AuditEntry]:
        return await self._as_session(self.service.audit_log, customer_number)
