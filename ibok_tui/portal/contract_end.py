"""The end of a supply contract (issue #17.2): the billing system's import or a clerk records
it, the customer is told at once (an e-mail with their consent, a banner on Pulpit) and may
export every invoice until the utility's grace period passes; then the account is
deactivated and the personal data billing does not need is erased (the terms' §8.7).

The grace period is the utility's setting in its store ("contract_end_grace"), beside its
other policies: every server process and host reads the same value at the moment an end is
recorded, an operator changes it through the API, and the deadline is stored with the
customer, so a later change of the setting moves no deadline already told to a customer.

Deactivation needs no process of its own: a customer's own sessions never outlive the
deadline (they are cut to it when the end is recorded, and made no longer after), and
every sign-in first deactivates the accounts whose deadline passed (`deactivate_due`; the
sign-in's own read of the account asks whether one is due, `DUE`, so the sweep costs a
sign-in no statement of its own when none is). Two workers doing so at once agree: the
update is conditional on the status, so one of them does it."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from ..domain.contract_end import (
    DEFAULT_GRACE,
    GRACE_LIMITS,
    POLAND,
    deactivation_moment,
    grace_in_bounds,
)
from ..domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..domain.models import (
    AccountStatus,
    AuditAction,
    ContractEnd,
    ContractEndGrace,
    GraceUnit,
    Session,
)
from ..i18n.render import mail_text
from . import rows
from .base import Core, parse_dt
from .checks import date_error, is_email
from .erasure import erase_personal_data
from .sessions import Sessions
from .store import Row

GRACE_SETTING = "contract_end_grace"
IMPORT = "system:import"  # who recorded an end the billing system imported (the audit log)
SWEEP = "system"
FUTURE_LIMIT = timedelta(
    days=366
)  # how far ahead an end may be recorded  # who deactivated an account whose grace period passed
# the accounts there is nothing to deactivate in: no iBOK account, or one already closed
_NO_ACCOUNT = (
    AccountStatus.UNREGISTERED,
    AccountStatus.REJECTED,
    AccountStatus.TERMINATED,
    AccountStatus.DEACTIVATED,
)


class ContractEndService:
    """Recording a contract's end, the grace period and deactivating when it passes."""

    def __init__(self, core: Core, sessions: Sessions) -> None:
        self.core = core
        self.store = core.store
        self.sessions = sessions

    # --- the utility's setting ------------------------------------------------------------

    def grace(self) -> ContractEndGrace:
        value = self.store.scalar("SELECT value FROM settings WHERE key = ?", (GRACE_SETTING,))
        if value is None:
            return DEFAULT_GRACE
        data = json.loads(value)
        return ContractEndGrace(int(data["amount"]), GraceUnit(data["unit"]))

    def set_grace(self, operator: Session, grace: ContractEndGrace) -> ContractEndGrace:
        if not grace_in_bounds(grace):
            low, high = GRACE_LIMITS[grace.unit]
            raise ValidationFailed.single("amount", "grace_out_of_range", low=low, high=high)
        value = json.dumps({"amount": grace.amount, "unit": grace.unit.value})
        with self.store.transaction():
            self.store.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (GRACE_SETTING, value),
            )
            self.core.operator_audit(
                operator.subject, "", AuditAction.SET_CONTRACT_END_GRACE, value
            )
        return grace

    # --- recording an end -----------------------------------------------------------------

    def record_by_operator(
        self, operator: Session, customer_number: str, ended_on: date
    ) -> ContractEnd:
        return self.record(customer_number, ended_on, by=operator.subject)

    def record(self, customer_number: str, ended_on: date, *, by: str = IMPORT) -> ContractEnd:
        """Record that the customer's supply contract ended on `ended_on` (its last day):
        the function the billing system's import calls (`by` names who did it in the audit
        log). Recording the same end again changes nothing and sends nothing."""
        if (problem := date_error("ended_on", ended_on)) is not None:
            raise ValidationFailed([problem])
        latest = self.core.today() + FUTURE_LIMIT
        if ended_on > latest:  # a typo of a year, not a notice of termination
            raise ValidationFailed.single("ended_on", "contract_end_too_late", max=latest)
        number = customer_number.strip()
        grace = self.grace()
        now = self.core.now().replace(microsecond=0)
        with self.store.transaction():
            self.store.lock(f"contract_end:{number}")  # read, then recorded: once
            row = self._account(number)
            if row["deactivates_at"] is not None:
                return _same_end(row, ended_on)
            deadline = deactivation_moment(grace, ended_on, now)
            self.store.execute(
                "UPDATE customers SET contract_ended_on = ?, contract_end_recorded_at = ?,"
                " deactivates_at = ? WHERE number = ?",
                (ended_on.isoformat(), now.isoformat(), deadline.isoformat(), number),
            )
            self.sessions.cut_to(number, deadline)
            detail = f"{ended_on.isoformat()} → {deadline.isoformat()}"
            self.core.operator_audit(by, number, AuditAction.RECORD_CONTRACT_END, detail)
        end = ContractEnd(ended_on=ended_on, recorded_at=now, deactivates_at=deadline)
        self._tell(row, end)
        return end

    def _account(self, number: str) -> Row:
        row = self.store.one("SELECT * FROM customers WHERE number = ?", (number,))
        if row is None:
            raise NotFound(code="customer_not_found")
        if AccountStatus(row["status"]) in _NO_ACCOUNT:
            raise Conflict(code="no_account_to_deactivate")
        return row

    def _tell(self, row: Row, end: ContractEnd) -> None:
        """The customer's e-mail, with their consent to notices by e-mail (Pulpit's banner
        needs nothing sent: the customer's stored answers are old since the write)."""
        address = str(row["email"]).strip()
        if not row["notify_email"] or not is_email(address):
            return
        deadline = end.deactivates_at.astimezone(POLAND)
        self.core.mailer.send(
            address,
            *mail_text(
                "contract_end",
                ended=f"{end.ended_on:%d.%m.%Y}",
                date=f"{deadline:%d.%m.%Y}",
                time=f"{deadline:%H:%M}",
                url=self.core.config.public_url,
            ),
        )

    # --- deactivating -----------------------------------------------------------------------

    def deactivate_due(self) -> list[str]:
        """Deactivate every account whose grace period passed; the numbers this call did."""
        due = self.store.all(
            f"SELECT number FROM customers WHERE {DUE}", (self.core.now().isoformat(),)
        )
        done = []
        for found in due:
            number = found["number"]
            with self.store.transaction():
                if erase_personal_data(
                    self.sessions, number, AccountStatus.DEACTIVATED, unless=_KEPT
                ):
                    self.core.operator_audit(SWEEP, number, AuditAction.DEACTIVATE, "")
                    done.append(number)
        return done


