"""Contracts and documents: the contracts and their PDFs, the customer's documents, and the
signed scans a customer attaches (checked by content, limited per customer, withdrawable
until the utility accepts them)."""

from __future__ import annotations

import secrets

from ..domain.errors import Conflict, NotFound, ValidationFailed
from ..domain.models import AuditAction, Contract, Document, DocumentKind, ScanStatus, Session
from . import rows
from .account import AccountService
from .base import Core
from .checks import text_error

_DOCUMENT = (
    "SELECT id, customer_number, title, kind, created_on, filename, mime, scan_status,"
    " length(content) AS size, contract_number FROM documents"
)
MiB = 1024 * 1024
MAX_SENT_NAME = 255  # characters of a name as sent (stored: cleaned, at most 120)


class ContractsService:
    """Contracts, documents and scans, for a resolved customer (or operator) session."""

    def __init__(self, core: Core, account: AccountService) -> None:
        self.core = core
        self.store = core.store
        self.config = core.config
        self.account = account

    def contracts(self, session: Session) -> list[Contract]:
        scans = self._scans(session.subject)
        return [
            rows.contract(r, tuple(scans.get(r["number"], ())))
            for r in self.store.all(
                "SELECT * FROM contracts WHERE customer_number = ? ORDER BY signed_on DESC",
                (session.subject,),
            )
        ]

    def contract(self, session: Session, number: str) -> Contract:
        row = self.store.one(
            "SELECT * FROM contracts WHERE number = ? AND customer_number = ?",
            (number, session.subject),
        )
        if row is None:
            raise NotFound(code="contract_not_found")
        return rows.contract(row, tuple(self._scans(session.subject).get(number, ())))

    def _scans(self, number: str) -> dict[str, list[Document]]:
        found: dict[str, list[Document]] = {}
        for r in self.store.all(
            f"{_DOCUMENT} WHERE customer_number = ? AND contract_number IS NOT NULL AND kind = ?"
            " ORDER BY created_on, rowid",
            (number, DocumentKind.SCAN.value),
        ):
            found.setdefault(r["contract_number"], []).append(rows.document(r))
        return found

    # --- a customer's scans ------------------------------------------------------------

    def upload_contract_scan(
        self,
        session: Session,
        number: str,
        filename: str,
        content: bytes,
        *,
        idempotency_key: str | None = None,
    ) -> Document:
        """Attach a signed scan to a contract. What it is comes from its content (a PDF,
        JPEG or PNG that parses), never from its name; the name is cleaned."""
        self.contract(session, number)
        scope = f"{session.subject}:scan"
        if (done := self.core.replayed(scope, idempotency_key)) is not None:
            return self._document_meta(session.subject, done)
        limit = self.config.max_upload_bytes
        if len(filename) > MAX_SENT_NAME:
            raise ValidationFailed.single("filename", "too_long", limit=MAX_SENT_NAME)
        # refused as the server's door refuses it, so the demo answers alike
        if (problem := text_error("filename", filename, max_length=MAX_SENT_NAME)) is not None:
            raise ValidationFailed([problem])
        if not content:
            raise ValidationFailed.single("content", "empty")
        if len(content) > limit:
            raise ValidationFailed.single("content", "too_large", limit=limit)
        from .scans import clean_name, detect

        mime = detect(content)  # parsed outside the store's lock
        safe_name = clean_name(filename, mime)
        doc_id = "D-" + secrets.token_hex(6)
        with self.store.transaction():
            self._check_quota(session.subject, len(content))
            self.store.execute(
                "INSERT INTO documents (id, customer_number, title, kind, created_on, filename,"
                " mime, content, contract_number, scan_status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    session.subject,
                    f"Podpisany skan umowy {number}",
                    DocumentKind.SCAN.value,
                    self.core.today().isoformat(),
                    safe_name,
                    mime,
                    content,
                    number,
                    ScanStatus.SUBMITTED.value,
                ),
            )
            self.core.remember(scope, idempotency_key, doc_id)
            self.core.audit(session, AuditAction.UPLOAD_CONTRACT_SCAN, f"{number}: {safe_name}")
        return self._document_meta(session.subject, doc_id)

    def _check_quota(self, customer_number: str, size: int) -> None:
        """The customer's scans awaiting acceptance, with this one, stay within the limits
        (accepted scans are the utility's records and count no more)."""
        row = self.store.one(
            "SELECT count(*) AS n, coalesce(sum(length(content)), 0) AS bytes FROM documents"
            " WHERE customer_number = ? AND kind = ? AND contract_number IS NOT NULL"
            " AND scan_status = ?",
            (customer_number, DocumentKind.SCAN.value, ScanStatus.SUBMITTED.value),
        )
        count, total = (int(row["n"]), int(row["bytes"])) if row else (0, 0)
        most, most_bytes = self.config.max_scans, self.config.max_scan_total_bytes
        if count + 1 > most:
            raise ValidationFailed.single("content", "scan_count_limit", limit=most)
        if total + size > most_bytes:
            raise ValidationFailed.single("content", "scan_bytes_limit", limit=most_bytes)

    def withdraw_contract_scan(self, session: Session, doc_id: str) -> None:
        """Withdraw (delete) the customer's own scan while the utility has not accepted it."""
        with self.store.transaction():
            scan = self._own_scan(session.subject, doc_id)
            if scan.scan_status is ScanStatus.ACCEPTED:
                raise Conflict(code="scan_accepted")
            self.store.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self.core.audit(session, AuditAction.WITHDRAW_CONTRACT_SCAN, scan.filename)

    def pending_scans(self, operator: Session) -> list[Document]:
        """Every customer's scans awaiting the utility's acceptance, oldest first."""
        return [
            rows.document(r)
            for r in self.store.all(
                f"{_DOCUMENT} WHERE kind = ? AND contract_number IS NOT NULL AND scan_status = ?"
                " ORDER BY created_on, rowid",
                (DocumentKind.SCAN.value, ScanStatus.SUBMITTED.value),
            )
        ]

    def accept_contract_scan(self, operator: Session, doc_id: str) -> Document:
        """The utility accepts a customer's scan (an operator): it can no longer be withdrawn."""
        with self.store.transaction():
            row = self.store.one(
                f"{_DOCUMENT} WHERE id = ? AND kind = ? AND contract_number IS NOT NULL",
                (doc_id, DocumentKind.SCAN.value),
            )
            if row is None:
                raise NotFound(code="scan_not_found")
            self.store.execute(
                "UPDATE documents SET scan_status = ? WHERE id = ?",
                (ScanStatus.ACCEPTED.value, doc_id),
            )
            if row["scan_status"] != ScanStatus.ACCEPTED.value:
                self.core.operator_audit(
                    operator.subject,
                    row["customer_number"],
                    AuditAction.ACCEPT_CONTRACT_SCAN,
                    f"{row['contract_number']}: {row['filename']}",
                )
            return self._document_meta(row["customer_number"], doc_id)

    def _own_scan(self, customer_number: str, doc_id: str) -> Document:
        row = self.store.one(
            f"{_DOCUMENT} WHERE id = ? AND customer_number = ? AND kind = ?"
            " AND contract_number IS NOT NULL",
            (doc_id, customer_number, DocumentKind.SCAN.value),
        )
        if row is None:
            raise NotFound(code="scan_not_found")
        return rows.document(row)

    # --- documents -----------------------------------------------------------------------

    def documents(self, session: Session) -> list[Document]:
        return [
            rows.document(r)
            for r in self.store.all(
                f"{_DOCUMENT} WHERE customer_number = ? ORDER BY created_on DESC, id",
                (session.subject,),
            )
        ]

    def _document_meta(self, number: str, doc_id: str) -> Document:
        row = self.store.one(f"{_DOCUMENT} WHERE id = ? AND customer_number = ?", (doc_id, number))
        if row is None:
            raise NotFound(code="document_not_found")
        return rows.document(row)

    def document_content(self, session: Session, doc_id: str) -> tuple[Document, bytes]:
        meta = self._document_meta(session.subject, doc_id)
        content = self.store.scalar("SELECT content FROM documents WHERE id = ?", (doc_id,))
        return meta, bytes(content)

    def contract_document(self, session: Session, number: str) -> bytes:
        """The contract as a PDF: the stored original, or one rendered from the contract."""
        contract = self.contract(session, number)
        if contract.document_id:
            return self.document_content(session, contract.document_id)[1]
        from .pdf import contract_pdf

        profile = self.account.profile(session)
        return contract_pdf(self.account.utility(), profile.customer, contract, profile.properties)
