"""Contracts and documents: the contracts and their PDFs, the customer's documents, and the
signed scans a customer attaches (checked by content, limited per customer, withdrawable
until the utility accepts them), each with its place in the utility's document workflow
and the history of how it got there (received, in review, accepted, rejected with a reason,
archived: `ScanStatus`), moved on by a clerk."""

from __future__ import annotations

import secrets

from ..domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from ..domain.models import (
    SCAN_MOVES,
    SCAN_REASON_MAX,
    SCAN_WITHDRAWABLE,
    AuditAction,
    Contract,
    Document,
    DocumentEvent,
    DocumentKind,
    ScanStatus,
    Session,
)
from . import rows
from .account import AccountService
from .base import Core
from .checks import text_error
from .metering import author_of
from .store import Row

_DOCUMENT = (
    "SELECT id, customer_number, title, kind, created_on, filename, mime, scan_status,"
    " length(content) AS size, contract_number FROM documents"
)
MiB = 1024 * 1024
MAX_SENT_NAME = 255  # characters of a name as sent (stored: cleaned, at most 120)
_WITHDRAWABLE = tuple(sorted(s.value for s in SCAN_WITHDRAWABLE))
_AWAITING = (ScanStatus.SUBMITTED.value, ScanStatus.IN_REVIEW.value)  # the clerk's queue


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
        history = self._history("d.customer_number = ?", (number,))
        for r in self.store.all(
            f"{_DOCUMENT} WHERE customer_number = ? AND contract_number IS NOT NULL AND kind = ?"
            " ORDER BY created_on, rowid",
            (number, DocumentKind.SCAN.value),
        ):
            document = rows.document(r, tuple(history.get(r["id"], ())))
            found.setdefault(r["contract_number"], []).append(document)
        return found

    def _history(self, where: str, params: tuple[object, ...]) -> dict[str, list[DocumentEvent]]:
        """The workflow steps of the documents `where` picks (over `d`), by document."""
        found: dict[str, list[DocumentEvent]] = {}
        for e in self.store.all(
            "SELECT e.* FROM document_events e JOIN documents d ON d.id = e.document_id"
            f" WHERE {where} ORDER BY e.id",
            params,
        ):
            found.setdefault(e["document_id"], []).append(rows.document_event(e))
        return found

    def _add_step(self, doc_id: str, status: ScanStatus, author: str, reason: str = "") -> None:
        self.store.execute(
            "INSERT INTO document_events (document_id, at, status, author, reason)"
            " VALUES (?, ?, ?, ?, ?)",
            (doc_id, self.core.now().isoformat(), status.value, author, reason),
        )

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
            self.store.lock(f"scans:{session.subject}")  # counted, then added to
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
            self._add_step(doc_id, ScanStatus.SUBMITTED, author_of(session))
            self.core.remember(scope, idempotency_key, doc_id)
            self.core.audit(session, AuditAction.UPLOAD_CONTRACT_SCAN, f"{number}: {safe_name}")
        return self._document_meta(session.subject, doc_id)

    def _check_quota(self, customer_number: str, size: int) -> None:
        """The customer's scans the customer may still withdraw (received, in review,
        rejected), with this one, stay within the limits (accepted and archived scans are
        the utility's records and count no more)."""
        marks = ", ".join("?" for _ in _WITHDRAWABLE)
        row = self.store.one(
            "SELECT count(*) AS n, coalesce(sum(length(content)), 0) AS bytes FROM documents"
            " WHERE customer_number = ? AND kind = ? AND contract_number IS NOT NULL"
            f" AND scan_status IN ({marks})",
            (customer_number, DocumentKind.SCAN.value, *_WITHDRAWABLE),
        )
        count, total = (int(row["n"]), int(row["bytes"])) if row else (0, 0)
        most, most_bytes = self.config.max_scans, self.config.max_scan_total_bytes
        if count + 1 > most:
            raise ValidationFailed.single("content", "scan_count_limit", limit=most)
        if total + size > most_bytes:
            raise ValidationFailed.single("content", "scan_bytes_limit", limit=most_bytes)

    def withdraw_contract_scan(self, session: Session, doc_id: str) -> None:
        """Withdraw (delete, with its history) the customer's own scan while the utility has
        not accepted it: received, in review or rejected."""
        with self.store.transaction():
            self.store.lock(f"scan:{doc_id}")  # its status read, then acted on
            scan = self._own_scan(session.subject, doc_id)
            if scan.scan_status not in SCAN_WITHDRAWABLE:
                raise Conflict(code="scan_accepted")
            self.store.execute("DELETE FROM document_events WHERE document_id = ?", (doc_id,))
            self.store.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self.core.audit(session, AuditAction.WITHDRAW_CONTRACT_SCAN, scan.filename)

    def pending_scans(self, operator: Session) -> list[Document]:
        """Every customer's scans awaiting the utility (received or in review), oldest
        first, each with its history."""
        history = self._history("d.scan_status IN (?, ?)", _AWAITING)
        return [
            rows.document(r, tuple(history.get(r["id"], ())))
            for r in self.store.all(
                f"{_DOCUMENT} WHERE kind = ? AND contract_number IS NOT NULL"
                " AND scan_status IN (?, ?) ORDER BY created_on, rowid",
                (DocumentKind.SCAN.value, *_AWAITING),
            )
        ]

    def accept_contract_scan(self, operator: Session, doc_id: str) -> Document:
        """The utility accepts a customer's scan (an operator): it can no longer be
        withdrawn. Accepting an accepted scan changes nothing."""
        with self.store.transaction():
            self.store.lock(f"scan:{doc_id}")
            row = self._scan_row(doc_id)
            if row["scan_status"] == ScanStatus.ACCEPTED.value:
                return self._document_meta(row["customer_number"], doc_id)
            return self.set_scan_status(operator, doc_id, ScanStatus.ACCEPTED)

    def set_scan_status(
        self, operator: Session, doc_id: str, status: ScanStatus, reason: str = ""
    ) -> Document:
        """Move a customer's scan on in the workflow (an operator): only along
        `SCAN_MOVES` (Conflict `scan_status_not_allowed` else), a rejection with its
        reason (at most SCAN_REASON_MAX characters, one line). Audited, and a step of its
        history by the clerk's name, in one transaction."""
        if problem := text_error("reason", reason, max_length=SCAN_REASON_MAX):
            raise ValidationFailed([problem])
        reason = reason.strip()
        if status is ScanStatus.REJECTED and not reason:
            raise ValidationFailed([FieldError("reason", "required")])
        with self.store.transaction():
            self.store.lock(f"scan:{doc_id}")
            row = self._scan_row(doc_id)
            current = ScanStatus(row["scan_status"] or ScanStatus.SUBMITTED.value)
            if status not in SCAN_MOVES[current]:
                raise Conflict(
                    code="scan_status_not_allowed",
                    params={"current": current.value, "wanted": status.value},
                )
            self.store.execute(
                "UPDATE documents SET scan_status = ? WHERE id = ?", (status.value, doc_id)
            )
            self._add_step(doc_id, status, operator.name, reason)
            action = (
                AuditAction.ACCEPT_CONTRACT_SCAN
                if status is ScanStatus.ACCEPTED
                else AuditAction.SET_SCAN_STATUS
            )
            detail = f"{row['contract_number']}: {row['filename']}"
            if status is not ScanStatus.ACCEPTED:
                detail += f": {status.value}" + (f": {reason}" if reason else "")
            self.core.operator_audit(operator.subject, row["customer_number"], action, detail)
            return self._document_meta(row["customer_number"], doc_id)

    def _scan_row(self, doc_id: str) -> Row:
        row = self.store.one(
            f"{_DOCUMENT} WHERE id = ? AND kind = ? AND contract_number IS NOT NULL",
            (doc_id, DocumentKind.SCAN.value),
        )
        if row is None:
            raise NotFound(code="scan_not_found")
        return row

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
        """The customer's documents, newest first; a scan with its workflow's history."""
        history = self._history("d.customer_number = ?", (session.subject,))
        return [
            rows.document(r, tuple(history.get(r["id"], ())))
            for r in self.store.all(
                f"{_DOCUMENT} WHERE customer_number = ? ORDER BY created_on DESC, id",
                (session.subject,),
            )
        ]

    def _document_meta(self, number: str, doc_id: str) -> Document:
        row = self.store.one(f"{_DOCUMENT} WHERE id = ? AND customer_number = ?", (doc_id, number))
        if row is None:
            raise NotFound(code="document_not_found")
        history = self._history("d.id = ?", (doc_id,))
        return rows.document(row, tuple(history.get(doc_id, ())))

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
