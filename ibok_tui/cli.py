"""The `ibok` command: the console (demo, server, profile, kiosk), the reference server,
the data generator and the demo reset."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .domain.text import visible
from .i18n import _


def say(text: str, *, error: bool = False) -> None:
    """Print a line of the command's own output: what it holds of a file, the environment
    or the command line (a profile's server, a configuration error) is shown with its
    control characters made visible, so that printing it cannot steer the terminal."""
    print(visible(text), file=sys.stderr if error else sys.stdout, flush=error)


def fixed_clock_from_env() -> object | None:
    """IBOK_CLOCK pins the clock (commands/connect.py)."""
    from .commands.connect import fixed_clock_from_env as pinned

    return pinned()


def build_parser(commands: bool = True, *, only: str = "") -> argparse.ArgumentParser:
    """The options, and the subcommands unless `commands` is False (the console's own start
    does without them: building them imports the server's options, start-up time). `only`
    names a non-interactive command: then only those are built (a script's start-up)."""
    parser = argparse.ArgumentParser(
        prog="ibok",
        description=_("Konsola iBOK: faktury, rozrachunki, odczyty, wodomierze i zgłoszenia."),
    )
    parser.add_argument("--version", action="version", version=f"ibok {__version__}")
    parser.add_argument("--demo", action="store_true", help=_("dane demonstracyjne, bez serwera"))
    parser.add_argument("--server", metavar="URL", help=_("adres serwera iBOK"))
    parser.add_argument(
        "--data-dir", type=Path, help=_("katalog danych (domyślnie katalog użytkownika)")
    )
    parser.add_argument("--profile", metavar="NAZWA", help=_("zapisany profil (ibok profile list)"))
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help=_("tryb kiosku: nic nie zapisuje, wylogowuje po bezczynności"),
    )
    parser.set_defaults(command=None)
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command")
    from .commands.registry import add_commands

    if only:
        add_commands(sub)
        return parser
    _add_profile_commands(sub)

    gen = sub.add_parser("generate", help=_("wygeneruj duży syntetyczny zbiór danych (benchmarki)"))
    gen.add_argument(
        "--db",
        type=_store_location,
        required=True,
        metavar="PLIK|URL",
        help=_("plik SQLite do utworzenia albo adres postgresql:// pustej bazy"),
    )
    gen.add_argument("--customers", type=int, default=1000)
    gen.add_argument("--years", type=int, default=10)
    gen.add_argument("--seed", type=int, default=2026)
    gen.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help=_("procesy rozwijające dane klientów (domyślnie: liczba rdzeni)"),
    )

    sub.add_parser("demo-reset", help=_("usuń dane demo; następne uruchomienie utworzy je od nowa"))
    sub.add_parser("keys", help=_("klawisze do zmiany w [keys] pliku konfiguracji (id wiązania)"))
    _add_web_commands(sub)
    add_commands(sub)

    from .server.serve_options import add_arguments as add_serve_arguments
    from .server.serve_options import add_db_argument

    add_serve_arguments(sub.add_parser("serve", help=_("uruchom serwer iBOK (API HTTP)")))
    add_db_argument(sub.add_parser("migrate", help=_("utwórz lub uaktualnij schemat bazy serwera")))
    from .server.exchange_cli import add_commands as add_exchange_commands

    add_exchange_commands(sub)
    from .server.notify_cli import add_command as add_notify_command

    add_notify_command(sub)
    return parser


def _names_a_command(given: Sequence[str]) -> bool:
    """Whether the arguments need the subcommands: help, or a word that is not an option's
    value (a mistyped command, too, so that argparse lists the right ones)."""
    return any(arg in ("-h", "--help") for arg in given) or bool(_first_word(given))


def _first_word(given: Sequence[str]) -> str:
    """The first argument that is not an option or an option's value: the command."""
    takes_value = {"--server", "--data-dir", "--profile"}
    previous = ""
    for arg in given:
        if not arg.startswith("-") and previous not in takes_value:
            return arg
        previous = arg
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    commands = _names_a_command(given)
    if commands:  # the console's own start reads the file once, in _apply_profile
        _speak_configured_language()
    word = _first_word(given)
    if word:  # the console's own start has none: it imports nothing of the commands
        from .commands.registry import COMMAND_NAMES

        word = word if word in COMMAND_NAMES else ""
    parser = build_parser(commands, only=word)
    args = parser.parse_args(given)
    run_command = getattr(args, "run_command", None)
    if run_command is not None:  # a non-interactive command (commands/)
        code = int(run_command(args))
        if argv is None:  # a process of its own (`ibok`, `python -m ibok_tui.cli`)
            _end_process(code)
        return code
    if args.command == "generate":
        return _generate(args)
    if args.command == "profile":
        return _profile_command(args)
    if args.command == "serve":
        from .server.serve import run as serve

        return serve(args, fixed_clock_from_env())  # type: ignore[arg-type]
    if args.command == "migrate":
        from .server.serve import migrate

        return migrate(args)
    if args.command == "web":
        return _web(args)
    if args.command in ("import", "export", "export-readings"):
        from .server.exchange_cli import run as exchange

        return exchange(args, generation_progress, say)
    if args.command == "notify":
        from .server.notify_cli import run as notify

        return notify(args, fixed_clock_from_env())  # type: ignore[arg-type]
    if args.command == "kiosk-pin":
        return _kiosk_pin()
    if args.command == "keys":
        from .keymap import keys_table

        say(keys_table())
        return 0
    if args.command == "demo-reset":
        from .backends.local import reset_demo

        reset_demo(args.data_dir)
        say(_("Dane demo usunięte."))
        return 0
    return _console(args)


def _end_process(code: int) -> None:
    """A command's process ends with its output flushed and nothing else: the
    interpreter's teardown of the modules a command imported (httpx, asyncio, the
    domain) took about a sixth of a command's time, and a command has no files open,
    threads running or exit handlers to wait for by then (its outbox and PDFs are
    written and closed before it returns)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
            stream.flush()
    os._exit(code)


def _speak_configured_language() -> None:
    """Help and messages in `[settings] language` (Polish while the file cannot say)."""
    from . import config as cfg
    from .i18n import set_language

    with contextlib.suppress(cfg.ConfigError):
        set_language(cfg.load().settings.language)


def _store_location(text: str) -> str | Path:
    from .portal.store import store_location

    return store_location(text)


def _generate(args: argparse.Namespace) -> int:
    from .portal.base import local_date, utc_now
    from .portal.demo.synthetic import generate
    from .portal.store import shown
    from .portal.stores import open_store

    if isinstance(args.db, Path) and args.db.exists():
        say(_("{db} już istnieje: podaj nowy plik.", db=args.db), error=True)
        return 2
    now = utc_now()
    store = open_store(args.db)
    if not store.is_empty():
        store.close()
        say(_("{db} nie jest pusta: podaj nową bazę.", db=shown(args.db)), error=True)
        return 2
    with generation_progress(args.customers) as progress:
        generate(
            store,
            customers=args.customers,
            years=args.years,
            today=local_date(now),
            now=now,
            seed_value=args.seed,
            progress=progress,
            workers=max(1, args.workers),
        )
    store.close()
    say(_("Gotowe: {db}", db=shown(args.db)), error=True)
    return 0


@contextlib.contextmanager
def generation_progress(total: int, label: str = "") -> Iterator[Callable[[int, int], None]]:
    """A progress bar with the customers written (or `label`: what is counted), the time
    taken and an ETA, on stderr; nothing when stderr is not a terminal (a log or a pipe
    gets only the last line)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn(label or _("klienci")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn(_("pozostało")),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("klienci", total=total)
        yield lambda done, _total: bar.update(task, completed=done)


def _add_profile_commands(sub: Any) -> None:
    profile = sub.add_parser("profile", help=_("zapisane profile: serwer lub demo i kod nabywcy"))
    actions = profile.add_subparsers(dest="profile_command", required=True)
    add = actions.add_parser("add", help=_("dodaj lub zmień profil"))
    add.add_argument("name")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--server", metavar="URL")
    where.add_argument("--demo", action="store_true")
    add.add_argument("--customer", default="", help=_("kod nabywcy podpowiadany przy logowaniu"))
    add.add_argument("--ca-file", default="", help=_("własny urząd certyfikacji (TLS)"))
    actions.add_parser("list", help=_("pokaż profile"))
    remove = actions.add_parser("remove", help=_("usuń profil"))
    remove.add_argument("name")


def _profile_command(args: argparse.Namespace) -> int:
    from . import config as cfg

    try:
        current = cfg.load()
        if args.profile_command == "list":
            if not current.profiles:
                say(_("Brak profili. Dodaj: ibok profile add NAZWA --server URL"))
            for name, item in sorted(current.profiles.items()):
                where = "demo" if item.demo else item.server
                customer = (
                    _(" (kod nabywcy {customer})", customer=item.customer) if item.customer else ""
                )
                say(f"{name}\t{where}{customer}")
            return 0
        if args.profile_command == "add":
            item = cfg.ProfileConfig(
                name=args.name,
                server=args.server or "",
                demo=bool(args.demo),
                customer=args.customer,
                ca_file=args.ca_file,
            )
            path = cfg.save(cfg.with_profile(current, item))
            say(_("Zapisano profil {name} w {path}", name=args.name, path=path))
            return 0
        cfg.save(cfg.without_profile(current, args.name))
        from .credentials import CredentialStore

        store = CredentialStore(args.name)
        remembered = store.load()
        if remembered is not None:
            store.forget(remembered.customer)
        say(_("Usunięto profil {name}", name=args.name))
        return 0
    except cfg.ConfigError as error:
        say(f"ibok: {error}", error=True)
        return 2


def _apply_profile(args: argparse.Namespace) -> tuple[Any, Any] | None:
    """The configuration and the chosen profile; the profile's demo/server fill the args."""
    from . import config as cfg

    try:
        current = cfg.load()
        # ids, keys and the theme checked against the app's (Textual only when not default)
        if current.keys:
            from .keymap import check_keymap

            check_keymap(current.keys, cfg.config_path())
        if current.settings.theme != cfg.Settings().theme:
            from .keymap import check_theme

            check_theme(current.settings.theme, cfg.config_path())
    except cfg.ConfigError as error:
        say(f"ibok: {error}", error=True)
        return None
    from .i18n import set_language

    set_language(current.settings.language)
    found = cfg.chosen_profile(
        current, args.profile, demo=bool(args.demo), server=args.server or ""
    )
    if found is None:
        say(
            "ibok: " + _("nie ma profilu {name} (ibok profile list)", name=repr(args.profile)),
            error=True,
        )
        return None
    chosen, args.demo, args.server = found.profile, found.demo, found.server or None
    return current, chosen


def _add_web_commands(sub: Any) -> None:
    web = sub.add_parser(
        "web",
        help=_("konsola w przeglądarce (textual-serve)"),
        description=_("Przykład: ibok web --port 8000 -- --demo --kiosk"),
    )
    web.add_argument("--host", default="127.0.0.1", help=_("adres (domyślnie 127.0.0.1)"))
    web.add_argument("--port", type=int, default=8000)
    web.add_argument("console_args", nargs=argparse.REMAINDER, help=_("-- opcje konsoli"))
    sub.add_parser("kiosk-pin", help=_("skrót PIN-u zamykającego kiosk, do pliku konfiguracji"))


def _web(args: argparse.Namespace) -> int:
    import shlex

    try:
        from textual_serve.server import Server
    except ImportError:
        say(_("ibok web wymaga dodatku: pip install 'ibok-tui[web]'"), error=True)
        return 2
    passed = list(args.console_args)
    if passed[:1] == ["--"]:
        passed = passed[1:]
    command = shlex.join([sys.executable, "-m", "ibok_tui.cli", *passed])
    say(_("iBOK w przeglądarce: {url}", url=f"http://{args.host}:{args.port}"), error=True)
    Server(command, host=args.host, port=args.port, title="iBOK").serve()
    return 0


def _kiosk_pin() -> int:
    from getpass import getpass

    from .session.kiosk import hash_pin

    pin = getpass("PIN: ")
    if len(pin) < 4 or pin != getpass(_("PIN ponownie: ")):
        say(_("PIN-y różnią się albo PIN ma mniej niż 4 znaki."), error=True)
        return 2
    say(f'[kiosk]\npin_hash = "{hash_pin(pin)}"')
    return 0


def _console(args: argparse.Namespace) -> int:
    import gc

    # No cyclic garbage collection until the first frame: start-up makes many objects
    # and few cycles; the app freezes what exists and turns it back on (IbokApp).
    gc.disable()
    applied = _apply_profile(args)
    if applied is None:
        gc.enable()
        return 2
    if not args.demo and not args.server:
        build_parser().print_help()  # with the subcommands
        say(_("\nPodaj --demo albo --server URL."), error=True)
        return 2

    config, profile = applied
    kiosk_mode = bool(args.kiosk or profile.kiosk)
    with contextlib.ExitStack() as cleanup:
        if args.demo and kiosk_mode:  # a kiosk keeps no demo store once it closes
            from .session.kiosk import private_folder

            args.data_dir = cleanup.enter_context(private_folder())
        return _run_console(args, config, profile, kiosk_mode)


def _run_console(args: argparse.Namespace, config: Any, profile: Any, kiosk_mode: bool) -> int:
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
        from .backends.http import HttpBackend

        backend = HttpBackend(args.server, ca_file=profile.ca_file or None)  # type: ignore[assignment]
        if not kiosk_mode:  # what the tabs showed, kept for when the server is away
            from .backends.offline import OfflineBackend

            clock = fixed_clock_from_env()
            backend = OfflineBackend(backend, clock=clock)  # type: ignore[arg-type, assignment]
    from .credentials import CredentialStore

    kiosk = None
    if kiosk_mode:
        from .session.kiosk import KioskPolicy

        kiosk = KioskPolicy(config.kiosk.idle_seconds, config.kiosk.pin_hash)
    app = IbokApp(
        backend,
        config=config,
        profile=profile.name,
        credentials=None if kiosk else CredentialStore(profile.name),
        demo=bool(args.demo),
        prefill_customer=profile.customer,
        kiosk=kiosk,
        clock=fixed_clock_from_env(),  # type: ignore[arg-type]
    )
    app.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
