"""The options of `ibok serve` and of the commands beside it (`ibok migrate`, `ibok notify`,
the exchange commands): where the store is, where the mail goes, and each option's check of
its value, which refuses a bad one with its words before anything starts."""

from __future__ import annotations

import argparse
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path

from ..i18n import _

DEFAULT_PORT = 8765


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("adres nasłuchu (domyślnie 127.0.0.1)")
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=_("port (domyślnie 8765)"))
    parser.add_argument(
        "--workers",
        type=positive,
        default=1,
        metavar="N",
        help=_(
            "procesów serwera nad jedną bazą (domyślnie 1); sesje, klucze idempotencji"
            " i limity są w bazie, wspólne dla wszystkich"
        ),
    )
    add_db_argument(parser)
    parser.add_argument(
        "--demo", action="store_true", help=_("pusta baza: wypełnij danymi demonstracyjnymi")
    )
    parser.add_argument("--tls-cert", type=Path, help=_("certyfikat TLS (PEM)"))
    parser.add_argument("--tls-key", type=Path, help=_("klucz prywatny TLS (PEM)"))
    add_mail_arguments(parser)
    parser.add_argument(
        "--routing",
        type=Path,
        metavar="PLIK",
        help=_(
            "plik TOML: grupy adresów wodociągów i rodzaje zgłoszeń, które do nich trafiają"
            " (domyślnie ustawienie routing w bazie)"
        ),
    )
    parser.add_argument(
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        type=network,
        help=_(
            "adres lub sieć (CIDR) pośrednika, któremu wierzyć w X-Forwarded-For;"
            " można powtarzać (domyślnie żaden)"
        ),
    )
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help=_("dziennik na stderr: wiersze tekstu (domyślnie) albo JSON Lines"),
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
            help=_("limit na adres klienta, np. {default} (na minutę, pula)", default=default),
        )

    parser.add_argument(
        "--integration-key-file",
        type=Path,
        metavar="PLIK",
        help=_(
            "plik z kluczem systemu bilingowego (co najmniej 32 znaki): otwiera"
            " /api/v1/integration/…; bez niego tych adresów nie ma"
        ),
    )
    parser.add_argument(
        "--scan-max-mb",
        type=positive,
        default=10,
        metavar="MB",
        help=_("największy plik skanu umowy (domyślnie 10 MB)"),
    )
    parser.add_argument(
        "--scan-quota-count",
        type=positive,
        default=20,
        metavar="N",
        help=_("skanów jednego klienta czekających na przyjęcie (domyślnie 20)"),
    )
    parser.add_argument(
        "--scan-quota-mb",
        type=positive,
        default=50,
        metavar="MB",
        help=_("ich łączny rozmiar (domyślnie 50 MB)"),
    )


def add_mail_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the mail goes (`--smtp`, else `--outbox`) and the notices' SMS
    (`--sms-gateway`, portal/sms.py): `ibok serve`'s and `ibok notify`'s."""
    parser.add_argument(
        "--smtp",
        metavar="URL",
        help=_("smtp://host:port do wysyłki poczty (domyślnie folder outbox)"),
    )
    parser.add_argument("--outbox", type=Path, help=_("folder poczty (domyślnie obok bazy)"))
    parser.add_argument(
        "--sms-gateway",
        metavar="URL",
        type=_gateway_url,
        help=_(
            "adres http(s):// bramki SMS: powiadomienia SMS idą do niej jako POST JSON"
            " (bez niej SMS-ów nie ma)"
        ),
    )


def _gateway_url(text: str) -> str:
    from urllib.parse import urlparse

    parsed = urlparse(text.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise argparse.ArgumentTypeError(_("podaj adres http:// lub https:// bramki SMS"))
    return text.strip()


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    """`--db`: a SQLite file, or a PostgreSQL server's `postgresql://` URL."""
    from ..portal.store import store_location

    parser.add_argument(
        "--db",
        type=store_location,
        metavar="PLIK|URL",
        help=_(
            "plik bazy SQLite (domyślnie w katalogu danych użytkownika)"
            " albo adres postgresql://użytkownik@host/baza"
        ),
    )


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 0 < value <= 100_000:
        raise argparse.ArgumentTypeError(
            _("podaj liczbę całkowitą od 1 do 100000, nie {text}", text=repr(text))
        )
    return value


def network(text: str) -> IPv4Network | IPv6Network:
    import ipaddress

    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _(
                "{text} nie jest adresem IP ani siecią CIDR (np. 10.0.0.5, 10.0.0.0/8)",
                text=repr(text),
            )
        ) from None


def default_db() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("ibok", appauthor=False)) / "server" / "ibok.sqlite"
