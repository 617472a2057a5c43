"""`ibok serve`: the reference server under uvicorn, with no other set-up."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import _
from ..i18n.markers import N_
from .serve_options import default_db, network

if TYPE_CHECKING:
    from ..portal.routing import RoutingError
    from .state import ServerConfig


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
    print(_("Baza {db}: schemat w wersji {version}.", db=shown(db), version=version), flush=True)
    return 0


# what is wrong with a routing entry, by the code portal/routing.py gives it
_ROUTING_PROBLEMS = {
    "not_a_table": N_("to nie jest tabela grup i rodzajów zgłoszeń"),
    "unknown_entry": N_(
        "nieznana pozycja (dozwolone: groups, categories, readings, digest_minutes)"
    ),
    "required": N_("brak wymaganej pozycji albo jest pusta"),
    "invalid_group_name": N_("nazwa grupy: do 40 liter, cyfr, kropek, kresek lub podkreśleń"),
    "too_many": N_("za dużo adresów w grupie (najwyżej {max})"),
    "invalid_email": N_("{value} nie jest poprawnym adresem e-mail"),
    "unknown_group": N_("nie ma grupy {group} w [groups]"),
    "unknown_category": N_("nieznany rodzaj zgłoszenia"),
    "out_of_range": N_("podaj liczbę całkowitą od {min} do {max}"),
    "unreadable": N_("nie można odczytać pliku ({error})"),
    "not_toml": N_("to nie jest poprawny TOML: {error}"),
}


def routing_problem(error: RoutingError, source: Path | None) -> str:
    """The refused routing in words, naming its entry (and the file it came from)."""
    from ..domain.text import visible
    from ..i18n import translated

    problem = translated(_ROUTING_PROBLEMS.get(error.code, error.code)).format(**error.params)
    where = str(source) if source is not None else _("ustawienie routing w bazie")
    return visible(
        _(
            "Routing zgłoszeń ({source}) odrzucony: {entry}: {problem}. Serwer nie wystartował.",
            source=where,
            entry=error.entry,
            problem=problem,
        )
    )


def _unavailable(db: Path | str, error: Exception) -> str:
    from ..domain.text import visible
    from ..portal.store import shown

    return visible(_("Baza {db} jest niedostępna: {error}", db=shown(db), error=error))


def _server_extra(missing: ModuleNotFoundError) -> str:
    return (
        _("ibok serve wymaga dodatku serwera (brak {name}):", name=missing.name)
        + " pip install 'ibok-tui[server]'"
    )


def run(args: argparse.Namespace, clock: Callable[[], datetime] | None = None) -> int:
    if bool(args.tls_cert) != bool(args.tls_key):
        print(_("Podaj razem --tls-cert i --tls-key."), file=sys.stderr)
        return 2
    try:
        import uvicorn

        from .app import create_app
    except ModuleNotFoundError as missing:
        print(_server_extra(missing), file=sys.stderr)
        return 2
    from ..portal.routing import RoutingError
    from ..portal.store import StoreUnavailable, shown
    from .logs import configure

    configure(args.log_format)
    pass_the_gil_often()
    try:
        config = _config(args, clock)
    except RoutingError as error:
        print(routing_problem(error, args.routing), file=sys.stderr)
        return 2
    app: Any = None
    try:
        if args.workers > 1:
            # the workers are processes uvicorn starts: each builds its app from the same
            # options (passed in the environment); the database is migrated (and the demo
            # seeded) here, once, before any of them opens it
            from .state import ServerState

            ServerState(config).close()
            moment = config.clock().isoformat() if clock is not None else None
            # the workers' own environment, never a file or a log (an --smtp or --db URL
            # may hold a password)
            os.environ[_WORKER_OPTIONS] = json.dumps(
                {"args": {k: _plain(v) for k, v in vars(args).items()}, "clock": moment},
                default=str,
            )
            app = f"{__name__}:worker_app"
        else:
            app = create_app(config)
    except StoreUnavailable as error:
        print(_unavailable(config.db, error), file=sys.stderr)
        return 2
    except RoutingError as error:  # the store's routing setting
        print(routing_problem(error, None), file=sys.stderr)
        return 2
    scheme = "https" if args.tls_cert else "http"
    url = f"{scheme}://{args.host}:{args.port}/api/v1/"
    print(_("iBOK: {url} (baza {db})", url=url, db=shown(config.db)), flush=True)
    serve_app(uvicorn, app, args)
    return 0


def serve_app(uvicorn: Any, app: Any, args: argparse.Namespace) -> None:
    """uvicorn.run's two ways (`app` an app, or with workers the import string of its
    factory; the benchmarks' bare endpoint is served the same way), with workers each on
    a listening socket of its own (server/workers.py)."""
    config = uvicorn.Config(
        app,
        factory=args.workers > 1,
        workers=args.workers,
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
        # asyncio's own loop, not uvloop: libuv accepts one connection a turn of its loop
        # (libuv#3696), so on a busy server a crowd arriving at once waited in the accept
        # queue one turn each (100 connections under wrk: the last accepted 0.8 s late, the
        # p99 ten times the median); asyncio's accepts every waiting one in a turn. The
        # work of a request is Python's either way: the same CPU a request on both loops
        loop="asyncio",
    )
    try:
        if args.workers > 1:
            from ..portal.host_cores import shared_folder
            from .workers import SocketEach, listeners

            with shared_folder():  # one hash per core across the workers (host_cores.py)
                SocketEach(config, listeners(config, args.workers)).run()
            return
        config.load_app()
        server = uvicorn.Server(config=config)
        server.run()
    except KeyboardInterrupt:
        return
    if not server.started:  # as uvicorn.run: a port in use, say
        raise SystemExit(3)


_WORKER_OPTIONS = "IBOK_SERVE_WORKER_OPTIONS"


def _config(args: argparse.Namespace, clock: Callable[[], datetime] | None) -> ServerConfig:
    from ..portal.base import PortalConfig
    from ..portal.routing import load_routing
    from .limits import Rate, RateLimits
    from .state import MiB, ServerConfig

    config = ServerConfig(
        db=args.db or default_db(),
        outbox=args.outbox,
        smtp=args.smtp,
        demo=args.demo,
        portal=PortalConfig(
            max_upload_bytes=args.scan_max_mb * MiB,
            max_scans=args.scan_quota_count,
            max_scan_total_bytes=args.scan_quota_mb * MiB,
            routing=load_routing(args.routing) if args.routing else None,
            sms_gateway=getattr(args, "sms_gateway", None),
        ),
        rate_limits=RateLimits(
            login=Rate.parse(args.limit_login),
            registration=Rate.parse(args.limit_registration),
            password_reset=Rate.parse(args.limit_password_reset),
            captcha=Rate.parse(args.limit_captcha),
        ),
        test_control=os.environ.get("IBOK_TEST_CONTROL") == "1",
        trusted_proxies=tuple(args.trusted_proxy),
        integration_key=_integration_key(getattr(args, "integration_key_file", None)),
    )
    tick = os.environ.get("IBOK_OFFICE_TICK", "")
    if tick.replace(".", "", 1).isdigit() and float(tick) > 0:
        config.office_tick = float(tick)
    elif config.test_control:  # a test server's mail comes only from what its tests do
        config.office_tick = 0
    every = os.environ.get("IBOK_NOTICE_EVERY", "")
    if every.replace(".", "", 1).isdigit() and float(every) > 0:
        config.notice_every = float(every)
    lease = os.environ.get("IBOK_IDEMPOTENCY_LEASE", "")
    if lease.replace(".", "", 1).isdigit() and float(lease) > 0:
        config.idempotency_lease = float(lease)
    if clock is not None:
        config.clock = clock
    return config


MIN_KEY = 32


def _integration_key(path: Path | str | None) -> str | None:
    """The key in the file (its one line), or None without a file; a short or unreadable
    key stops the server: a guessable key would open the billing system's door."""
    if path is None:
        return None
    try:
        key = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise SystemExit(
            _("Nie można odczytać klucza integracji {path}: {error}", path=path, error=error)
        ) from None
    if len(key) < MIN_KEY or not key.isascii() or not key.isprintable():
        raise SystemExit(
            _(
                "Klucz integracji w {path} ma mieć co najmniej {n} drukowalnych znaków ASCII.",
                path=path,
                n=MIN_KEY,
            )
        )
    return key


