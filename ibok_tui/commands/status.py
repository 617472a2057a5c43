"""`ibok status`: one line for a status bar or a cron mail (the balance, the next payment
due, the open alerts), exit status 1 when something needs the customer's attention (an
overdue payment, a leak or a jump in use, a meter's legalization ending)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.models import Alert, Balance
from ..i18n import _, day, money
from .exits import Exit
from .output import add_output_options, write_json
from .parsers import command_parser
from .runner import run

if TYPE_CHECKING:
    from ..backends.base import Backend
    from ..domain.models import Dashboard


@dataclass(frozen=True)
class Status:
    """What `ibok status --json` prints: Pulpit's balance and alerts (the API's shapes),
    whether they need attention, and the line itself in the configured language."""

    customer_number: str
    data_as_of: date
    attention: bool
    balance: Balance
    alerts: tuple[Alert, ...]
    text: str


def add(sub: Any) -> None:
    status = command_parser(
        sub, "status", _("jeden wiersz: saldo, najbliższa płatność, alerty (kod 1: uwaga)")
    )
    add_output_options(status)
    status.set_defaults(run_command=lambda args: run(_status, args))


def status_of(board: Dashboard) -> Status:
    from ..i18n.render import alert_text

    balance = board.balance
    parts = [_("saldo {amount}", amount=money(balance.balance))]
    if balance.overdue:
        parts.append(_("zaległe {amount}", amount=money(balance.overdue)))
    if balance.next_due_date is not None and balance.next_due_amount:
        parts.append(
            _(
                "do zapłaty {amount} do {date}",
                amount=money(balance.next_due_amount),
                date=day(balance.next_due_date),
            )
        )
    parts += [alert_text(alert) for alert in board.alerts]
    attention = bool(board.alerts) or balance.overdue > 0
    text = "iBOK " + board.customer.number + ": " + " · ".join(parts)
    return Status(
        customer_number=board.customer.number,
        data_as_of=board.data_as_of,
        attention=attention,
        balance=balance,
        alerts=board.alerts,
        text=text,
    )


async def _status(backend: Backend, args: argparse.Namespace) -> int:
    from ..domain.text import visible

    found = status_of(await backend.dashboard())
    if args.json:
        write_json(found)
    else:
        print(visible(found.text, multiline=False), flush=True)
    return Exit.ATTENTION if found.attention else Exit.OK