# the accounts whose deadline passed (the parameter: now) and which are still to deactivate:
# the statuses are written out, so that the planner proves the partial index's condition
# (`customers_due`) from the query's, which it cannot from a parameter's value
_KEPT = (AccountStatus.DEACTIVATED, AccountStatus.TERMINATED)
DUE = (
    "deactivates_at IS NOT NULL AND status NOT IN ("
    + ", ".join(f"'{status.value}'" for status in _KEPT)
    + ") AND deactivates_at <= ?"
)


def _same_end(row: Row, ended_on: date) -> ContractEnd:
    """The end already recorded, when it is the same one; else a conflict naming it."""
    recorded = rows.contract_end(row)
    assert recorded is not None
    if recorded.ended_on != ended_on:
        raise Conflict(code="contract_end_recorded", params={"date": recorded.ended_on.isoformat()})
    return recorded


def deactivated_refusal(row: Row | None) -> Forbidden | None:
    """What signing in to a deactivated account is told, whatever the password (its hash is
    gone, so there is nothing to guess and no try to count): the account's own code and
    the day it closed. This tells whoever types the number that its account was closed,
    which the regulations' "clear message" asks for; nothing else about it."""
    if row is None or row["status"] != AccountStatus.DEACTIVATED.value:
        return None
    moment = parse_dt(row["deactivates_at"]) if row["deactivates_at"] else None
    closed: datetime | None = moment.astimezone(POLAND) if moment is not None else None
    params = {"date": closed.date().isoformat()} if closed is not None else {}
    return Forbidden(code="account_deactivated", params=params)
