"""`ibok serve`: the reference server under uvicorn, with no other set-up."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path

DEFAULT_PORT = 8765


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="adres nasłuchu (domyślnie 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (domyślnie 8765)")
    add_db_argument(parser)
    parser.add_argument(
        "--demo", action="store_true", help="pusta baza: wypełnij danymi demonstracyjnymi"
    )
    parser.add_argument("--tls-cert", type=Path, help="certyfikat TLS (PEM)")
    parser.add_argument("--tls-key", type=Path, help="klucz prywatny TLS (PEM)")
    parser.add_argument(
        "--smtp", metavar="URL", help="smtp://host:port do wysyłki poczty (domyślnie folder outbox)"
    )
    parser.add_argument("--outbox", type=Path, help="folder poczty (domyślnie obok bazy)")
    parser.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        type=_network,
        help="adres lub sieć (CIDR) pośrednika, któremu wierzyć w X-Forwarded-For;"
        " można powtarzać (domyślnie żaden)",
    )
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="dziennik na stderr: wiersze tekstu (domyślnie) albo JSON Lines",
    )
    for name, default in (
        ("login", "10/min,30"),
        ("registration", "3/min,10"),
        ("password-reset", "3/min,10"),
        ("captcha", "10/min,30"),
    ):
        parser.add_argument(
            f"--limit-{name}",
            default=default,
            metavar="RATE",
            help=f"limit na adres klienta, np. {default} (na minutę, pula)",
        )

    parser.add_argument(
        "--scan-max-mb",
        type=_positive,
        default=10,
        metavar="MB",
        help="największy plik skanu umowy (domyślnie 10 MB)",
    )
    parser.add_argument(
        "--scan-quota-count",
        type=_positive,
        default=20,
        metavar="N",
        help="skanów jednego klienta czekających na przyjęcie (domyślnie 20)",
    )
    parser.add_argument(
        "--scan-quota-mb",
        type=_positive,
        default=50,
        metavar="MB",
        help="ich łączny rozmiar (domyślnie 50 MB)",
    )


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """`--db`: a SQLite file, or a PostgreSQL server's `postgresql://` URL."""
    from ..portal.store import store_location

    parser.add_argument(
        "--db",
        type=store_location,
        metavar="PLIK|URL",
        help="plik bazy SQLite (domyślnie w katalogu danych użytkownika)"
        " albo adres postgresql://użytkownik@host/baza",
    )


def migrate(args: argparse.Namespace) -> int:
    """`ibok migrate`: bring the store's schema up to this version, and say where it is.
    Safe beside servers starting over the same database (see Store.migrate)."""
    from ..portal.store import StoreUnavailable, shown
    from ..portal.stores import open_store

    db = args.db or default_db()
    try:
        store = open_store(db)
    except ModuleNotFoundError as missing:
        print(_server_extra(missing), file=sys.stderr)
        return 2
    except StoreUnavailable as error:
        print(_unavailable(db, error), file=sys.stderr)
        return 2
    version = store.version
    store.close()
    print(f"Baza {shown(db)}: schemat w wersji {version}.", flush=True)
    return 0


def _unavailable(db: Path | str, error: Exception) -> str:
    from ..domain.text import visible
    from ..portal.store import shown

    return visible(f"Baza {shown(db)} jest niedostępna: {error}")


def _server_extra(missing: ModuleNotFoundError) -> str:
    return (
        f"ibok serve wymaga dodatku serwera (brak {missing.name}): pip install 'ibok-tui[server]'"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 0 < value <= 100_000:
        raise argparse.ArgumentTypeError(f"podaj liczbę całkowitą od 1 do 100000, nie {text!r}")
    return value


def _network(text: str) -> IPv4Network | IPv6Network:
    import ipaddress

    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} nie jest adresem IP ani siecią CIDR (np. 10.0.0.5, 10.0.0.0/8)"
        ) from None


def default_db() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("ibok", appauthor=False)) / "server" / "ibok.sqlite"


def run(args: argparse.Namespace, clock: Callable[[], datetime] | None = None) -> int:
    if bool(args.tls_cert) != bool(args.tls_key):
        print("Podaj razem --tls-cert i --tls-key.", file=sys.stderr)
        return 2
    try:
        import uvicorn

        from .app import create_app
    except ModuleNotFoundError as missing:
        print(_server_extra(missing), file=sys.stderr)
        return 2
    from ..portal.base import PortalConfig
    from ..portal.store import StoreUnavailable, shown
    from .limits import Rate, RateLimits
    from .logs import configure
    from .state import MiB, ServerConfig

    configure(args.log_format)
    config = ServerConfig(
        db=args.db or default_db(),
        outbox=args.outbox,
        smtp=args.smtp,
        demo=args.demo,
        portal=PortalConfig(
            max_upload_bytes=args.scan_max_mb * MiB,
            max_scans=args.scan_quota_count,
            max_scan_total_bytes=args.scan_quota_mb * MiB,
        ),
        rate_limits=RateLimits(
            login=Rate.parse(args.limit_login),
            registration=Rate.parse(args.limit_registration),
            password_reset=Rate.parse(args.limit_password_reset),
            captcha=Rate.parse(args.limit_captcha),
        ),
        test_control=os.environ.get("IBOK_TEST_CONTROL") == "1",
        trusted_proxies=tuple(args.trusted_proxy),
    )
    if clock is not None:
        config.clock = clock
    try:
        app = create_app(config)
    except StoreUnavailable as error:
        print(_unavailable(config.db, error), file=sys.stderr)
        return 2
    scheme = "https" if args.tls_cert else "http"
    print(f"iBOK: {scheme}://{args.host}:{args.port}/api/v1/ (baza {shown(config.db)})", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        ssl_certfile=str(args.tls_cert) if args.tls_cert else None,
        ssl_keyfile=str(args.tls_key) if args.tls_key else None,
        access_log=False,  # ours logs no query strings; uvicorn's would
        # the forwarded address is read by the server itself, from --trusted-proxy only
        # (uvicorn's own would believe any client on 127.0.0.1)
        proxy_headers=False,
        log_config=None,  # uvicorn's records go through our one-line formatter too
        log_level="info",
        server_header=False,
    )
    return 0
