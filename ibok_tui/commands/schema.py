"""`ibok schema COMMAND`: the JSON Schema of what `ibok COMMAND --json` prints (made by
msgspec from the same types the API encodes); `ibok schema` lists the commands and the
exit statuses."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..i18n import _, translated
from .exits import MEANINGS


def shapes() -> dict[str, tuple[Any, ...]]:
    """Each command with --json and the types of what it prints (two for readings: the
    readings, or with --resolution a smart meter's series)."""
    from ..domain.models import (
        Dashboard,
        Invoice,
        Meter,
        Notice,
        PaymentDetails,
        Reading,
        SeriesPoint,
        ServiceRequest,
        Settlements,
    )
    from .status import Status

    return {
        "dashboard": (Dashboard,),
        "invoices": (list[Invoice],),
        "settlements": (Settlements,),
        "readings": (list[Reading], list[SeriesPoint]),
        "meters": (list[Meter],),
        "requests": (list[ServiceRequest],),
        "notices": (list[Notice],),
        "consumption": (dict[str, list[SeriesPoint]],),
        "submit-reading": (Reading,),
        "request-new": (ServiceRequest,),
        "pay": (PaymentDetails,),
        "status": (Status,),
    }


COMMANDS = (
    "dashboard",
    "invoices",
    "settlements",
    "readings",
    "meters",
    "requests",
    "notices",
    "consumption",
    "submit-reading",
    "request-new",
    "pay",
    "status",
)


def schema_of(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the command's --json document."""
    import msgspec

    kinds = shapes()[command]
    found, components = msgspec.json.schema_components(kinds, ref_template="#/$defs/{name}")
    document: dict[str, Any] = dict(found[0]) if len(found) == 1 else {"anyOf": list(found)}
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"ibok {command.replace('-', ' ')} --json",
        **document,
    }
    if components:
        document["$defs"] = components
    return document


def add(sub: Any) -> None:
    parser = sub.add_parser(
        "schema",
        help=_("schemat JSON wyjścia --json polecenia"),
        description=_("schemat JSON wyjścia --json polecenia"),
    )
    parser.add_argument("name", nargs="?", choices=COMMANDS, help=_("polecenie"))
    parser.set_defaults(run_command=_schema)


def _schema(args: argparse.Namespace) -> int:
    import msgspec

    if args.name:
        sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(schema_of(args.name))))
        sys.stdout.write("\n")
        return 0
    print(_("Polecenia z --json: ibok schema POLECENIE"))
    for name in COMMANDS:
        print(f"  {name}")
    print(_("Kody wyjścia:"))
    for status, meaning in MEANINGS.items():
        print(f"  {int(status)}  {translated(meaning)}")
    return 0