def _plain(value: Any) -> Any:
    """An option as JSON: paths and networks as their text."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return str(value) if isinstance(value, Path | IPv4Network | IPv6Network) else value


def pass_the_gil_often() -> None:
    """The event loop gets Python's lock back within a millisecond of asking
    (IBOK_SWITCH_INTERVAL_MS; Python's default is 5). The routes run on threads, and so do
    sign-ins: with the default a request answered in 2 ms could wait 5 ms behind a sign-in
    thread each time the loop took it back, which is most of what a storm of refused
    sign-ins added to other clients' p99."""
    configured = os.environ.get("IBOK_SWITCH_INTERVAL_MS", "")
    milliseconds = float(configured) if configured.replace(".", "", 1).isdigit() else 1.0
    if milliseconds > 0:
        sys.setswitchinterval(milliseconds / 1000)


def worker_app() -> Any:
    """The app of one of `--workers N` processes, from the options the parent left."""
    from .app import create_app
    from .logs import configure

    pass_the_gil_often()

    options = json.loads(os.environ[_WORKER_OPTIONS])
    args = argparse.Namespace(**options["args"])
    from ..portal.store import store_location

    if args.db is not None:
        args.db = store_location(args.db)  # a path, or a URL kept whole (not a Path's)
    for name in ("outbox", "tls_cert", "tls_key", "integration_key_file", "routing"):
        if getattr(args, name) is not None:
            setattr(args, name, Path(getattr(args, name)))
    args.trusted_proxy = [network(text) for text in args.trusted_proxy]
    args.demo = False  # seeded by the parent
    configure(args.log_format)
    moment = options["clock"]
    fixed = datetime.fromisoformat(moment) if moment else None
    return create_app(_config(args, (lambda: fixed) if fixed is not None else None))
