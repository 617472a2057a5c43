"""`ibok import`, `ibok export` and `ibok export-readings`: the billing system's exchange
on the server's host, straight over the store (`--db`), with the same code as the
integration routes (portal/integration)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..i18n import _

COMMANDS = ("import", "export", "export-readings")
ProgressBar = Callable[..., contextlib.AbstractContextManager[Callable[[int, int], None]]]


def add_commands(sub: Any) -> None:
    from .serve_options import add_db_argument

    load = sub.add_parser(
        "import",
        help=_("wczytaj dane z systemu bilingowego (JSON Lines, opis w README)"),
    )
    load.add_argument("files", nargs="+", type=Path, metavar="PLIK")
    add_db_argument(load)
    load.add_argument(
        "--partial",
        action="store_true",
        help=_("przy błędach wczytaj klientów bez błędów (domyślnie nic)"),
    )
    out = sub.add_parser("export", help=_("zapisz dane bazy w formacie importu (JSON Lines)"))
    add_db_argument(out)
    out.add_argument("-o", "--output", type=Path, required=True, metavar="KATALOG")
    readings = sub.add_parser(
        "export-readings", help=_("odczyty podane w iBOK dla systemu bilingowego (CSV)")
    )
    add_db_argument(readings)
    readings.add_argument(
        "--since",
        type=_moment,
        required=True,
        metavar="CZAS",
        help=_("od kiedy, ISO 8601 ze strefą, np. 2026-11-01T00:00:00+01:00"),
    )
    readings.add_argument("-o", "--output", required=True, metavar="PLIK|-")


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            _("{text} nie jest czasem ISO 8601 ze strefą", text=repr(text))
        )
    return moment


def _record_contract_ends(db: Path | str | None, report: Any, record: Any) -> None:
    """The contract ends the import read, through the portal's rule: the customer is told
    (mail to the outbox beside the database, as `ibok serve` without --smtp sends it)."""
    from ..portal.service import open_portal
    from .serve_options import default_db

    portal = open_portal(db or default_db())
    try:
        record(report, portal.record_contract_end)
    finally:
        portal.store.close()


@contextlib.contextmanager
def _store(db: Path | str | None) -> Iterator[Any]:
    from ..portal.store import StoreUnavailable, shown
    from ..portal.stores import open_store
    from .serve_options import default_db

    location = db or default_db()
    try:
        store = open_store(location)
    except StoreUnavailable as error:
        message = _("Baza {db} jest niedostępna: {error}", db=shown(location), error=error)
        raise SystemExit(message) from None
    try:
        yield store
    finally:
        store.close()


def run(args: argparse.Namespace, progress_bar: ProgressBar, say: Callable[..., None]) -> int:
    if args.command == "import":
        return _import(args, progress_bar, say)
    if args.command == "export":
        return _export(args, say)
    return _export_readings(args, say)


def _import(args: argparse.Namespace, progress_bar: ProgressBar, say: Callable[..., None]) -> int:
    from ..domain.errors import FieldError
    from ..i18n.problems import field_text
    from ..portal.integration.importer import import_records, record_contract_ends
    from ..portal.integration.reading import Source

    sources = []
    for path in args.files:
        if not path.is_file():
            say(_("{path}: nie ma takiego pliku", path=path), error=True)
            return 2
        sources.append(
            Source(str(path), (lambda p=path: p.open("rb")), path.stat().st_size)  # type: ignore[misc]
        )
    total = (2 if args.partial else 1) * sum(s.size for s in sources)  # passes × bytes
    done = 0
    with _store(args.db) as store, progress_bar(total, label=_("bajty")) as bar:

        def step(read: int) -> None:
            nonlocal done
            done += read
            bar(done, total)

        report = import_records(store, sources, partial=args.partial, progress=step)
    if report.applied and report.contract_ends:
        _record_contract_ends(args.db, report, record_contract_ends)
    for problem in report.problems:
        error = FieldError(problem.field, problem.code, params=problem.params)
        where = f"{problem.file}:{problem.line}: {problem.field}"
        say(f"{where}: {problem.code}: {field_text(error)}", error=True)
    if report.problem_count > len(report.problems):
        more = report.problem_count - len(report.problems)
        say(_("… i {n} błędów więcej", n=more), error=True)
    if not report.applied:
        say(_("Błędów: {n}. Nic nie zapisano.", n=report.problem_count), error=True)
        return 1
    for kind, read in report.records.items():
        say(
            _(
                "{kind}: {read} (nowe {created}, zmienione {updated}, bez zmian {unchanged})",
                kind=kind,
                read=read,
                created=report.created.get(kind, 0),
                updated=report.updated.get(kind, 0),
                unchanged=report.unchanged.get(kind, 0),
            )
        )
    if report.problem_count:
        skipped = ", ".join(report.skipped_customers) or "-"
        say(_("Pominięci klienci (błędy): {customers}", customers=skipped), error=True)
    return 0


def _export(args: argparse.Namespace, say: Callable[..., None]) -> int:
    from ..portal.integration.exporter import export_records

    folder: Path = args.output
    if folder.exists() and any(folder.iterdir()):
        say(_("{path} nie jest pustym katalogiem.", path=folder), error=True)
        return 2
    with _store(args.db) as store:
        counts = export_records(store, folder)
    for kind, written in counts.items():
        say(f"{kind}: {written}")
    return 0


def _export_readings(args: argparse.Namespace, say: Callable[..., None]) -> int:
    from ..portal.integration.readings import as_csv, submitted_since

    with _store(args.db) as store:
        rows = submitted_since(store, args.since)
    text = as_csv(rows)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    # the customers' readings: readable by the owner only, from creation
    fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    say(_("Odczytów: {n} w {path}", n=len(rows), path=args.output), error=True)
    return 0
