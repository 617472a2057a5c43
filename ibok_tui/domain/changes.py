"""What kind of record a write changed: the codes of the backend's change notice
(backends/changes.py), which every open tab hears to show the change at once."""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    READINGS = "readings"  # sent, edited, withdrawn, imported
    REQUESTS = "requests"  # filed, replied to, re-statused, closed
    BILLING = "billing"  # invoices and payments
    METERS = "meters"
    DOCUMENTS = "documents"  # scans and documents
    CONTRACTS = "contracts"  # a contract, its scan or its end
    ACCOUNT = "account"  # contact, consents, terms accepted
    NOTICES = "notices"  # the utility's notices
    TERMS = "terms"  # a version of the terms published
    REGISTRATIONS = "registrations"  # sign-ups waiting for the office
    CUSTOMERS = "customers"  # an account blocked, unblocked, given a password, ended
    SETTINGS = "settings"  # the utility's settings (the contract end's grace period)
