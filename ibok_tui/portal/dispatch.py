"""Requests that reach the office (Kartuzy): each new request goes by e-mail to its
category's group of the utility's addresses, with the sender's details in its footer; the
route (group, when, whether the mail went) is recorded beside the request for the queue;
the metering team gets a digest of new readings; a reply reaches a customer who consented
to e-mail notices by e-mail too.

Every mail's outcome is written back to the store, so any server process shows it. A mail
that failed (or whose process died before it went) is retried by the periodic `tick` of
whichever process claims it first; the digest of a period is claimed by one row in the
store (`mail_digests`), so two server workers never both send it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from ..domain.models import (
    CUSTOMER_AUTHOR,
    ReadingStatus,
    RequestCategory,
    RequestRoute,
    RequestStatus,
    RouteState,
)
from ..i18n import cubic_metres, day, local, translated
from ..i18n.labels import LABELS
from ..i18n.markers import N_
from ..i18n.render import mail_text
from .base import Core, parse_dt
from .checks import is_email
from .mail import deliver
from .store import Row

log = logging.getLogger("ibok.mail")
LANGUAGE = "pl"  # the utility writes to its office and its customers in Polish
RETRY_AFTER = timedelta(minutes=5)  # a failed mail, or one whose process died, goes again
MAX_ATTEMPTS = 5
ACTING = N_("Zgłoszenie złożone w BOK przez: {operator}\n")
NO_METER = N_("nie wskazano")
DIGEST = "readings"


def _when(value: datetime) -> str:
    return f"{day(value, language=LANGUAGE)} {local(value):%H:%M}"


def _label(kind: str, value: str) -> str:
    return translated(LABELS.get(f"{kind}.{value}", value), LANGUAGE)


def route_from_row(row: Row) -> RequestRoute | None:
    """The route of a request read with its `request_routes` columns (None: none yet)."""
    if row["route_state"] is None:
        return None
    return RequestRoute(
        group=row["route_group"],
        recipients=tuple(json.loads(row["route_recipients"])),
        routed_at=parse_dt(row["route_at"]),
        state=RouteState(row["route_state"]),
        sent_at=parse_dt(row["route_sent_at"]) if row["route_sent_at"] else None,
        attempts=int(row["route_attempts"]),
    )


ROUTE_COLUMNS = (
    "rr.group_name AS route_group, rr.recipients AS route_recipients,"
    " rr.routed_at AS route_at, rr.state AS route_state, rr.sent_at AS route_sent_at,"
    " rr.attempts AS route_attempts"
)


class OfficeMail:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.store = core.store

    # --- a new request ----------------------------------------------------------------

    def record_route(self, request_id: str, category: RequestCategory, now: datetime) -> None:
        """The request's route, in the transaction that creates it: pending until sent."""
        found = self.core.routing.group_of(category)
        group, recipients = found if found is not None else ("", ())
        state = RouteState.PENDING if recipients else RouteState.UNROUTED
        self.store.execute(
            "INSERT INTO request_routes (request_id, group_name, recipients, routed_at, state)"
            " VALUES (?, ?, ?, ?, ?)",
            (request_id, group, json.dumps(list(recipients)), now.isoformat(), state.value),
        )

    def send_route(self, request_id: str, *, attempts: int = 0) -> None:
        """Mail the request to its group (its route must be pending, claimed by this call)."""
        row = self.store.one(
            "SELECT r.*, rr.recipients, rr.state AS route_state, c.name, c.email, c.phone,"
            " c.street, c.building, c.apartment, c.postal_code, c.city, m.serial FROM requests r"
            " JOIN request_routes rr ON rr.request_id = r.id"
            " JOIN customers c ON c.number = r.customer_number"
            " LEFT JOIN meters m ON m.id = r.meter_id WHERE r.id = ?",
            (request_id,),
        )
        if row is None or row["route_state"] != RouteState.PENDING.value:
            return
        first = self.store.scalar(
            "SELECT author FROM request_events WHERE request_id = ? ORDER BY id LIMIT 1",
            (request_id,),
        )
        acting = ""
        if first and first != CUSTOMER_AUTHOR:
            operator = str(first).removeprefix("BOK: ")
            acting = translated(ACTING, LANGUAGE).format(operator=operator)
        apartment = f"/{row['apartment']}" if row["apartment"] else ""
        address = (
            f"{row['street']} {row['building']}{apartment}, {row['postal_code']} {row['city']}"
        )
        meter = row["serial"] or row["meter_id"] or translated(NO_METER, LANGUAGE)
        subject, body = mail_text(
            "request_routed",
            LANGUAGE,
            number=row["number"],
            category=_label("RequestCategory", row["category"]),
            subject=row["subject"],
            meter=meter,
            created=_when(parse_dt(row["created_at"])),
            due=day(datetime.fromisoformat(row["due_date"]).date(), language=LANGUAGE),
            body=row["body"],
            name=row["name"],
            customer_number=row["customer_number"],
            email=row["email"] or "—",
            phone=row["phone"] or "—",
            address=address,
            acting=acting,
        )
        recipients = json.loads(row["recipients"])

        def done(failure: str | None) -> None:
            state = RouteState.FAILED if failure else RouteState.SENT
            with self.store.transaction():
                self.store.execute(
                    "UPDATE request_routes SET state = ?, attempts = ?, attempted_at = ?,"
                    " sent_at = ?, failure = ? WHERE request_id = ?",
                    (
                        state.value,
                        attempts + 1,
                        self.core.now().isoformat(),
                        None if failure else self.core.now().isoformat(),
                        failure or "",
                        request_id,
                    ),
                )

        deliver(self.core.mailer, recipients, subject, body, done)

    def retry_routes(self) -> int:
        """Send again what failed, or what stayed pending past RETRY_AFTER (its process
        died): each claimed by one conditional update, so one process sends it."""
        now = self.core.now()
        due = (now - RETRY_AFTER).isoformat()
        found = self.store.all(
            "SELECT request_id, state, attempts FROM request_routes"
            " WHERE state IN (?, ?) AND attempts < ? AND coalesce(attempted_at, routed_at) < ?",
            (RouteState.PENDING.value, RouteState.FAILED.value, MAX_ATTEMPTS, due),
        )
        sent = 0
        for row in found:
            with self.store.transaction():
                claimed = self.store.execute(
                    "UPDATE request_routes SET state = ?, attempted_at = ?"
                    " WHERE request_id = ? AND state = ? AND attempts = ?",
                    (
                        RouteState.PENDING.value,
                        now.isoformat(),
                        row["request_id"],
                        row["state"],
                        row["attempts"],
                    ),
                ).rowcount
            if claimed == 1:
                self.send_route(row["request_id"], attempts=int(row["attempts"]))
                sent += 1
        return sent

    # --- a reply from the queue -------------------------------------------------------

    def mail_reply(self, request_id: str, text: str, status: RequestStatus) -> bool:
        """The office's reply by e-mail, when the customer consented to e-mail notices and
        has an address; True if a mail went out (it is in the console either way)."""
        row = self.store.one(
            "SELECT r.number, r.subject, c.email, c.notify_email FROM requests r"
            " JOIN customers c ON c.number = r.customer_number WHERE r.id = ?",
            (request_id,),
        )
        if row is None or not text.strip() or not row["notify_email"]:
            return False  # the consent of Consents.notify_email: failures, works, answers
        if not is_email(row["email"]):
            return False
        subject, body = mail_text(
            "request_reply",
            LANGUAGE,
            number=row["number"],
            subject=row["subject"],
            status=_label("RequestStatus", status.value),
            text=text.strip(),
        )
        deliver(self.core.mailer, row["email"], subject, body, lambda _failure: None)
        return True

    # --- the digest of new readings ----------------------------------------------------

    def readings_digest(self) -> int:
        """The metering team's mail of the readings customers submitted since the last
        digest, at most one per period (`digest_minutes`): the period's row in
        `mail_digests` is written by the one process that sends it. The count mailed."""
        found = self.core.routing.readings_group
        if found is None:
            return 0
        _group, recipients = found
        every = self.core.routing.digest_every
        now = self.core.now()
        epoch = datetime(2000, 1, 1, tzinfo=now.tzinfo)
        slot = epoch + every * ((now - epoch) // every)
        with self.store.transaction():
            self.store.lock(f"mail_digests:{DIGEST}")  # one process makes the slot's digest
            if self.store.one(
                "SELECT 1 FROM mail_digests WHERE name = ? AND slot = ?",
                (DIGEST, slot.isoformat()),
            ):
                return 0
            since_text = self.store.scalar(
                "SELECT max(through) FROM mail_digests WHERE name = ?", (DIGEST,)
            )
            since = parse_dt(since_text) if since_text else now - every
            rows = self.store.all(
                "SELECT r.read_on, r.idx, r.submitted_at, m.serial, p.customer_number"
                " FROM readings r JOIN meters m ON m.id = r.meter_id"
                " JOIN properties p ON p.id = m.property_id"
                " WHERE r.status = ? AND r.submitted_at > ? AND r.submitted_at <= ?"
                " ORDER BY r.submitted_at",
                (ReadingStatus.PENDING.value, since.isoformat(), now.isoformat()),
            )
            if not rows:
                return 0
            self.store.execute(
                "INSERT INTO mail_digests (name, slot, through, count, sent_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (DIGEST, slot.isoformat(), now.isoformat(), len(rows), now.isoformat()),
            )
        lines = "\n".join(
            f"{r['customer_number']}  {r['serial']}  "
            f"{day(datetime.fromisoformat(r['read_on']).date(), language=LANGUAGE)}  "
            f"{cubic_metres(r['idx'], language=LANGUAGE)}"
            for r in rows
        )
        subject, body = mail_text(
            "readings_digest", LANGUAGE, count=len(rows), since=_when(since), lines=lines
        )

        def done(failure: str | None) -> None:
            with self.store.transaction():
                self.store.execute(
                    "UPDATE mail_digests SET failure = ? WHERE name = ? AND slot = ?",
                    (failure or "", DIGEST, slot.isoformat()),
                )

        deliver(self.core.mailer, recipients, subject, body, done)
        return len(rows)

    def tick(self) -> None:
        """What a server process does now and then: retries, then the digest."""
        self.retry_routes()
        self.readings_digest()
