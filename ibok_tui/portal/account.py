"""The customer's own data: profile, properties, contact data, consents, contracts,
documents, notices, tariffs and the export of everything."""

from __future__ import annotations

import secrets
from typing import Any

from ..domain.dates import data_as_of
from ..domain.errors import FieldError, NotFound, ValidationFailed
from ..domain.models import (
    Consents,
    ContactUpdate,
    Contract,
    Customer,
    Document,
    DocumentKind,
    Notice,
    PointOfSupply,
    Profile,
    Property,
    Tariff,
    Utility,
)
from . import rows
from .base import ServiceBase
from .checks import email_error, text_error, texts_errors

ALLOWED_UPLOADS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
_PHONE_CHARS = set("+0123456789 -")


class AccountMixin(ServiceBase):
    def utility(self) -> Utility:
        from .fixtures import utility_from_json

        return utility_from_json(self._setting("utility"))

    def tariffs(self) -> list[Tariff]:
        return [rows.tariff(r) for r in self.store.all("SELECT * FROM tariffs ORDER BY valid_from")]

    def notices(self) -> list[Notice]:
        """Notices in force today or announced for later (planned works)."""
        today = self.today().isoformat()
        return [
            rows.notice(r)
            for r in self.store.all(
                "SELECT * FROM notices WHERE valid_to IS NULL OR valid_to >= ?"
                " ORDER BY valid_from, published_at",
                (today,),
            )
        ]

    # --- profile ---------------------------------------------------------------------

    def _customer_row(self, number: str) -> Customer:
        row = self.store.one("SELECT * FROM customers WHERE number = ?", (number,))
        if row is None:
            raise NotFound("Nie znaleziono klienta.")
        return rows.customer(row)

    def profile(self, token: str) -> Profile:
        session = self._customer(token)
        return Profile(
            customer=self._customer_row(session.subject),
            properties=tuple(self._properties(session.subject)),
            data_as_of=data_as_of(self.today()),
        )

    def _properties(self, number: str) -> list[Property]:
        today = self.today()
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

    def update_contact(self, token: str, update: ContactUpdate) -> Customer:
        session = self._customer(token)
        errors: list[FieldError] = []
        if update.email is not None and (problem := email_error("email", update.email)):
            errors.append(problem)
        if update.phone is not None:
            digits = [c for c in update.phone if c.isdigit()]
            if not set(update.phone) <= _PHONE_CHARS or not 9 <= len(digits) <= 15:
                errors.append(
                    FieldError("phone", "invalid_phone", "Podaj numer telefonu (9–15 cyfr).")
                )
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
            self._audit(session, "update_contact")
        return self._customer_row(session.subject)

    def set_consents(self, token: str, consents: Consents) -> Customer:
        """E-invoice (accept, change e-mail, withdraw), notifications and marketing consent."""
        session = self._customer(token)
        if consents.e_invoice and (
            problem := email_error("e_invoice_email", consents.e_invoice_email)
        ):
            if problem.code == "invalid_email":
                message = "Podaj adres e-mail, na który mają przychodzić e-faktury."
                problem = FieldError(problem.field, problem.code, message)
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
            self._audit(session, "set_consents")
        return self._customer_row(session.subject)

    # --- contracts and documents -----------------------------------------------------

    def contracts(self, token: str) -> list[Contract]:
        session = self._customer(token)
        scans = self._scans(session.subject)
        return [
            rows.contract(r, tuple(scans.get(r["number"], ())))
            for r in self.store.all(
                "SELECT * FROM contracts WHERE customer_number = ? ORDER BY signed_on DESC",
                (session.subject,),
            )
        ]

    def contract(self, token: str, number: str) -> Contract:
        session = self._customer(token)
        row = self.store.one(
            "SELECT * FROM contracts WHERE number = ? AND customer_number = ?",
            (number, session.subject),
        )
        if row is None:
            raise NotFound("Nie znaleziono umowy.")
        return rows.contract(row, tuple(self._scans(session.subject).get(number, ())))

    def _scans(self, number: str) -> dict[str, list[Document]]:
        found: dict[str, list[Document]] = {}
        for r in self.store.all(
            "SELECT id, customer_number, title, kind, created_on, filename, mime,"
            " length(content) AS size, contract_number FROM documents"
            " WHERE customer_number = ? AND contract_number IS NOT NULL AND kind = ?"
            " ORDER BY created_on",
            (number, DocumentKind.SCAN.value),
        ):
            found.setdefault(r["contract_number"], []).append(rows.document(r))
        return found

    def upload_contract_scan(
        self,
        token: str,
        number: str,
        filename: str,
        content: bytes,
        *,
        idempotency_key: str | None = None,
    ) -> Document:
        """Attach a signed scan (PDF, JPG or PNG) to a contract."""
        session = self._customer(token)
        self.contract(token, number)
        scope = f"{session.subject}:scan"
        if (done := self._replayed(scope, idempotency_key)) is not None:
            return self._document_meta(session.subject, done)
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        errors = []
        if suffix not in ALLOWED_UPLOADS:
            errors.append(
                FieldError("filename", "unsupported_type", "Dołącz plik PDF, JPG lub PNG.")
            )
        if (problem := text_error("filename", filename, max_length=255)) is not None:
            errors.append(problem)
        if not content:
            errors.append(FieldError("content", "empty", "Plik jest pusty."))
        elif len(content) > self.config.max_upload_bytes:
            errors.append(
                FieldError("content", "too_large", "Plik jest za duży (najwięcej 10 MB).")
            )
        if errors:
            raise ValidationFailed(errors)
        doc_id = "D-" + secrets.token_hex(6)
        safe_name = filename.replace("/", "_").replace("\\", "_")[-120:]
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO documents (id, customer_number, title, kind, created_on, filename,"
                " mime, content, contract_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    session.subject,
                    f"Podpisany skan umowy {number}",
                    DocumentKind.SCAN.value,
                    self.today().isoformat(),
                    safe_name,
                    ALLOWED_UPLOADS[suffix],
                    content,
                    number,
                ),
            )
            self._remember(scope, idempotency_key, doc_id)
            self._audit(session, "upload_contract_scan", f"{number}: {safe_name}")
        return self._document_meta(session.subject, doc_id)

    def documents(self, token: str) -> list[Document]:
        session = self._customer(token)
        return [
            rows.document(r)
            for r in self.store.all(
                "SELECT id, customer_number, title, kind, created_on, filename, mime,"
                " length(content) AS size FROM documents WHERE customer_number = ?"
                " ORDER BY created_on DESC, id",
                (session.subject,),
            )
        ]

    def _document_meta(self, number: str, doc_id: str) -> Document:
        row = self.store.one(
            "SELECT id, customer_number, title, kind, created_on, filename, mime,"
            " length(content) AS size FROM documents WHERE id = ? AND customer_number = ?",
            (doc_id, number),
        )
        if row is None:
            raise NotFound("Nie znaleziono dokumentu.")
        return rows.document(row)

    def document_content(self, token: str, doc_id: str) -> tuple[Document, bytes]:
        session = self._customer(token)
        meta = self._document_meta(session.subject, doc_id)
        content = self.store.scalar("SELECT content FROM documents WHERE id = ?", (doc_id,))
        return meta, bytes(content)

    def contract_document(self, token: str, number: str) -> bytes:
        """The contract as a PDF: the stored original, or one rendered from the contract."""
        contract = self.contract(token, number)
        if contract.document_id:
            return self.document_content(token, contract.document_id)[1]
        from .pdf import contract_pdf

        profile = self.profile(token)
        return contract_pdf(self.utility(), profile.customer, contract, profile.properties)


def _address_errors(address: Any) -> list[FieldError]:
    names = ("street", "building", "apartment", "postal_code", "city")
    errors = texts_errors((f"address.{name}", str(getattr(address, name))) for name in names)
    if errors:
        return errors
    for name in ("street", "building", "postal_code", "city"):
        if not str(getattr(address, name)).strip():
            errors.append(FieldError(f"address.{name}", "required", "To pole jest wymagane."))
    code = str(address.postal_code).strip()
    if code and not (len(code) == 6 and code[2] == "-" and (code[:2] + code[3:]).isdigit()):
        errors.append(
            FieldError(
                "address.postal_code", "invalid_postal_code", "Kod pocztowy ma postać 00-000."
            )
        )
    return errors
