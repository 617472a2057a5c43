"""`PortalService`: the iBOK's rules applied to its state. One instance serves the demo
(through the local backend) and the reference server alike.

It is a façade over services per area (account, billing, contracts, metering, requests,
the account's life, the office's desk, the overview), composed over one `Core` (the store,
the mailer, the policies, the clock): none inherits another. Every call that carries a
token resolves it once, through `Sessions`, into the customer or operator it may act on,
and hands that session to the service; the services never see a token again."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ..domain.models import (
    AuditEntry,
    Balance,
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
    TermsDraft,
    TermsPublished,
    TermsStatus,
)
from .account import AccountService
from .answers import Answer, Answers, current, decoded, fresh
from .auth import AuthService
from .base import Clock, Core, PortalConfig, config_from_policy, utc_now
from .billing import BillingService
from .contract_end import ContractEndService
from .contracts import ContractsService
from .lifecycle import LifecycleService
from .mail import Mailer, OutboxMailer
from .metering import MeteringService
from .notify import Notifier
from .operator import SEARCH_LIMIT, OperatorService
from .overview import OverviewService
from .requests import RequestsService
from .sessions import Sessions
from .store import Store, is_url
from .stores import open_store
from .terms import TermsService

# the names of the stored answers (portal/answers.py) of Pulpit and of the invoices
DASHBOARD_ANSWER, INVOICES_ANSWER = "dashboard", "invoices"


class PortalService:
    """Every customer and operator operation. Customer operations take the session token
    and are scoped to that session's customer; nothing else is ever returned."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.sessions = Sessions(core)
        self.contract_ends = ContractEndService(core, self.sessions)
        # every sign-in first deactivates the accounts whose grace period passed (no process
        # of their own is needed)
        self.auth = AuthService(core, self.sessions, sweep=self.contract_ends.deactivate_due)
        self.lifecycle = LifecycleService(core, self.sessions, self.auth)
        self.account = AccountService(core)
        self.billing = BillingService(core, self.account)
        self.contracts_ = ContractsService(core, self.account)
        self.metering = MeteringService(core)
        self.requests_ = RequestsService(core)
        self.operator = OperatorService(
            core, self.sessions, self.auth, self.requests_, self.lifecycle
        )
        self.overview = OverviewService(
            core, self.account, self.billing, self.metering, self.contracts_, self.requests_
        )
        self.answers = Answers(core.store)
        self.terms_ = TermsService(core)
        # the notices' schedule (portal/notify.py)
        self.notifier = Notifier(core)
        # the billing system's import records a contract's end through this (no session)
        self.record_contract_end = self.contract_ends.record
        # the calls that need no session go straight to their service
        self.password_policy = self.auth.password_policy
        self.terms = self.terms_.in_force
        self.terms_versions = self.terms_.versions
        self.new_captcha = self.auth.new_captcha
        self.logout = self.auth.logout
        self.request_password_reset = self.lifecycle.request_password_reset
        self.reset_password = self.lifecycle.reset_password
        self.register = self.lifecycle.register
        self.confirm_registration = self.lifecycle.confirm_registration
        self.utility = self.account.utility
        self.tariffs = self.account.tariffs
        self.notices = self.account.notices

    @property
    def store(self) -> Store:
        return self.core.store

    @property
    def mailer(self) -> Mailer:
        return self.core.mailer

    @property
    def config(self) -> PortalConfig:
        return self.core.config

    def now(self) -> datetime:
        return self.core.now()

    def today(self) -> date:
        """The utility's calendar day (Polish time)."""
        return self.core.today()

    # --- signing in ----------------------------------------------------------------------

    def login(self, customer_number: str, password: str, **options: Any) -> Session:
        """Sign a customer in; the accounts whose grace period after the end of the supply
        contract passed are deactivated first (portal/auth.py asks whether one is)."""
        return self.auth.login(customer_number, password, **options)

    def operator_login(self, login: str, password: str, **options: Any) -> Session:
        return self.auth.operator_login(login, password, **options)

    # --- the one authorisation step ------------------------------------------------

    def session(self, token: str) -> Session:
        """The session behind a token, if it is still valid (used to resume)."""
        return self.sessions.resolve(token)

    def _customer(self, token: str) -> Session:
        return self.sessions.customer(token)

    def _operator(self, token: str) -> Session:
        return self.sessions.operator(token)

    # --- the account's life ----------------------------------------------------------

    def change_password(self, token: str, old_password: str, new_password: str) -> Session:
        """Change one's password; other sessions end, this one continues without the flag."""
        session = self.sessions.customer(token, allow_password_change=True)
        return self.lifecycle.change_password(session, old_password, new_password)

    def block_access(self, token: str, password: str) -> None:
        self.lifecycle.block_access(self._customer(token), password)

    def terminate(self, token: str, password: str) -> None:
        """Open while new terms wait for acceptance: declining them, the customer may end
        the agreement (Będzin §8.3)."""
        session = self.sessions.customer(token, allow_pending_terms=True)
        self.lifecycle.terminate(session, password)

    # --- the terms (portal/terms.py) ------------------------------------------------------

    def terms_status(self, token: str) -> TermsStatus:
        return self.terms_.status(self.sessions.customer(token, allow_pending_terms=True))

    def accept_terms(self, token: str, version: str) -> TermsStatus:
        session = self.sessions.customer(token, allow_pending_terms=True)
        return self.terms_.accept(session, version)

    def publish_terms(self, token: str, draft: TermsDraft) -> TermsPublished:
        return self.terms_.publish(self._operator(token), draft)

    # --- the customer's own data -------------------------------------------------------

    # Pulpit's dashboard, the invoices and the settlements are answers computed once per
    # customer and day and kept in the store while that customer's data stays the same
    # (portal/answers.py); the server sends their JSON as stored, the demo decodes it

    def dashboard(self, token: str) -> Dashboard:
        return decoded(self.dashboard_answer(token), Dashboard)

    def dashboard_answer(self, token: str) -> Answer:
        return self._stored(token, DASHBOARD_ANSWER, self.overview.dashboard)

    async def stored_answer_on_loop(self, token: str, name: str) -> Answer | None:
        """The customer's stored answer `name` read by one statement awaited on the event
        loop, when the store can (`reads_on_loop`: PostgreSQL) and the answer is current.
        None: ask `dashboard_answer` and the others (on a thread), which compute and store
        it, or decide on the session. A refused token raises here as there."""
        if not self.store.reads_on_loop:
            return None
        found = await self.sessions.customer_with_answer_on_loop(token, name)
        return None if found is None else current(found[1], self.core.today().isoformat())

    def _stored(self, token: str, name: str, compute: Callable[[Session], object]) -> Answer:
        """The customer's stored answer `name`, read in the statement that resolves the
        token (one statement while it is current), else `compute(session)`d and stored."""
        session, row = self.sessions.customer_with_answer(token, name)
        day = self.core.today().isoformat()
        return self.answers.get(session.subject, name, day, partial(compute, session), row)

    def export_data(self, token: str) -> dict[str, Any]:
        return self.overview.export_data(self._customer(token))

    def profile(self, token: str) -> Profile:
        return self.account.profile(self._customer(token))

    def update_contact(self, token: str, update: ContactUpdate) -> Customer:
        return self.account.update_contact(self._customer(token), update)

    def set_consents(self, token: str, consents: Consents) -> Customer:
        return self.account.set_consents(self._customer(token), consents)

    # --- billing -------------------------------------------------------------------------

    def invoices(self, token: str, query: InvoiceQuery | None = None) -> list[Invoice]:
        if query is None or query == InvoiceQuery():
            return decoded(self.invoices_answer(token), list[Invoice])
        return self.billing.invoices(self._customer(token), query)

    def invoices_answer(self, token: str, query: InvoiceQuery | None = None) -> Answer:
        """The invoices' JSON: the whole list is stored, a filtered one computed."""
        if query is None or query == InvoiceQuery():
            return self._stored(token, INVOICES_ANSWER, self.billing.invoices)
        return fresh(self.billing.invoices(self._customer(token), query))

    def invoice(self, token: str, number: str) -> Invoice:
        return self.billing.invoice(self._customer(token), number)

    def invoice_pdf(self, token: str, number: str) -> bytes:
        return self.billing.invoice_pdf(self._customer(token), number)

    def settlements(
        self, token: str, which: SettlementFilter = SettlementFilter.ALL
    ) -> Settlements:
        return decoded(self.settlements_answer(token, which), Settlements)

    def settlements_answer(
        self, token: str, which: SettlementFilter = SettlementFilter.ALL
    ) -> Answer:
        compute = partial(self.billing.settlements, which=which)
        return self._stored(token, settlements_answer_name(which), compute)

    def invoice_archive(self, token: str) -> bytes:
        return self.billing.invoice_archive(self._customer(token))

    def balance(self, token: str) -> Balance:
        return self.billing.balance(self._customer(token))

    def payment_details(self, token: str, number: str | None = None) -> PaymentDetails:
        return self.billing.payment_details(self._customer(token), number)

    # --- meters and readings ---------------------------------------------------------------

    def meters(self, token: str) -> list[Meter]:
        return self.metering.meters(self._customer(token))

    def meter(self, token: str, meter_id: str) -> Meter:
        return self.metering.meter(self._customer(token), meter_id)

    def readings(self, token: str, meter_id: str) -> list[Reading]:
        return self.metering.readings(self._customer(token), meter_id)

    def series(
        self,
        token: str,
        meter_id: str,
        resolution: Resolution,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> list[SeriesPoint]:
        session = self._customer(token)
        return self.metering.series(session, meter_id, resolution, date_from, date_to)

    def submit_reading(
        self,
        token: str,
        submission: ReadingSubmission,
        *,
        idempotency_key: str | None = None,
        from_outbox: bool = False,
    ) -> Reading:
        session = self._customer(token)
        return self.metering.submit_reading(
            session, submission, idempotency_key=idempotency_key, from_outbox=from_outbox
        )

    def edit_reading(self, token: str, reading_id: str, submission: ReadingSubmission) -> Reading:
        return self.metering.edit_reading(self._customer(token), reading_id, submission)

    def withdraw_reading(self, token: str, reading_id: str) -> Reading:
        return self.metering.withdraw_reading(self._customer(token), reading_id)

    # --- requests ---------------------------------------------------------------------------

    def requests(self, token: str) -> list[ServiceRequest]:
        return self.requests_.requests(self._customer(token))

    def request(self, token: str, request_id: str) -> ServiceRequest:
        return self.requests_.request(self._customer(token), request_id)

    def create_request(
        self, token: str, draft: RequestDraft, *, idempotency_key: str | None = None
    ) -> ServiceRequest:
        session = self._customer(token)
        return self.requests_.create_request(session, draft, idempotency_key=idempotency_key)

    def office_tick(self) -> None:
        """The office's periodic mail: failed routes again, the readings' digest."""
        self.requests_.office.tick()

    # --- contracts and documents -------------------------------------------------------------

    def contracts(self, token: str) -> list[Contract]:
        return self.contracts_.contracts(self._customer(token))

    def contract(self, token: str, number: str) -> Contract:
        return self.contracts_.contract(self._customer(token), number)

    def contract_document(self, token: str, number: str) -> bytes:
        return self.contracts_.contract_document(self._customer(token), number)

    def upload_contract_scan(
        self,
        token: str,
        number: str,
        filename: str,
        content: bytes,
        *,
        idempotency_key: str | None = None,
    ) -> Document:
        session = self._customer(token)
        return self.contracts_.upload_contract_scan(
            session, number, filename, content, idempotency_key=idempotency_key
        )

    def withdraw_contract_scan(self, token: str, doc_id: str) -> None:
        self.contracts_.withdraw_contract_scan(self._customer(token), doc_id)

    def documents(self, token: str) -> list[Document]:
        return self.contracts_.documents(self._customer(token))

    def document_content(self, token: str, doc_id: str) -> tuple[Document, bytes]:
        return self.contracts_.document_content(self._customer(token), doc_id)

    # --- the customer office (an operator's session) ---------------------------------------

    def pending_scans(self, token: str) -> list[Document]:
        return self.contracts_.pending_scans(self._operator(token))

    def accept_contract_scan(self, token: str, doc_id: str) -> Document:
        return self.contracts_.accept_contract_scan(self._operator(token), doc_id)

    def set_scan_status(
        self, token: str, doc_id: str, status: ScanStatus, reason: str = ""
    ) -> Document:
        return self.contracts_.set_scan_status(self._operator(token), doc_id, status, reason)

    def search_customers(
        self, token: str, query: str, *, offset: int = 0, limit: int = SEARCH_LIMIT
    ) -> list[CustomerSummary]:
        operator = self._operator(token)
        self.contract_ends.deactivate_due()  # the statuses shown are the ones in force
        return self.operator.search_customers(operator, query, offset=offset, limit=limit)

    def pending_registrations(self, token: str) -> list[PendingRegistration]:
        return self.operator.pending_registrations(self._operator(token))

    def activate_registration(self, token: str, customer_number: str) -> None:
        self.operator.activate_registration(self._operator(token), customer_number)

    def reject_registration(self, token: str, customer_number: str, reason: str) -> None:
        self.operator.reject_registration(self._operator(token), customer_number, reason)

    def request_queue(self, token: str, *, include_closed: bool = False) -> list[ServiceRequest]:
        return self.operator.request_queue(self._operator(token), include_closed=include_closed)

    def reply_request(
        self, token: str, request_id: str, text: str, status: RequestStatus
    ) -> ServiceRequest:
        return self.operator.reply_request(self._operator(token), request_id, text, status)

    def overdue_requests(self, token: str, today: date | None = None) -> list[ServiceRequest]:
        return self.operator.overdue_requests(self._operator(token), today)

    def pending_readings(self, token: str) -> list[PendingReading]:
        return self.operator.pending_readings(self._operator(token))

    def import_readings(self, token: str, reading_ids: list[str]) -> int:
        return self.operator.import_readings(self._operator(token), reading_ids)

    def block_account(self, token: str, customer_number: str, reason: str) -> None:
        self.operator.block_account(self._operator(token), customer_number, reason)

    def unblock_account(self, token: str, customer_number: str, reason: str) -> None:
        self.operator.unblock_account(self._operator(token), customer_number, reason)

    def issue_password(self, token: str, customer_number: str) -> None:
        self.operator.issue_password(self._operator(token), customer_number)

    def publish_notice(self, token: str, draft: NoticeDraft) -> Notice:
        return self.operator.publish_notice(self._operator(token), draft)

    def end_contract(self, token: str, customer_number: str, ended_on: date) -> ContractEnd:
        operator = self._operator(token)
        return self.contract_ends.record_by_operator(operator, customer_number, ended_on)

    def contract_end_grace(self, token: str) -> ContractEndGrace:
        self._operator(token)
        return self.contract_ends.grace()

    def set_contract_end_grace(self, token: str, grace: ContractEndGrace) -> ContractEndGrace:
        return self.contract_ends.set_grace(self._operator(token), grace)

    def act_for(self, token: str, customer_number: str) -> Session:
        return self.operator.act_for(self._operator(token), customer_number)

    def audit_log(
        self, token: str, customer_number: str | None = None, limit: int = 500
    ) -> list[AuditEntry]:
        return self.operator.audit_log(self._operator(token), customer_number, limit)

    # --- the notices' ledger ---------------------------------------------------------------

    def sent_notices(self, token: str) -> list[SentNotice]:
        """The customer's newest notices sent (or being sent), newest first."""
        return self.notifier.sent_to(self._customer(token).subject)

    def customer_notices(self, token: str, customer_number: str) -> list[SentNotice]:
        """The notices' ledger of one customer, for the clerk's audit view."""
        from ..domain.errors import ValidationFailed
        from .checks import text_error

        self._operator(token)
        if problem := text_error("customer_number", customer_number, max_length=64):
            raise ValidationFailed([problem])
        return self.notifier.sent_to(customer_number.strip())


def settlements_answer_name(which: SettlementFilter = SettlementFilter.ALL) -> str:
    """The stored answer's name of the settlements `which` shows."""
    return f"settlements:{which.value}"


def open_portal(
    path: Path | str,
    *,
    outbox: Path | None = None,
    mailer: Mailer | None = None,
    config: PortalConfig | None = None,
    clock: Clock = utc_now,
    seed_demo: bool = False,
) -> PortalService:
    """Open (creating and migrating) the store `path` names (a SQLite file, or a
    `postgresql://` URL); seed the demo data if asked and empty."""
    store = open_store(path)
    if seed_demo and store.is_empty():
        from .demo.fixtures import load_demo

        load_demo(store, clock)
    if config is None:
        policy = store.scalar("SELECT value FROM settings WHERE key = 'policy'")
        config = config_from_policy(json.loads(policy)) if policy else PortalConfig()
    mailer = mailer or OutboxMailer(outbox or default_outbox(path))
    return PortalService(Core(store, mailer=mailer, config=config, clock=clock))


def default_outbox(db: Path | str) -> Path:
    """Where mail goes when no folder or SMTP server is named: beside a SQLite file, or
    under the user's data directory for a database server."""
    if is_url(db):
        from platformdirs import user_data_dir

        return Path(user_data_dir("ibok", appauthor=False)) / "server" / "outbox"
    return Path(db).parent / "outbox"
