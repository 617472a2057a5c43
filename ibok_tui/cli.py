"""The `ibok` command: the console (demo, server, profile, kiosk), the reference server,
the data generator and the demo reset."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from . import __version__


def fixed_clock_from_env() -> object | None:
    """IBOK_CLOCK=2026-11-21T10:00:00+01:00 pins the clock (for screenshots and tests)."""
    value = os.environ.get("IBOK_CLOCK")
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return lambda: moment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ibok",
        description="Konsola iBOK: faktury, rozrachunki, odczyty, wodomierze i zgłoszenia.",
    )
    parser.add_argument("--version", action="version", version=f"ibok {__version__}")
    parser.add_argument("--demo", action="store_true", help="dane demonstracyjne, bez serwera")
    parser.add_argument("--server", metavar="URL", help="adres serwera iBOK")
    parser.add_argument(
        "--data-dir", type=Path, help="katalog danych (domyślnie katalog użytkownika)"
    )
    sub = parser.add_subparsers(dest="command")

    gen = sub.add_parser("generate", help="wygeneruj duży syntetyczny zbiór danych (benchmarki)")
    gen.add_argument("--db", type=Path, required=True, help="plik SQLite do utworzenia")
    gen.add_argument("--customers", type=int, default=1000)
    gen.add_argument("--years", type=int, default=10)
    gen.add_argument("--seed", type=int, default=2026)

    sub.add_parser("demo-reset", help="usuń dane demo; następne uruchomienie utworzy je od nowa")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate(args)
    if args.command == "demo-reset":
        from .backends.local import reset_demo

        reset_demo(args.data_dir)
        print("Dane demo usunięte.")
        return 0
    return _console(args, parser)


def _generate(args: argparse.Namespace) -> int:
    from .portal.base import local_date, utc_now
    from .portal.store import Store
    from .portal.synthetic import generate

    if args.db.exists():
        print(f"{args.db} już istnieje: podaj nowy plik.", file=sys.stderr)
        return 2
    now = utc_now()
    store = Store(args.db)

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total} klientów", end="", file=sys.stderr, flush=True)

    generate(
        store,
        customers=args.customers,
        years=args.years,
        today=local_date(now),
        now=now,
        seed_value=args.seed,
        progress=progress,
    )
    store.close()
    print(f"\nGotowe: {args.db}", file=sys.stderr)
    return 0


def _console(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.demo and not args.server:
        parser.print_help()
        print("\nPodaj --demo albo --server URL.", file=sys.stderr)
        return 2
    from .app import IbokApp

    if args.demo:
        from .backends.local import LocalBackend

        clock = fixed_clock_from_env()
        backend = (
            LocalBackend.demo(args.data_dir, clock)  # type: ignore[arg-type]
            if clock
            else LocalBackend.demo(args.data_dir)
        )
    else:
        print("Połączenie z serwerem pojawi się wraz z HttpBackend.", file=sys.stderr)
        return 2
    IbokApp(backend).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
