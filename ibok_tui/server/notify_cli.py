"""`ibok notify`: one run of the notices' schedule (portal/notify.py) and the office's
periodic mail (failed requests' mail again, the readings' digest), for cron or a systemd
timer on the server's host. It shares the ledger and the lease with `ibok serve`: while a
server's worker holds the schedule, this run sends nothing and says who holds it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ..i18n import _

RUN_LEASE = timedelta(minutes=30)  # held for one run at most; given up at its end


def add_command(sub: Any) -> None:
    from .serve_options import add_db_argument, add_mail_arguments

    notify = sub.add_parser(
        "notify",
        help=_("wyślij należne powiadomienia klientów (e-mail, SMS) i zestawienie odczytów"),
    )
    add_db_argument(notify)
    add_mail_arguments(notify)
    notify.add_argument(
        "--due-days",
        type=int,
        default=3,
        choices=range(1, 31),
        metavar="N",
        help=_("przypomnienie o płatności tyle dni przed terminem (1–30, domyślnie 3)"),
    )


def run(args: argparse.Namespace, clock: Callable[[], datetime] | None = None) -> int:
    from ..portal.base import PortalConfig, config_from_policy, utc_now
    from ..portal.mail import Mailer, OutboxMailer, SmtpMailer
    from ..portal.routing import RoutingError
    from ..portal.service import default_outbox, open_portal
    from ..portal.store import StoreUnavailable, shown
    from ..portal.stores import open_store
    from .serve import routing_problem
    from .serve_options import default_db

    db = args.db or default_db()
    mailer: Mailer = (
        SmtpMailer(args.smtp) if args.smtp else OutboxMailer(args.outbox or default_outbox(db))
    )
    try:
        store = open_store(db)
        policy = store.scalar("SELECT value FROM settings WHERE key = 'policy'")
        store.close()
        base = config_from_policy(json.loads(policy)) if policy else PortalConfig()
        config = _with(base, args)
        portal = open_portal(db, mailer=mailer, config=config, clock=clock or utc_now)
        portal.core.load_routing()  # a bad routing stops the run here, naming its entry
    except StoreUnavailable as error:
        message = _("Baza {db} jest niedostępna: {error}", db=shown(db), error=error)
        print(message, file=sys.stderr)
        return 2
    except RoutingError as error:
        print(routing_problem(error, None), file=sys.stderr)
        return 2
    try:
        portal.office_tick()
        report = portal.notifier.run(RUN_LEASE)
        if report is None:
            from ..portal.leases import held_by
            from ..portal.notify import LEASE

            holder = held_by(portal.store, LEASE, portal.now())
            print(
                _(
                    "Powiadomienia wysyła teraz inny proces ({holder}); nic nie wysłano.",
                    holder=holder[0] if holder else "?",
                ),
                flush=True,
            )
            return 0
        portal.notifier.release()
    finally:
        portal.store.close()
    sent = sum(report.sent.values())
    failed = sum(report.failed.values())
    print(_("Wysłano powiadomień: {sent}, nieudanych: {failed}.", sent=sent, failed=failed))
    for key, count in sorted(report.sent.items()):
        print(f"  {key}: {count}")
    for key, count in sorted(report.failed.items()):
        print(f"  {key}: {count} ✗")
    return 1 if failed else 0


def _with(config: Any, args: argparse.Namespace) -> Any:
    from dataclasses import replace

    return replace(config, sms_gateway=args.sms_gateway, notice_due_days=args.due_days)
