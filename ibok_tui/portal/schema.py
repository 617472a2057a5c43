"""The versioned migrations of the iBOK's store, for both stores (portal/store.py applies
them, each in a transaction of its own, `Store.migrate`). A migration is a plain string (both
stores run it), a function of the store (a migration that also fills what it creates, in the
same transaction), or `Dialects` (one each) where the two must differ. A migration, once
landed, is never changed: a change is a new one at the end."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import answers, history_schema, search, terms_schema

# a migration's function takes the store it migrates (portal/store.py's `Store`); each
# names what it uses of one by a protocol of its own, as this module does not import the
# store's, which imports it
MigrationStep = Callable[[Any], None]


@dataclass(frozen=True)
class Dialects:
    """A migration that must differ between the stores: one for each."""

    sqlite: str | MigrationStep
    postgresql: str | MigrationStep


Migration = str | MigrationStep | Dialects


def _postgresql(script: str, replacements: Sequence[tuple[str, str]]) -> str:
    """The PostgreSQL text of a SQLite script that differs only in the words replaced
    (each must be there: a script changed without this is an error, not a silent skip)."""
    for old, new in replacements:
        if old not in script:
            raise ValueError(f"the migration no longer holds {old!r}")
        script = script.replace(old, new)
    return script


# each version is a script, a function of the store (a migration that also fills what it
# creates, in the same transaction), or one of each dialect
_VERSION_1 = """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE customers (
        number TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        street TEXT NOT NULL, building TEXT NOT NULL, apartment TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL, city TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        bank_account TEXT NOT NULL,
        nip TEXT NOT NULL DEFAULT '',
        e_invoice INTEGER NOT NULL DEFAULT 0, e_invoice_email TEXT NOT NULL DEFAULT '',
        notify_email INTEGER NOT NULL DEFAULT 0, notify_sms INTEGER NOT NULL DEFAULT 0,
        marketing INTEGER NOT NULL DEFAULT 0,
        billing_months INTEGER NOT NULL DEFAULT 1,
        password_hash TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0,
        registered_at TEXT, terms_version TEXT,
        status_reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX customers_name ON customers(name COLLATE NOCASE);
    CREATE INDEX customers_street ON customers(street COLLATE NOCASE);

    CREATE TABLE operators (
        login TEXT PRIMARY KEY, name TEXT NOT NULL, password_hash TEXT NOT NULL
    );

    CREATE TABLE login_failures (
        subject TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT
    );

    CREATE TABLE captchas (
        id TEXT PRIMARY KEY, answer TEXT NOT NULL, expires_at TEXT NOT NULL
    );

    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL, subject TEXT NOT NULL, name TEXT NOT NULL,
        expires_at TEXT NOT NULL, must_change_password INTEGER NOT NULL DEFAULT 0,
        acting_operator TEXT
    );
    CREATE INDEX sessions_subject ON sessions(subject);

    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY, purpose TEXT NOT NULL, subject TEXT NOT NULL,
        expires_at TEXT NOT NULL, used_at TEXT
    );

    CREATE TABLE properties (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        label TEXT NOT NULL,
        street TEXT NOT NULL, building TEXT NOT NULL, apartment TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL, city TEXT NOT NULL
    );
    CREATE INDEX properties_customer ON properties(customer_number);
    CREATE INDEX properties_street ON properties(street COLLATE NOCASE);

    CREATE TABLE points (
        id TEXT PRIMARY KEY,
        property_id TEXT NOT NULL REFERENCES properties(id),
        label TEXT NOT NULL
    );

    CREATE TABLE meters (
        id TEXT PRIMARY KEY,
        serial TEXT NOT NULL UNIQUE,
        property_id TEXT NOT NULL REFERENCES properties(id),
        point_id TEXT NOT NULL REFERENCES points(id),
        role TEXT NOT NULL, parent_id TEXT REFERENCES meters(id),
        diameter_mm INTEGER NOT NULL, location TEXT NOT NULL,
        status TEXT NOT NULL, owner TEXT NOT NULL,
        installed_on TEXT NOT NULL, legalization_expires TEXT NOT NULL,
        resolution TEXT NOT NULL
    );
    CREATE INDEX meters_property ON meters(property_id);

    CREATE TABLE readings (
        id TEXT PRIMARY KEY,
        meter_id TEXT NOT NULL REFERENCES meters(id),
        read_on TEXT NOT NULL,
        idx INTEGER NOT NULL,
        consumption INTEGER,
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        submitted_at TEXT,
        meter_change INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX readings_meter ON readings(meter_id, read_on);
    CREATE INDEX readings_status ON readings(status);

    CREATE TABLE hourly (
        meter_id TEXT NOT NULL REFERENCES meters(id),
        ts TEXT NOT NULL,
        litres INTEGER NOT NULL,
        PRIMARY KEY (meter_id, ts)
    ) WITHOUT ROWID;

    CREATE TABLE tariffs (
        id TEXT PRIMARY KEY, valid_from TEXT NOT NULL, valid_to TEXT,
        water INTEGER NOT NULL, sewage INTEGER NOT NULL, subscription INTEGER NOT NULL,
        vat_rate TEXT NOT NULL
    );

    CREATE TABLE invoices (
        number TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        property_id TEXT NOT NULL REFERENCES properties(id),
        kind TEXT NOT NULL,
        issue_date TEXT NOT NULL, sale_date TEXT NOT NULL,
        period_from TEXT NOT NULL, period_to TEXT NOT NULL, due_date TEXT NOT NULL,
        net INTEGER NOT NULL, vat INTEGER NOT NULL, gross INTEGER NOT NULL,
        corrects TEXT
    );
    CREATE INDEX invoices_customer ON invoices(customer_number, issue_date);

    CREATE TABLE invoice_lines (
        invoice_number TEXT NOT NULL REFERENCES invoices(number),
        pos INTEGER NOT NULL,
        kind TEXT NOT NULL, description TEXT NOT NULL,
        quantity TEXT NOT NULL, unit TEXT NOT NULL, unit_price INTEGER NOT NULL,
        net INTEGER NOT NULL, vat_rate TEXT NOT NULL, vat INTEGER NOT NULL, gross INTEGER NOT NULL,
        PRIMARY KEY (invoice_number, pos)
    );

    CREATE TABLE payments (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        paid_on TEXT NOT NULL, amount INTEGER NOT NULL, title TEXT NOT NULL,
        document_number TEXT REFERENCES invoices(number)
    );
    CREATE INDEX payments_customer ON payments(customer_number);
    CREATE INDEX payments_document ON payments(document_number);

    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        title TEXT NOT NULL, kind TEXT NOT NULL, created_on TEXT NOT NULL,
        filename TEXT NOT NULL, mime TEXT NOT NULL, content BLOB NOT NULL,
        contract_number TEXT
    );
    CREATE INDEX documents_customer ON documents(customer_number);

    CREATE TABLE contracts (
        number TEXT PRIMARY KEY,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        property_id TEXT NOT NULL REFERENCES properties(id),
        title TEXT NOT NULL, signed_on TEXT NOT NULL,
        valid_from TEXT NOT NULL, valid_to TEXT, status TEXT NOT NULL,
        document_id TEXT REFERENCES documents(id)
    );
    CREATE INDEX contracts_customer ON contracts(customer_number);

    CREATE TABLE notices (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
        published_at TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT,
        area TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE requests (
        id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE,
        customer_number TEXT NOT NULL REFERENCES customers(number),
        category TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
        status TEXT NOT NULL, created_at TEXT NOT NULL, due_date TEXT NOT NULL,
        meter_id TEXT REFERENCES meters(id)
    );
    CREATE INDEX requests_customer ON requests(customer_number);
    CREATE INDEX requests_due ON requests(status, due_date);

    CREATE TABLE request_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL REFERENCES requests(id),
        at TEXT NOT NULL, status TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX request_events_request ON request_events(request_id);

    CREATE TABLE idempotency (
        scope TEXT NOT NULL, key TEXT NOT NULL, result TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
    );

    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL, operator TEXT NOT NULL, customer_number TEXT NOT NULL,
        action TEXT NOT NULL, detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_customer ON audit(customer_number);
    """


def _unchanged(store: object) -> None:
    """A migration with nothing to do in this dialect."""


SCHEMA: tuple[Migration, ...] = (
    # version 1: the whole portal
    Dialects(
        sqlite=_VERSION_1,
        postgresql=_postgresql(
            _VERSION_1,
            [
                (" COLLATE NOCASE", ""),
                (") WITHOUT ROWID;", ");"),
                ("content BLOB NOT NULL", "content BYTEA NOT NULL"),
                (
                    "id INTEGER PRIMARY KEY AUTOINCREMENT",
                    "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                ),
                # SQLite's implicit insertion order, which the documents are listed in
                (
                    "CREATE TABLE documents (\n        id TEXT PRIMARY KEY,",
                    "CREATE TABLE documents (\n        id TEXT PRIMARY KEY,"
                    " rowid BIGINT GENERATED ALWAYS AS IDENTITY,",
                ),
            ],
        ),
    ),
    # version 2: a customer's scan is submitted (withdrawable) until the utility accepts it
    """
    ALTER TABLE documents ADD COLUMN scan_status TEXT;
    UPDATE documents SET scan_status = 'submitted'
        WHERE kind = 'scan' AND contract_number IS NOT NULL;
    CREATE INDEX documents_scans ON documents(customer_number, kind);
    """,
    # version 3: an act-for session knows the operator's session that opened it, so that
    # session's logout ends it
    """
    ALTER TABLE sessions ADD COLUMN opened_by TEXT;
    CREATE INDEX sessions_opened_by ON sessions(opened_by);
    """,
    # version 4: an address's failures over every account are forgotten some time after
    # its last one; unanswered captchas are swept by their expiry
    """
    ALTER TABLE login_failures ADD COLUMN last_failure_at TEXT;
    CREATE INDEX captchas_expiry ON captchas(expires_at);
    """,
    # version 5: the operator's search by an index of folded text (portal/search.py),
    # filled from the customers already stored
    search.migrate,
    # version 6: one reading submitted through iBOK per meter and billing period, held by
    # the database: two submissions at once (two workers) cannot both pass the check. The
    # period's first day is set while the reading counts, and cleared when it is withdrawn;
    # readings stored before were checked one at a time and are left as they are.
    """
    ALTER TABLE readings ADD COLUMN submitted_period TEXT;
    CREATE UNIQUE INDEX readings_one_per_period ON readings(meter_id, submitted_period)
        WHERE submitted_period IS NOT NULL;
    """,
    # version 7: nothing a worker needs stays in one process. The idempotency record keeps
    # the server's answer (replays.py) and expires; the rate-limit buckets (throttle.py)
    """
    ALTER TABLE idempotency ADD COLUMN fingerprint TEXT;
    ALTER TABLE idempotency ADD COLUMN status INTEGER;
    ALTER TABLE idempotency ADD COLUMN headers TEXT;
    ALTER TABLE idempotency ADD COLUMN body TEXT;
    ALTER TABLE idempotency ADD COLUMN claimed_until TEXT;
    ALTER TABLE idempotency ADD COLUMN expires_at TEXT;
    UPDATE idempotency SET expires_at = created_at;
    CREATE INDEX idempotency_expiry ON idempotency(expires_at);
    CREATE TABLE rate_limits (
        name TEXT NOT NULL, client TEXT NOT NULL, tat BIGINT NOT NULL,
        allowed INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (name, client)
    );
    CREATE INDEX rate_limits_tat ON rate_limits(tat);
    """,
    # version 8: a version per customer that triggers bump in every write of the customer's
    # data, the answers stored under it (portal/answers.py), the indexes customer screens use
    Dialects(sqlite=answers.migrate_sqlite, postgresql=answers.migrate_postgresql),
    # the billing system's import (portal/integration): a customer's REGON
    """
    ALTER TABLE customers ADD COLUMN regon TEXT NOT NULL DEFAULT '';
    """,
    # PostgreSQL's answer versions bumped once per statement and customer, not per row
    Dialects(sqlite=_unchanged, postgresql=answers.statement_triggers_postgresql),
    # requests that reach the office (portal/dispatch.py): where each request went (its
    # group's addresses, when, whether the mail went), and one row per period of the
    # readings' digest, written by the one process that sends it
    """
    CREATE TABLE request_routes (
        request_id TEXT PRIMARY KEY REFERENCES requests(id),
        group_name TEXT NOT NULL, recipients TEXT NOT NULL, routed_at TEXT NOT NULL,
        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, attempted_at TEXT,
        sent_at TEXT, failure TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX request_routes_state ON request_routes(state, routed_at);
    CREATE TABLE mail_digests (
        name TEXT NOT NULL, slot TEXT NOT NULL, through TEXT NOT NULL,
        count INTEGER NOT NULL, sent_at TEXT NOT NULL, failure TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (name, slot)
    );
    """,
    # the terms' versions kept (history) and each customer's acceptance of one
    # (portal/terms.py), filled with the one version the "terms" setting held
    terms_schema.migrate,
    # the end of a customer's supply contract (portal/contract_end.py): its last day, when
    # the iBOK learnt of it and when the account is deactivated; on the customer's own row,
    # so the triggers of version 8 make their stored answers (Pulpit's banner) old at once
    """
    ALTER TABLE customers ADD COLUMN contract_ended_on TEXT;
    ALTER TABLE customers ADD COLUMN contract_end_recorded_at TEXT;
    ALTER TABLE customers ADD COLUMN deactivates_at TEXT;
    CREATE INDEX customers_deactivation ON customers(deactivates_at)
        WHERE deactivates_at IS NOT NULL;
    """,
    # the notices the iBOK sends (portal/notify.py): one ledger row per notice kind, its
    # subject (an invoice, a meter's legalization, a published notice, a period), customer
    # and channel, claimed before the send, so nothing is sent twice; and the leases by
    # which one worker of many runs the schedule
    """
    CREATE TABLE notice_ledger (
        kind TEXT NOT NULL, subject TEXT NOT NULL, customer_number TEXT NOT NULL,
        channel TEXT NOT NULL, address TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, attempted_at TEXT NOT NULL, sent_at TEXT,
        failure TEXT NOT NULL DEFAULT '', params TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (kind, subject, customer_number, channel)
    );
    CREATE INDEX notice_ledger_customer ON notice_ledger(customer_number, created_at);
    CREATE INDEX notice_ledger_state ON notice_ledger(state, attempted_at);
    CREATE TABLE leases (
        name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TEXT NOT NULL
    );
    CREATE INDEX invoices_issue ON invoices(issue_date);
    CREATE INDEX invoices_due ON invoices(due_date);
    CREATE INDEX meters_legalization ON meters(legalization_expires);
    """,
    # what a registrant gave (portal/lifecycle.py), kept while the account waits for its
    # activation so that the clerk sees it beside what the utility has (the e-mail on
    # record before the registration replaced it); gone once activated, rejected or erased
    """
    CREATE TABLE registrations (
        customer_number TEXT PRIMARY KEY REFERENCES customers(number),
        full_name TEXT NOT NULL, email TEXT NOT NULL, last_invoice TEXT NOT NULL,
        email_on_record TEXT NOT NULL, registered_at TEXT NOT NULL
    );
    """,
    # the histories of readings and scans (portal/history_schema.py): every step with who
    # and when, one step written for each reading and scan stored before
    history_schema.migrate,
    # the accounts still to deactivate, by deadline (portal/contract_end.py's `DUE`, asked
    # at every sign-in): the index of version 13 held every deactivated account too, whose
    # deadline stays for the refusal's words, so the question read more of it every year
    """
    DROP INDEX customers_deactivation;
    CREATE INDEX customers_due ON customers(deactivates_at)
        WHERE deactivates_at IS NOT NULL AND status NOT IN ('deactivated', 'terminated');
    """,
)


def statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
