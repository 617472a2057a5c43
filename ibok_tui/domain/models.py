"""The domain's types: plain frozen dataclasses (`@value`: domain/value.py), shared by
every layer. Those of customers (`customers`), meters and readings (`meters`) and Pulpit
(`dashboard`) are defined in modules of their own and imported here: every type is
importable from this module, and a resumed start reads the last Pulpit without the rest.

Money is integer grosze (`Grosze`), meter indexes and consumption are integer litres
(`Litres`), so nothing is ever a float. Dates are `datetime.date`, instants are
timezone-aware `datetime.datetime` in UTC.

No `slots=True`: a slotted dataclass is built twice (the class is re-created with
`__slots__`), which made importing this module about three times slower (start-up time).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .customers import (
    AccountStatus,
    Address,
    Consents,
    ContractEnd,
    Customer,
    CustomerKind,
    Utility,
)
from .dashboard import Alert, Balance, Dashboard, Forecast, MeterSummary, Notice, NoticeKind
from .meters import (
    SENT_FROM,
    SYSTEM_AUTHOR,
    LegalizationState,
    Meter,
    MeterOwner,
    MeterRole,
    MeterStatus,
    Reading,
    ReadingEvent,
    ReadingEventKind,
    ReadingStatus,
    ReadingSubmission,
    ReadingType,
    Resolution,
    SeriesPoint,
)
from .units import Grosze, Litres
from .value import value

__all__ = [
    "SENT_FROM",
    "SYSTEM_AUTHOR",
    "AccountStatus",
    "Address",
    "Alert",
    "Balance",
    "Consents",
    "ContractEnd",
    "Customer",
    "CustomerKind",
    "Dashboard",
    "Forecast",
    "Grosze",
    "LegalizationState",
    "Litres",
    "Meter",
    "MeterOwner",
    "MeterRole",
    "MeterStatus",
    "MeterSummary",
    "Notice",
    "NoticeKind",
    "Reading",
    "ReadingEvent",
    "ReadingEventKind",
    "ReadingStatus",
    "ReadingSubmission",
    "ReadingType",
    "Resolution",
    "SeriesPoint",
    "Utility",
]


class Role(StrEnum):
    CUSTOMER = "customer"
    OPERATOR = "operator"


class InvoiceKind(StrEnum):
    SETTLEMENT = "settlement"  # rozliczeniowa, from a real reading
    ESTIMATED = "estimated"  # szacunkowa
    CORRECTION = "correction"  # korekta
    INTEREST_NOTE = "interest_note"  # nota odsetkowa


class InvoiceStatus(StrEnum):
    PAID = "paid"
    UNPAID = "unpaid"  # not yet due
    PARTIAL = "partial"  # partly paid, not yet due
    OVERDUE = "overdue"  # past due, something left to pay
    SETTLED_BY_CORRECTION = "settled"  # nothing to pay (zero or negative)


class LineKind(StrEnum):
    WATER = "water"
    SEWAGE = "sewage"
    SUBSCRIPTION = "subscription"  # abonament
    INTEREST = "interest"
    OTHER = "other"


class SettlementFilter(StrEnum):
    ALL = "all"
    PAID = "paid"
    UNPAID = "unpaid"


class RequestCategory(StrEnum):
    FAILURE = "failure"  # awaria
    WATER_QUALITY = "water_quality"
    PARTY_DATA_CHANGE = "party_data_change"
    COMPLAINT = "complaint"  # reklamacja, 14 days
    GARDEN_METER_INSTALL = "garden_meter_install"
    GARDEN_METER_REPLACE = "garden_meter_replace"
    GARDEN_METER_REMOVE = "garden_meter_remove"
    OTHER = "other"


class RequestStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    ANSWERED = "answered"
    CLOSED = "closed"
    REJECTED = "rejected"


OPEN_REQUEST_STATUSES = frozenset(
    {RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.WAITING_FOR_CUSTOMER}
)


class ContractStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class DocumentKind(StrEnum):
    CONTRACT = "contract"
    SCAN = "scan"
    LETTER = "letter"
    INVOICE_COPY = "invoice_copy"
    OTHER = "other"


class ScanStatus(StrEnum):
    """Where a customer's scan is in the utility's document workflow ("System Obiegu
    Dokumentów"): received, being checked, accepted, rejected (with a reason), archived.
    The customer may withdraw it until the utility accepts it (`SCAN_WITHDRAWABLE`)."""

    SUBMITTED = "submitted"  # received, not yet looked at
    IN_REVIEW = "in_review"  # a clerk is checking it
    ACCEPTED = "accepted"  # the utility's record: kept for good
    REJECTED = "rejected"  # refused, with the reason; the customer may send another
    ARCHIVED = "archived"  # an accepted scan put away (the contract ended, replaced)


# the states in which the customer may still withdraw a scan (and which count to the quota)
# characters of a clerk's reason: for a scan's state (a rejection's, one line), and for
# blocking or unblocking an account or rejecting a registration (the audit log's)
SCAN_REASON_MAX = 500
ACCOUNT_REASON_MAX = 2000
SCAN_WITHDRAWABLE = frozenset({ScanStatus.SUBMITTED, ScanStatus.IN_REVIEW, ScanStatus.REJECTED})
# where the utility may move a scan from each state (a change to the same state is refused)
SCAN_MOVES: dict[ScanStatus, frozenset[ScanStatus]] = {
    ScanStatus.SUBMITTED: frozenset(
        {ScanStatus.IN_REVIEW, ScanStatus.ACCEPTED, ScanStatus.REJECTED}
    ),
    ScanStatus.IN_REVIEW: frozenset({ScanStatus.ACCEPTED, ScanStatus.REJECTED}),
    ScanStatus.REJECTED: frozenset(
        {ScanStatus.IN_REVIEW, ScanStatus.ACCEPTED, ScanStatus.ARCHIVED}
    ),
    ScanStatus.ACCEPTED: frozenset({ScanStatus.ARCHIVED}),
    ScanStatus.ARCHIVED: frozenset(),
}


# --- the utility ----------------------------------------------------------------------


@value
class Terms:
    """One version of the e-service terms (regulamin iBOK). A version applies from its
    `effective_from` day; before that it is published but not yet in force."""

    version: str
    effective_from: date
    text: str
    changes: str = ""  # what changed against the version before, in the utility's words
    published_at: datetime | None = None


@value
class TermsDraft:
    """A new version of the terms, as the utility publishes it."""

    version: str
    effective_from: date
    text: str
    changes: str = ""


@value
class TermsPublished:
    terms: Terms
    notified: int  # customers with consent to e-mail notices told of it


@value
class TermsStatus:
    """A customer and the terms in force: who accepted what, and whether they must accept
    the version in force before using the iBOK (Będzin §1.5)."""

    in_force: Terms
    accepted_version: str | None
    accepted_at: datetime | None
    must_accept: bool


@value
class Tariff:
    id: str
    valid_from: date
    valid_to: date | None
    water_per_m3: Grosze  # net
    sewage_per_m3: Grosze  # net
    subscription_per_month: Grosze  # net, abonament
    vat_rate: Decimal = Decimal("0.08")


# --- customers and their property -----------------------------------------------------


class NoticeTopic(StrEnum):
    """What a notice the iBOK sends is about (portal/notify.py)."""

    INVOICE = "invoice"  # a new invoice (with its PDF to an e-invoice customer)
    PAYMENT_DUE = "payment_due"  # a payment due in a few days
    OVERDUE = "overdue"  # a payment past its due date
    LEGALIZATION = "legalization"  # a meter's legalization ending within 90 days
    WORKS = "works"  # planned works or a failure in the customer's street
    READING_WINDOW = "reading_window"  # a billing period's reading window opened


class NoticeChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class NoticeState(StrEnum):
    SENDING = "sending"  # claimed, being handed over
    SENT = "sent"
    FAILED = "failed"  # tried again later
    DROPPED = "dropped"  # not sent: the consent or the address went before a retry


@value
class SentNotice:
    """One row of the notices' ledger: what was sent to a customer, how and when."""

    topic: NoticeTopic
    subject: str  # the invoice's number, the meter's id and date, the notice's id, the period
    channel: NoticeChannel
    about: str  # what the customer was told of, in short (a number, a title)
    state: NoticeState
    created_at: datetime
    sent_at: datetime | None = None
    attempts: int = 0
    address: str = ""


class GraceUnit(StrEnum):
    HOURS = "hours"  # from the moment the iBOK learns of the end (Będzin §8.6: 24 hours)
    DAYS = "days"  # calendar days in Poland, the last one whole (Warszawa II.7: 30 days)


@value
class ContractEndGrace:
    """How long an iBOK account stays usable after its supply contract ends: the utility's
    setting (portal/contract_end.py)."""

    amount: int
    unit: GraceUnit


@value
class PointOfSupply:
    id: str
    property_id: str
    label: str
    meters: tuple[Meter, ...] = ()


@value
class Property:
    """A posesja: a place supplied with water, with its points of supply."""

    id: str
    customer_number: str
    label: str
    address: Address
    points: tuple[PointOfSupply, ...] = ()


@value
class Profile:
    customer: Customer
    properties: tuple[Property, ...]
    data_as_of: date


@value
class ContactUpdate:
    email: str | None = None
    phone: str | None = None
    address: Address | None = None


# --- invoices and settlements --------------------------------------------------------


@value
class InvoiceLine:
    kind: LineKind
    description: str
    quantity: Decimal  # m³ for water and sewage, months for the subscription fee
    unit: str
    unit_price: Grosze  # net
    net: Grosze
    vat_rate: Decimal
    vat: Grosze
    gross: Grosze


@value
class Invoice:
    number: str
    customer_number: str
    property_id: str
    kind: InvoiceKind
    issue_date: date
    sale_date: date
    period_from: date
    period_to: date
    due_date: date
    net: Grosze
    vat: Grosze
    gross: Grosze
    paid: Grosze
    status: InvoiceStatus
    corrects: str | None = None  # the corrected invoice's number, for a korekta
    lines: tuple[InvoiceLine, ...] = ()

    @property
    def to_pay(self) -> Grosze:
        return max(self.gross - self.paid, 0)


@value
class InvoiceQuery:
    number: str = ""  # substring, case-insensitive
    date_from: date | None = None  # issue date
    date_to: date | None = None
    status: InvoiceStatus | None = None
    kind: InvoiceKind | None = None


@value
class Payment:
    id: str
    paid_on: date
    amount: Grosze
    title: str
    document_number: str | None = None


@value
class SettlementRow:
    number: str
    kind: InvoiceKind
    issue_date: date
    due_date: date
    owed: Grosze  # winien
    paid: Grosze
    to_pay: Grosze
    overdue: bool
    property_id: str  # the posesja the document was issued for
    payments: tuple[Payment, ...] = ()


@value
class Settlements:
    rows: tuple[SettlementRow, ...]
    balance: Balance
    unassigned_payments: tuple[Payment, ...] = ()


@value
class PaymentDetails:
    recipient: str
    recipient_nip: str
    recipient_address: str
    account: str  # the customer's individual 26-digit account
    title: str
    amount: Grosze
    qr_payload: str  # the Polish banks' 2D payment code (ZBP 2013)
    online_url: str = ""  # empty when the utility offers no online payment


# --- contracts, documents, notices ----------------------------------------------------


@value
class Document:
    id: str
    customer_number: str
    title: str
    kind: DocumentKind
    created_on: date
    filename: str
    mime: str
    size: int
    scan_status: ScanStatus | None = None  # only a customer's scan has one
    history: tuple[DocumentEvent, ...] = ()  # a scan's workflow, oldest first


@value
class DocumentEvent:
    """One step of a scan's workflow: the state it entered, when, by whom (CUSTOMER_AUTHOR,
    a clerk's name, SYSTEM_AUTHOR) and why (a rejection's reason)."""

    at: datetime
    status: ScanStatus
    author: str
    reason: str = ""
    day_only: bool = False  # only the day of `at` is known (a scan stored before histories)


@value
class Contract:
    number: str
    customer_number: str
    property_id: str
    title: str
    signed_on: date
    valid_from: date
    valid_to: date | None
    status: ContractStatus
    document_id: str | None = None
    scans: tuple[Document, ...] = ()


@value
class NoticeDraft:
    kind: NoticeKind
    title: str
    body: str
    valid_from: date
    valid_to: date | None = None
    area: str = ""


# --- requests ------------------------------------------------------------------------


CUSTOMER_AUTHOR = "customer"  # a request event written by the customer (the UI words it)


@value
class RequestEvent:
    at: datetime
    status: RequestStatus
    author: str  # CUSTOMER_AUTHOR, or the operator's name
    text: str = ""


class RouteState(StrEnum):
    """Where a request's mail to the utility's group stands."""

    PENDING = "pending"  # recorded with the request, the mail not yet sent
    SENT = "sent"
    FAILED = "failed"  # the mail server refused it or did not answer; retried later
    UNROUTED = "unrouted"  # no group of addresses is configured for its category


@value
class RequestRoute:
    """Where a request went in the office: its group of addresses, when, and the mail."""

    group: str  # the group's name in the routing ("" when unrouted)
    recipients: tuple[str, ...]
    routed_at: datetime
    state: RouteState
    sent_at: datetime | None = None
    attempts: int = 0


@value
class ServiceRequest:
    id: str
    number: str
    customer_number: str
    category: RequestCategory
    subject: str
    body: str
    status: RequestStatus
    created_at: datetime
    due_date: date
    meter_id: str | None = None
    history: tuple[RequestEvent, ...] = ()
    route: RequestRoute | None = None  # the office's view only: a customer's answers omit it


@value
class RequestDraft:
    category: RequestCategory
    subject: str
    body: str
    meter_id: str | None = None


# --- sessions, registration, operators -----------------------------------------------


@value
class Session:
    token: str
    role: Role
    subject: str  # the customer number, or the operator's login
    name: str
    expires_at: datetime
    must_change_password: bool = False
    acting_operator: str | None = None  # set when an operator acts for a customer


@value
class Registration:
    customer_number: str
    last_invoice_number: str
    full_name: str
    email: str
    password: str
    password_repeat: str
    terms_version: str
    terms_accepted: bool
    captcha_id: str
    captcha_answer: str


@value
class PendingRegistration:
    customer_number: str
    name: str  # the utility's name of the customer
    email: str  # the e-mail the registration gave, where the activation code went
    registered_at: datetime
    activate_by: datetime  # 72 h after registration
    # what the registrant gave beside what the utility has (empty: not known, e.g. an
    # account the billing system created pending)
    given_name: str = ""
    given_invoice: str = ""
    last_invoice: str = ""  # the utility's latest invoice of the customer
    email_on_record: str = ""  # the utility's e-mail before the registration


@value
class Operator:
    login: str
    name: str


@value
class CustomerSummary:
    number: str
    name: str
    address: str
    status: AccountStatus
    meter_serials: tuple[str, ...] = ()


@value
class PendingReading:
    reading: Reading
    customer_number: str
    customer_name: str
    meter_serial: str


class AuditAction(StrEnum):
    """What the audit log records: a code, worded by the catalogue (i18n/labels.py)."""

    ACT_FOR = "act_for"
    SUBMIT_READING = "submit_reading"
    EDIT_READING = "edit_reading"
    WITHDRAW_READING = "withdraw_reading"
    CREATE_REQUEST = "create_request"
    UPDATE_CONTACT = "update_contact"
    SET_CONSENTS = "set_consents"
    UPLOAD_CONTRACT_SCAN = "upload_contract_scan"
    WITHDRAW_CONTRACT_SCAN = "withdraw_contract_scan"
    ACCEPT_CONTRACT_SCAN = "accept_contract_scan"
    SET_SCAN_STATUS = "set_scan_status"
    CHANGE_PASSWORD = "change_password"
    BLOCK_ACCESS = "block_access"
    TERMINATE = "terminate"
    EXPORT_DATA = "export_data"
    BLOCK_ACCOUNT = "block_account"
    UNBLOCK_ACCOUNT = "unblock_account"
    ACTIVATE_REGISTRATION = "activate_registration"
    REJECT_REGISTRATION = "reject_registration"
    ISSUE_PASSWORD = "issue_password"
    REPLY_REQUEST = "reply_request"
    IMPORT_READING = "import_reading"
    PUBLISH_NOTICE = "publish_notice"
    PUBLISH_TERMS = "publish_terms"
    ACCEPT_TERMS = "accept_terms"  # the customer's own act (operator empty), with the version
    RECORD_CONTRACT_END = "record_contract_end"
    SET_CONTRACT_END_GRACE = "set_contract_end_grace"
    DEACTIVATE = "deactivate"
    EXPORT_INVOICES = "export_invoices"


@value
class AuditEntry:
    id: int
    at: datetime
    operator: str
    customer_number: str
    action: str
    detail: str = ""
