"""The notices the iBOK sends its customers (issue #16.3), each at most once and only with
the customer's consent: a new invoice (its PDF attached for an e-invoice customer), a
payment due soon and one overdue, a meter's legalization ending, planned works or a
failure in the customer's street, a billing period's reading window. The office's digest
of new readings is portal/dispatch.py's, run beside it (PortalService.office_tick).

Each notice is one row of `notice_ledger`, keyed by (topic, subject, customer, channel),
inserted before the send in a transaction of its own: whoever inserts it sends it, so a
second run, a restart or two workers over one store never send it twice. A send that
failed is marked so and tried again after RETRY_AFTER by one conditional update (one
process takes it), at most MAX_ATTEMPTS times, and only while the customer still consents;
a claim whose process died before it was marked is taken again after STALE_AFTER (the one
case a notice can go twice: the process died between the hand-over and the mark).

The schedule is run by one worker at a time: the one holding the `notices` lease
(portal/leases.py), in `ibok serve` or in `ibok notify` from cron."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from ..domain.models import (
    AccountStatus,
    Consents,
    NoticeChannel,
    NoticeState,
    NoticeTopic,
    SentNotice,
)
from ..domain.notices import consented_channels
from ..i18n import translated
from ..i18n.render import SMS, mail_text
from . import leases
from .base import Core, parse_dt
from .checks import is_email
from .mail import Attachment, deliver
from .notice_kinds import LANGUAGE, Due, due_notices
from .sms import sms_number
from .store import Row

log = logging.getLogger("ibok.notices")
LEASE = "notices"
RETRY_AFTER = timedelta(minutes=5)
STALE_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5
LEDGER_HORIZON = timedelta(days=400)  # the keys read back before a run (older: none due)
_CLOSED = (AccountStatus.DEACTIVATED.value, AccountStatus.TERMINATED.value)
_CUSTOMER_COLUMNS = (
    "number, name, email, phone, notify_email, notify_sms, e_invoice, e_invoice_email, status"
)


@dataclass
class Report:
    """What one run did: notices sent (handed over) and failed, by topic and channel."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    retried: int = 0

    def count(self, topic: NoticeTopic, channel: NoticeChannel, failure: str | None) -> None:
        book = self.failed if failure else self.sent
        key = f"{topic.value}/{channel.value}"
        book[key] = book.get(key, 0) + 1


def channels(row: Row, topic: NoticeTopic, sms_on: bool) -> list[tuple[NoticeChannel, str]]:
    """Where a notice of `topic` may go to the customer of `row`, by their consents: an
    invoice by e-mail to an e-invoice customer (their e-invoice address, else their e-mail)
    or with the consent to e-mail notices; every other notice with that consent; an SMS
    with the consent to SMS notices (when the server has a gateway)."""
    if row["status"] in _CLOSED:
        return []
    consents = Consents(
        e_invoice=bool(row["e_invoice"]),
        notify_email=bool(row["notify_email"]),
        notify_sms=bool(row["notify_sms"]),
    )
    found: list[tuple[NoticeChannel, str]] = []
    email = str(row["email"]).strip()
    for channel in consented_channels(topic, consents):
        if channel is NoticeChannel.EMAIL:
            e_invoice = topic is NoticeTopic.INVOICE and consents.e_invoice
            address = (str(row["e_invoice_email"]).strip() or email) if e_invoice else email
            if is_email(address):
                found.append((channel, address))
        elif sms_on and (number := sms_number(str(row["phone"]))) is not None:
            found.append((channel, number))
    return found


