"""`ibok outbox list|send|withdraw ID`: the console's outbox (backends/outbox.py) from a
script or a cron job.

`list` and `withdraw` need no server (the outbox is read where it is kept: the server or
the demo, and the customer, from --server/--demo/--profile and --customer or the profile);
`send` signs in as every command does and sends what waits, each item with its own
idempotency key. Exit statuses as exits.py: `send` is 0 when nothing is left waiting, else
the status of what stopped it (6: the server is still unreachable) or of the first refusal
(4, 5: kept for editing in the console); `withdraw` of an unknown id is 7.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..i18n import _
from .exits import Exit, UsageError, exit_for
from .output import add_output_options, print_table, write_json
from .parsers import command_parser
from .runner import complain, failure_text, run

if TYPE_CHECKING:
    from ..backends.base import Backend
    from ..backends.outbox import Outbox, OutboxItem, OutboxReport
    from ..domain.errors import IbokError


def add(sub: Any) -> None:
    outbox = sub.add_parser(
        "outbox",
        help=_("kolejka do wysłania: co konsola zapisała, gdy serwer był nieosiągalny"),
        description=_("kolejka do wysłania: co konsola zapisała, gdy serwer był nieosiągalny"),
    )
    actions = outbox.add_subparsers(dest="outbox_action", metavar="list|send|withdraw")
    actions.required = True
    listing = command_parser(actions, "list", _("pozycje czekające na wysłanie"))
    add_output_options(listing)
    listing.set_defaults(run_command=lambda args: offline(_list, args))
    sending = command_parser(actions, "send", _("wyślij teraz wszystko, co czeka"))
    add_output_options(sending)
    sending.set_defaults(run_command=lambda args: run(_send, args))
    withdraw = command_parser(actions, "withdraw", _("wycofaj pozycję (nie zostanie wysłana)"))
    withdraw.add_argument("id", metavar="ID", help=_("numer pozycji z ibok outbox list"))
    add_output_options(withdraw)
    withdraw.set_defaults(run_command=lambda args: offline(_withdraw, args))


def local_outbox(args: argparse.Namespace) -> Outbox:
    """The outbox the arguments name, without signing in (the server may be down)."""
    from ..backends.outbox import Outbox, outbox_scope
    from .connect import open_backend, target_of

    target = target_of(args)
    if not target.customer:
        raise UsageError(_("Podaj --customer KOD (albo profil z kodem nabywcy)."))
    label = open_backend(target).label  # "demo" or the server's address, as the console's
    return Outbox.open(outbox_scope(label, target.customer), kiosk=False)


def offline(action: Any, args: argparse.Namespace) -> int:
    """Run a command that reads or changes the outbox only."""
    try:
        status: int = action(local_outbox(args), args)
        return status
    except Exception as error:
        complain(failure_text(error))
        return exit_for(error)


# --- the documents ------------------------------------------------------------------------


def item_document(item: OutboxItem) -> dict[str, Any]:
    """One item as JSON: its id, kind, key, when it was kept, what it sends, its refusal."""
    import msgspec

    document: dict[str, Any] = msgspec.to_builtins(item)
    return {k: v for k, v in document.items() if v is not None}


def error_document(error: IbokError) -> dict[str, Any]:
    import msgspec

    from ..backends.outbox import Refusal

    document: dict[str, Any] = msgspec.to_builtins(Refusal.of(error))
    return document


def report_document(report: OutboxReport) -> dict[str, Any]:
    import msgspec

    return {
        "sent": [
            {**item_document(item), "answer": msgspec.to_builtins(answer)}
            for item, answer in report.sent
        ],
        "refused": [
            {**item_document(item), "error": error_document(error)}
            for item, error in report.refused
        ],
        "waiting": [item_document(item) for item in report.waiting],
        "stopped": error_document(report.stopped) if report.stopped is not None else None,
    }


def _rows(items: list[OutboxItem]) -> list[tuple[str, ...]]:
    def state(item: OutboxItem) -> str:
        if item.refusal is None:
            return _("czeka")
        return _("nie przyjęto") + ": " + failure_text(item.refusal.error()).replace("\n", "; ")

    def kept(item: OutboxItem) -> str:
        from datetime import datetime

        from ..i18n import day

        try:
            moment = datetime.fromisoformat(item.created).astimezone()
        except ValueError:
            return item.created
        return f"{day(moment.date())} {moment:%H:%M}"

    return [(item.id, item.kind, kept(item), item.summary(), state(item)) for item in items]


# --- the actions ---------------------------------------------------------------------------


def _list(outbox: Outbox, args: argparse.Namespace) -> int:
    items = outbox.items()
    if getattr(args, "json", False):
        write_json([item_document(item) for item in items])
        return Exit.OK
    headers = (_("Nr"), _("Co"), _("Zapisano"), _("Treść"), _("Stan"))
    print_table(_("Do wysłania"), headers, _rows(items))
    return Exit.OK


def _withdraw(outbox: Outbox, args: argparse.Namespace) -> int:
    gone = outbox.withdraw(args.id)
    if gone is None:
        complain(_("Nie ma w kolejce pozycji {id} (ibok outbox list).", id=repr(args.id)))
        return Exit.NOT_FOUND
    if getattr(args, "json", False):
        write_json(item_document(gone))
    else:
        print(_("Wycofano {id}: nie zostanie wysłana.", id=gone.id))
    return Exit.OK


async def _send(backend: Backend, args: argparse.Namespace) -> int:
    import asyncio

    from ..backends.outbox import Outbox, send_outbox

    outbox = await asyncio.to_thread(Outbox.for_backend, backend, kiosk=False)
    report = await send_outbox(backend, outbox)
    if getattr(args, "json", False):
        write_json(report_document(report))
    else:
        _print_report(report)
    if report.stopped is not None:
        return exit_for(report.stopped)
    if report.refused:
        return exit_for(report.refused[0][1])
    return Exit.OK


def _print_report(report: OutboxReport) -> None:
    for item, _answer in report.sent:
        print(_("wysłano {id}: {what}", id=item.id, what=item.summary()))
    for item, error in report.refused:
        complain(
            _(
                "nie przyjęto {id}: {what}: {reason}",
                id=item.id,
                what=item.summary(),
                reason=failure_text(error),
            )
        )
    if report.stopped is not None:
        complain(
            _(
                "czeka {count}: {reason}",
                count=len(report.waiting),
                reason=failure_text(report.stopped),
            )
        )
    if not report.sent and not report.refused and report.stopped is None:
        print(_("Nic nie czeka na wysłanie."))
