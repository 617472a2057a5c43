"""The customer's own data: profile, properties, contact data, consents, contracts,
documents, notices, tariffs and the export of everything."""

from __future__ import annotations

from typing import Any

from ..domain.dates import data_as_of
from ..domain.errors import FieldError, NotFound, ValidationFailed
from ..domain.models import (
    AuditAction,
    Consents,
    ContactUpdate,
    Customer,
    Notice,
    PointOfSupply,
    Profile,
    Property,
    Session,
    Tariff,
    Utility,
)
from . import rows, search
from .base import Core
from .checks import email_error, texts_errors

_PHONE_CHARS = set("+0123456789 -")


class AccountService:
    """The customer's own data and what the utility publishes to everyone."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store

    def utility(self) -> Utility:
        return rows.utility_from_json(self.core.setting("utility"))

    def tariffs(self) -> list[Tariff]:
        return [rows.tariff(r) for r in self.store.all("SELECT * FROM tariffs ORDER BY valid_from")]

    def notices(self) -> list[Notice]:
        """Notices in force today or announced for later (planned works)."""
        today = self.core.today().isoformat()
        return [
            rows.notice(r)
            for r in self.store.all(
                "SELECT * FROM notices WHERE valid_to IS NULL OR valid_to >= ?"
                " ORDER BY valid_from, published_at",
                (today,),
            )
        ]

    # --- profile ---------------------------------------------------------------------

    def customer_row(self, number: str) -> Customer:
        row = self.store.one("SELECT * FROM customers WHERE number = ?", (number,))
        if row is None:
            raise NotFound(code="customer_not_found")
        return rows.customer(row)

    def profile(self, session: Session) -> Profile:
        return Profile(
            customer=self.customer_row(session.subject),
            properties=tuple(self.properties(session.subject)),
            data_as_of=data_as_of(self.core.today()),
        )

    def properties(self, number: str) -> list[Property]:
        today = self.core.today()
        meters_by_point: dict[str, list[Any]] = {}
        for row in self.store.all(
            "SELECT m.* FROM meters m JOIN properties p ON p.id = m.property_id"
            " WHERE p.customer_number = ? ORDER BY m.role, m.serial",
            (number,),
        ):
            meters_by_point.setdefault(row["point_id"], []).append(rows.meter(row, today))
        points_by_property: dict[str, list[PointOfSupply]] = {}
        for row in self.store.all(
            "SELECT pt.* FROM points pt JOIN properties p ON p.id = pt.property_id"
            " WHERE p.customer_number = ? ORDER BY pt.id",
            (number,),
        ):
            points_by_property.setdefault(row["property_id"], []).append(
                PointOfSupply(
                    id=row["id"],
                    property_id=row["property_id"],
                    label=row["label"],
                    meters=tuple(meters_by_point.get(row["id"], ())),
                )
            )
        return [
            Property(
                id=row["id"],
                customer_number=row["customer_number"],
                label=row["label"],
                address=rows.address(row),
                points=tuple(points_by_property.get(row["id"], ())),
            )
            for row in self.store.all(
                "SELECT * FROM properties WHERE customer_number = ? ORDER BY id", (number,)
            )
        ]

    def update_contact(self, session: Session, update: ContactUpdate) -> Customer:
        errors: list[FieldError] = []
        if update.email is not None and (problem := email_error("email", update.email)):
            errors.append(problem)
        if update.phone is not None:
            digits = [c for c in update.phone if c.isdigit()]
            if not set(update.phone) <= _PHONE_CHARS or not 9 <= len(digits) <= 15:
                errors.append(FieldError("phone", "invalid_phone"))
        if update.address is not None:
            errors += _address_errors(update.address)
        if errors:
            raise ValidationFailed(errors)
        with self.store.transaction():
            if update.email is not None:
                self.store.execute(
                    "UPDATE customers SET email = ? WHERE number = ?",
                    (update.email.strip(), session.subject),
                )
            if update.phone is not None:
                self.store.execute(
                    "UPDATE customers SET phone = ? WHERE number = ?",
                    (update.phone.strip(), session.subject),
                )
            if update.address is not None:
                a = update.address
                self.store.execute(
                    "UPDATE customers SET street = ?, building = ?, apartment = ?,"
                    " postal_code = ?, city = ? WHERE number = ?",
                    (a.street, a.building, a.apartment, a.postal_code, a.city, session.subject),
                )
                search.reindex(self.store, [session.subject])
            self.core.audit(session, AuditAction.UPDATE_CONTACT)
        return self.customer_row(session.subject)

    def set_consents(self, session: Session, consents: Consents) -> Customer:
        """E-invoice (accept, change e-mail, withdraw), notifications and marketing consent."""
        if consents.e_invoice and (
            problem := email_error("e_invoice_email", consents.e_invoice_email)
        ):
            raise ValidationFailed([problem])
        with self.store.transaction():
            self.store.execute(
                "UPDATE customers SET e_invoice = ?, e_invoice_email = ?, notify_email = ?,"
                " notify_sms = ?, marketing = ? WHERE number = ?",
                (
                    int(consents.e_invoice),
                    consents.e_invoice_email.strip() if consents.e_invoice else "",
                    int(consents.notify_email),
                    int(consents.notify_sms),
                    int(consents.marketing),
                    session.subject,
                ),
            )
            self.core.audit(session, AuditAction.SET_CONSENTS)
        return self.customer_row(session.subject)


def _address_errors(address: Any) -> list[FieldError]:
    names = ("street", "building", "apartment", "postal_code", "city")
    errors = texts_errors((f"address.{name}", str(getattr(address, name))) for name in names)
    if errors:
        return errors
    for name in ("street", "building", "postal_code", "city"):
        if not str(getattr(address, name)).strip():
            errors.append(FieldError(f"address.{name}", "required"))
    code = str(address.postal_code).strip()
    if code and not (len(code) == 6 and code[2] == "-" and (code[:2] + code[3:]).isdigit()):
        errors.append(FieldError("address.postal_code", "invalid_postal_code"))
    return errors
