"""The utility and its customers: addresses, consents, the supply contract's end.

A module of its own (with `meters` and `dashboard`) so that what Pulpit shows can be read
without the rest of the domain's types (`models` holds them all): a resumed start shows
the last Pulpit before anything else loads.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime
from enum import StrEnum

from .value import value


class AccountStatus(StrEnum):
    UNREGISTERED = "unregistered"  # a billing customer with no iBOK account yet
    PENDING = "pending"  # registered, waiting for activation
    ACTIVE = "active"
    BLOCKED_BY_CUSTOMER = "blocked_by_customer"  # "zastrzeżenie"
    BLOCKED_BY_OPERATOR = "blocked_by_operator"
    TERMINATED = "terminated"  # e-service agreement terminated: account deleted
    REJECTED = "rejected"  # registration rejected by an operator
    DEACTIVATED = "deactivated"  # the supply contract ended and its grace period passed


class CustomerKind(StrEnum):
    PERSON = "person"
    BUSINESS = "business"


@value
class Address:
    street: str
    building: str
    postal_code: str
    city: str
    apartment: str = ""

    def one_line(self) -> str:
        number = f"{self.building}/{self.apartment}" if self.apartment else self.building
        return f"{self.street} {number}, {self.postal_code} {self.city}"


@value
class Utility:
    name: str
    short_name: str
    nip: str
    address: Address
    phone: str
    emergency_phone: str
    email: str
    website: str
    office_hours: tuple[str, ...]
    bank_name: str
    bank_account: str  # the utility's own account; customers pay to individual ones
    online_payment_url: str = ""  # template with {number} and {amount}; empty: none offered


@value
class Consents:
    e_invoice: bool = False
    e_invoice_email: str = ""
    notify_email: bool = False  # failures, works and charges by e-mail
    notify_sms: bool = False
    marketing: bool = False


@value
class ContractEnd:
    """A supply contract's end as recorded: the contract's last day, when the iBOK learnt
    of it, and when the account is deactivated (until then the invoices can be exported)."""

    ended_on: date
    recorded_at: datetime
    deactivates_at: datetime


@value
class Customer:
    number: str  # kod nabywcy
    name: str
    kind: CustomerKind
    address: Address  # correspondence address
    email: str
    phone: str
    status: AccountStatus
    bank_account: str  # the customer's individual account number for payments (26 digits)
    nip: str = ""
    regon: str = ""  # a business's REGON (9 or 14 digits), as the billing system has it
    consents: Consents = field(default_factory=Consents)
    billing_months: int = 1  # length of the billing period in months (1, 2, 3 or 6)
    # the supply contract's end, once the utility recorded it (domain/contract_end.py)
    contract_end: ContractEnd | None = None
