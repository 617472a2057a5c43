"""The commands that do something: submit-reading, request new, invoice pdf, pay.

A refusal exits with the status of its kind (exits.py) and names the field on stderr, as
the form would have shown it; nothing is written to a file unless the whole answer came.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import _, label, money
from .exits import UsageError
from .output import add_output_options, print_table, write_json
from .parsers import command_parser
from .reading import chosen_meters, day_argument, enum_values
from .runner import complain, run

if TYPE_CHECKING:
    from ..backends.base import Backend

MAX_BODY_FILE = 64 * 1024  # far more than a request's body may hold: the server bounds it


def add(sub: Any) -> None:
    submit = command_parser(sub, "submit-reading", _("podaj odczyt wodomierza"))
    submit.add_argument("meter", help=_("numer lub ID wodomierza (ibok meters)"))
    submit.add_argument("value", help=_("wskazanie w m³, np. 123,456"))
    submit.add_argument("--date", type=day_argument, help=_("dzień odczytu (domyślnie dziś)"))
    submit.add_argument(
        "--meter-replaced",
        action="store_true",
        help=_("wodomierz wymieniony: wskazanie może być niższe od poprzedniego"),
    )
    submit.add_argument(
        "--confirm-jump", action="store_true", help=_("potwierdź duży skok zużycia")
    )
    add_output_options(submit)
    submit.set_defaults(run_command=lambda args: run(_submit_reading, args))

    request = sub.add_parser("request", help=_("zgłoszenia: ibok request new ..."))
    actions = request.add_subparsers(dest="request_command", required=True)
    new = command_parser(actions, "new", _("złóż zgłoszenie"))
    new.add_argument("--category", required=True, choices=enum_values("RequestCategory"))
    new.add_argument("--subject", required=True, help=_("temat"))
    new.add_argument(
        "--body-file", required=True, type=Path, help=_("plik z treścią (- to wejście)")
    )
    new.add_argument("--meter", default="", help=_("wodomierz, którego dotyczy"))
    add_output_options(new)
    new.set_defaults(run_command=lambda args: run(_new_request, args))

    invoice = sub.add_parser("invoice", help=_("faktura: ibok invoice pdf NUMER -o PLIK"))
    verbs = invoice.add_subparsers(dest="invoice_command", required=True)
    pdf = command_parser(verbs, "pdf", _("zapisz fakturę jako PDF"))
    pdf.add_argument("number", help=_("numer faktury"))
    pdf.add_argument("-o", "--output", required=True, help=_("plik PDF (- to wyjście)"))
    pdf.set_defaults(run_command=lambda args: run(_invoice_pdf, args))

    pay = command_parser(sub, "pay", _("dane przelewu i kod QR płatności"))
    pay.add_argument("number", nargs="?", default=None, help=_("numer faktury (bez: całe saldo)"))
    pay.add_argument("--qr-png", type=Path, help=_("zapisz kod QR jako obraz PNG"))
    add_output_options(pay)
    pay.set_defaults(run_command=lambda args: run(_pay, args))


async def _submit_reading(backend: Backend, args: argparse.Namespace) -> None:
    from ..domain.models import ReadingSubmission

    meter = (await chosen_meters(backend, args.meter))[0]
    reading = await backend.submit_reading(
        ReadingSubmission(
            meter_id=meter.id,
            value=args.value,
            read_on=args.date,
            confirm_meter_change=args.meter_replaced,
            confirm_jump=args.confirm_jump,
        )
    )
    if args.json:
        write_json(reading)
        return
    from ..i18n import cubic_metres, day

    say(
        _(
            "Przyjęto odczyt {index} wodomierza {serial} z {date} ({status}).",
            index=cubic_metres(reading.index),
            serial=meter.serial,
            date=day(reading.read_on),
            status=label(reading.status),
        )
    )


def read_body(path: Path, args: argparse.Namespace) -> str:
    """The request's text from the file (or stdin), UTF-8, bounded."""
    if str(path) == "-":
        if getattr(args, "password_stdin", False):
            raise UsageError(_("--body-file -: wejście podaje już hasło (--password-stdin)."))
        data = sys.stdin.buffer.read(MAX_BODY_FILE + 1)
    else:
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_BODY_FILE + 1)
        except OSError as error:
            raise UsageError(
                _("--body-file: nie można odczytać {path}: {error}", path=str(path), error=error)
            ) from None
    if len(data) > MAX_BODY_FILE:
        raise UsageError(_("--body-file: plik jest za duży."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(_("--body-file: plik nie jest tekstem UTF-8.")) from None


async def _new_request(backend: Backend, args: argparse.Namespace) -> None:
    from ..domain.models import RequestCategory, RequestDraft

    body = read_body(args.body_file, args)
    meter_id = (await chosen_meters(backend, args.meter))[0].id if args.meter else None
    created = await backend.create_request(
        RequestDraft(RequestCategory(args.category), args.subject, body, meter_id)
    )
    if args.json:
        write_json(created)
        return
    say(_("Złożono zgłoszenie {number}.", number=created.number))


def write_whole(target: str, content: bytes) -> None:
    """The file written whole or not at all (a temporary file renamed over it)."""
    if target == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    import os
    import tempfile  # only when a file is written (start-up time)

    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".ibok-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise UsageError(_("nie można zapisać {path}: {error}", path=target, error=error)) from None


async def _invoice_pdf(backend: Backend, args: argparse.Namespace) -> None:
    content = await backend.invoice_pdf(args.number)
    write_whole(args.output, content)
    if args.output != "-":
        complain(_("Zapisano {path}", path=args.output))


async def _pay(backend: Backend, args: argparse.Namespace) -> None:
    from ..domain.payments import format_nrb

    details = await backend.payment_details(args.number)
    if args.qr_png is not None:
        from ..drawing import qr_png

        try:
            qr_png(details.qr_payload, args.qr_png)
        except OSError as error:
            raise UsageError(
                _("nie można zapisać {path}: {error}", path=str(args.qr_png), error=error)
            ) from None
    if args.json:
        write_json(details)
        return
    rows: list[tuple[object, ...]] = [
        (_("Odbiorca"), details.recipient),
        (_("Adres"), details.recipient_address),
        (_("Numer konta"), format_nrb(details.account)),
        (_("Tytuł"), details.title),
        (_("Kwota"), money(details.amount)),
    ]
    if details.online_url:
        rows.append((_("Płatność online"), details.online_url))
    print_table(_("Zapłać przelewem"), ("", ""), rows)
    if details.qr_payload and args.qr_png is None:
        from rich.console import Console

        from ..drawing import qr_text

        Console().print(qr_text(details.qr_payload))
        say(_("Zeskanuj kod aplikacją banku (kod płatności ZBP) albo przepisz dane przelewu."))


def say(text: str) -> None:
    """A line for a person on stdout, its control characters made visible."""
    from ..domain.text import visible

    print(visible(text), flush=True)
