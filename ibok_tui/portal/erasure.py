"""Erasing an account's personal data (the terms' §8.7), when the customer terminates the
e-service agreement and when the account is deactivated after the supply contract ended."""

from __future__ import annotations

from ..domain.models import AccountStatus, Role
from .sessions import Sessions

# the statuses an account's personal data is erased in (the terms' §8.7)
_ERASED = (AccountStatus.TERMINATED, AccountStatus.DEACTIVATED)


def erase_personal_data(
    sessions: Sessions,
    number: str,
    status: AccountStatus,
    *,
    unless: tuple[AccountStatus, ...] = (),
) -> bool:
    """End an account and remove the personal data billing does not need (the terms' §8.7):
    the contact e-mail and phone, every consent, the password hash, the terms' acceptance,
    the sessions and the single-use tokens. The name, the customer number, the addresses
    and the invoices stay: billing needs them (dues and overpayments are settled after the
    contract ends), and the law keeps invoices until the tax on them lapses, five years
    from the end of the year its payment was due (ustawa o VAT art. 112, Ordynacja
    podatkowa art. 70 § 1), and accounting evidence five years (ustawa o rachunkowości
    art. 74 ust. 2); the utility's billing system, not the iBOK, deletes them after that,
    so nothing here deletes an invoice. Inside the caller's
    transaction; not when the account has a status of `unless` already (two workers
    deactivating at once: one does it). Returns whether it did."""
    assert status in _ERASED
    store = sessions.store
    guard = f" AND status NOT IN ({', '.join('?' * len(unless))})" if unless else ""
    params = tuple(s.value for s in unless)
    updated = store.execute(
        "UPDATE customers SET status = ?, password_hash = NULL, email = '', phone = '',"
        " e_invoice = 0, e_invoice_email = '', notify_email = 0, notify_sms = 0,"
        " marketing = 0, must_change_password = 0, terms_version = NULL"
        " WHERE number = ?" + guard,
        (status.value, number, *params),
    ).rowcount
    if not updated:
        return False
    sessions.end_all(Role.CUSTOMER, number)
    store.execute("DELETE FROM tokens WHERE subject = ?", (number,))
    # the notices' ledger keeps what was sent and when, not where to
    store.execute("UPDATE notice_ledger SET address = '' WHERE customer_number = ?", (number,))
    store.execute("DELETE FROM registrations WHERE customer_number = ?", (number,))
    return True