class Notifier:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store
        self.holder = leases.holder_name()

    # --- the schedule -------------------------------------------------------------------

    def run(self, lease_for: timedelta) -> Report | None:
        """One run of the schedule when this process holds (or takes) the lease; None when
        another holds it."""
        if not leases.take(self.store, LEASE, self.holder, self.core.now(), lease_for):
            return None
        report = Report()
        report.retried = self.retry(report)
        self.send_due(report)
        return report

    def release(self) -> None:
        leases.release(self.store, LEASE, self.holder, self.core.now())

    def send_due(self, report: Report) -> None:
        sms_on = self.core.sms is not None
        customers = {
            row["number"]: row
            for row in self.store.all(
                f"SELECT {_CUSTOMER_COLUMNS} FROM customers"
                " WHERE (notify_email = 1 OR notify_sms = 1 OR e_invoice = 1)"
                " AND status NOT IN (?, ?)",
                _CLOSED,
            )
        }
        if not customers:
            return
        since = (self.core.now() - LEDGER_HORIZON).isoformat()
        known = {
            (r["kind"], r["subject"], r["customer_number"], r["channel"])
            for r in self.store.all(
                "SELECT kind, subject, customer_number, channel FROM notice_ledger"
                " WHERE created_at >= ?",
                (since,),
            )
        }
        for due in due_notices(self.store, self.core.today(), self.core.config.notice_due_days):
            row = customers.get(due.customer)
            if row is None:
                continue
            for channel, address in channels(row, due.topic, sms_on):
                key = (due.topic.value, due.subject, due.customer, channel.value)
                if key in known or not self._claim(due, channel, address):
                    continue
                self._send(due, channel, address, row, 0, report)

    def _claim(self, due: Due, channel: NoticeChannel, address: str) -> bool:
        now = self.core.now().isoformat()
        with self.store.transaction():
            return (
                self.store.execute(
                    "INSERT INTO notice_ledger (kind, subject, customer_number, channel,"
                    " address, title, state, attempts, created_at, attempted_at, params)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
                    " ON CONFLICT (kind, subject, customer_number, channel) DO NOTHING",
                    (
                        due.topic.value,
                        due.subject,
                        due.customer,
                        channel.value,
                        address,
                        due.about[:200],
                        NoticeState.SENDING.value,
                        now,
                        now,
                        json.dumps(due.params),
                    ),
                ).rowcount
                == 1
            )

    # --- sending ------------------------------------------------------------------------

    def _send(
        self,
        due: Due,
        channel: NoticeChannel,
        address: str,
        customer: Row,
        attempts: int,
        report: Report,
    ) -> None:
        key = (due.topic.value, due.subject, due.customer, channel.value)

        def done(failure: str | None) -> None:
            report.count(due.topic, channel, failure)
            now = self.core.now().isoformat()
            state = NoticeState.FAILED if failure else NoticeState.SENT
            with self.store.transaction():
                self.store.execute(
                    "UPDATE notice_ledger SET state = ?, attempts = ?, attempted_at = ?,"
                    " sent_at = ?, failure = ? WHERE kind = ? AND subject = ?"
                    " AND customer_number = ? AND channel = ?",
                    (state.value, attempts + 1, now, None if failure else now, failure or "", *key),
                )

        params = {**due.params, "url": self.core.config.public_url}
        if channel is NoticeChannel.SMS:
            assert self.core.sms is not None
            text = translated(SMS[due.topic.value], LANGUAGE).format(**params)
            failure = None
            try:
                self.core.sms.send(address, text, ledger_id(key))
            except Exception as exc:  # a refusal, a dead gateway: recorded, tried again
                log.error("sms not sent: %s", type(exc).__name__)
                failure = type(exc).__name__
            done(failure)
            return
        attachments: Sequence[Attachment] = ()
        kind = f"notice_{due.topic.value}"
        if due.topic is NoticeTopic.INVOICE and customer["e_invoice"]:
            kind = "notice_e_invoice"
            attachments = self._invoice_pdf(due)
        subject, body = mail_text(kind, LANGUAGE, **params)
        deliver(self.core.mailer, address, subject, body, done, attachments)

    def _invoice_pdf(self, due: Due) -> Sequence[Attachment]:
        from .billing import archive_entry, invoice_of
        from .pdf import invoice_pdf
        from .rows import customer, utility_from_json

        invoice = invoice_of(self.core, due.customer, due.subject)
        owner = self.store.one("SELECT * FROM customers WHERE number = ?", (due.customer,))
        if invoice is None or owner is None:
            return ()
        utility = utility_from_json(self.core.setting("utility"))
        content = invoice_pdf(utility, customer(owner), invoice)
        return ((archive_entry(invoice.number, set()), "application/pdf", content),)

    def retry(self, report: Report) -> int:
        """Send again what failed (after RETRY_AFTER) or what a dead process claimed (after
        STALE_AFTER), while the customer still consents to that channel; each row taken
        by one conditional update."""
        now = self.core.now()
        found = self.store.all(
            "SELECT * FROM notice_ledger WHERE attempts < ? AND ((state = ? AND attempted_at < ?)"
            " OR (state = ? AND attempted_at < ?))",
            (
                MAX_ATTEMPTS,
                NoticeState.FAILED.value,
                (now - RETRY_AFTER).isoformat(),
                NoticeState.SENDING.value,
                (now - STALE_AFTER).isoformat(),
            ),
        )
        done = 0
        sms_on = self.core.sms is not None
        for row in found:
            key = (row["kind"], row["subject"], row["customer_number"], row["channel"])
            with self.store.transaction():
                taken = self.store.execute(
                    "UPDATE notice_ledger SET state = ?, attempted_at = ? WHERE kind = ?"
                    " AND subject = ? AND customer_number = ? AND channel = ? AND state = ?"
                    " AND attempted_at = ?",
                    (
                        NoticeState.SENDING.value,
                        now.isoformat(),
                        *key,
                        row["state"],
                        row["attempted_at"],
                    ),
                ).rowcount
            if taken != 1:
                continue
            topic, channel = NoticeTopic(row["kind"]), NoticeChannel(row["channel"])
            customer = self.store.one(
                f"SELECT {_CUSTOMER_COLUMNS} FROM customers WHERE number = ?",
                (row["customer_number"],),
            )
            allowed = dict(channels(customer, topic, sms_on)) if customer is not None else {}
            if channel not in allowed:  # the consent, the address or the account went
                self._drop(key)
                continue
            due = Due(topic, row["subject"], row["customer_number"], row["title"])
            due.params.update(json.loads(row["params"]))
            assert customer is not None
            self._send(due, channel, allowed[channel], customer, int(row["attempts"]), report)
            done += 1
        return done

    def _drop(self, key: tuple[str, str, str, str]) -> None:
        with self.store.transaction():
            self.store.execute(
                "UPDATE notice_ledger SET state = ? WHERE kind = ? AND subject = ?"
                " AND customer_number = ? AND channel = ?",
                (NoticeState.DROPPED.value, *key),
            )

    # --- reading the ledger -------------------------------------------------------------

    def sent_to(self, customer_number: str, limit: int = 50) -> list[SentNotice]:
        """The customer's newest notices, newest first."""
        return [
            sent_notice(row)
            for row in self.store.all(
                "SELECT * FROM notice_ledger WHERE customer_number = ?"
                " ORDER BY created_at DESC, kind, subject, channel LIMIT ?",
                (customer_number, limit),
            )
        ]


def ledger_id(key: tuple[str, str, str, str]) -> str:
    """A notice's key as one opaque id (the SMS gateway's `id`)."""
    import hashlib

    return hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:32]


def sent_notice(row: Row) -> SentNotice:
    return SentNotice(
        topic=NoticeTopic(row["kind"]),
        subject=row["subject"],
        channel=NoticeChannel(row["channel"]),
        about=row["title"],
        state=NoticeState(row["state"]),
        created_at=parse_dt(row["created_at"]),
        sent_at=parse_dt(row["sent_at"]) if row["sent_at"] else None,
        attempts=int(row["attempts"]),
        address=row["address"],
    )
