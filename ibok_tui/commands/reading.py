"""The reading commands: dashboard, invoices, settlements, readings, meters, requests,
notices and consumption. Each prints what the API answers: --json the same document,
--csv (where the console exports CSV) and the terminal a table of it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..i18n import _, cubic_metres, day, label, money
from .output import add_output_options, show
from .registry import command_parser
from .runner import run

if TYPE_CHECKING:
    from ..backends.base import Backend

Rows = tuple[str, Sequence[str], Sequence[Sequence[object]], set[int]]


def add(sub: Any) -> None:
    meters = command_parser(sub, "meters", _("wodomierze klienta"))
    add_output_options(meters, csv=True)
    meters.set_defaults(run_command=lambda args: run(_meters, args))


def litres(value: int | None) -> str:
    return "" if value is None else cubic_metres(value)


async def _meters(backend: Backend, args: argparse.Namespace) -> None:
    found = await backend.meters()

    def table() -> Rows:
        rows = [
            (
                m.serial,
                m.location,
                label(m.status),
                label(m.resolution),
                day(m.legalization_expires),
                m.id,
            )
            for m in found
        ]
        headers = (_("Numer"), _("Miejsce"), _("Stan"), _("Dane"), _("Legalizacja do"), "ID")
        return _("Wodomierze"), headers, rows, set()

    show(args, found, table)


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


__all__ = ["add", "money"]
