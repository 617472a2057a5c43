"""The domain's codes in words: what the console shows and, below the UI layers, what the
portal may write (this package imports only the domain, so the portal can use it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from . import cubic_metres, day, decimal, n_, translated
from .markers import N_

if TYPE_CHECKING:  # Pulpit, the first frame of a remembered session, imports this module
    from ..domain.analytics import Anomaly
    from ..domain.models import Alert

_WHOLE = Decimal(1)
EXPIRED = N_("Legalizacja wodomierza {serial} wygasła {date}: wodociągi wymienią go.")
EXPIRING = N_("Legalizacja wodomierza {serial} wygasa {date} (za mniej niż {days} dni).")
OVERDUE = N_("Masz zaległe płatności.")


def anomaly_text(anomaly: Anomaly, language: str | None = None) -> str:
    """A night flow or a spike in `language`, else the console's."""
    from ..domain.analytics import NightFlow, Spike

    params = anomaly.params
    if isinstance(params, NightFlow):
        return night_flow_text(params.nights, params.least_per_hour, language)
    assert isinstance(params, Spike)
    return spike_text(anomaly.litres, params.days, params.usual_per_day, language)


def anomaly_params(anomaly: Anomaly) -> dict[str, str]:
    """An anomaly's numbers as an alert's `params` (what `alert_text` words)."""
    from ..domain.analytics import NightFlow, Spike

    params = anomaly.params
    if isinstance(params, NightFlow):
        return {"nights": str(params.nights), "least": str(params.least_per_hour)}
    assert isinstance(params, Spike)
    usual = str(params.usual_per_day.quantize(_WHOLE))
    return {"litres": str(anomaly.litres), "days": str(params.days), "usual": usual}


def night_flow_text(nights: int, least_per_hour: int, language: str | None = None) -> str:
    return n_(
        "Przepływ w każdej godzinie nocnej (01:00–05:00) przez {count} noc, "
        "co najmniej {least} l/h. Możliwy wyciek.",
        "Przepływ w każdej godzinie nocnej (01:00–05:00) przez {count} kolejnych nocy, "
        "co najmniej {least} l/h. Możliwy wyciek.",
        nights,
        language=language,
        least=least_per_hour,
    )


def spike_text(litres: int, days: int, usual_per_day: Decimal, language: str | None = None) -> str:
    return n_(
        "Zużycie {volume} m³ w {count} dzień, średnio {per_day} l/dzień wobec zwykłych "
        "{usual} l/dzień.",
        "Zużycie {volume} m³ w {count} dni, średnio {per_day} l/dzień wobec zwykłych "
        "{usual} l/dzień.",
        days,
        language=language,
        volume=cubic_metres(litres, unit=False, language=language),
        per_day=_whole(Decimal(litres) / days, language),
        usual=_whole(usual_per_day, language),
    )


def legalization_text(
    serial: str, expires: date, expired: bool, days: int, language: str | None = None
) -> str:
    """A meter's legalization that has ended, or ends within `days`."""
    message = translated(EXPIRED if expired else EXPIRING, language)
    return message.format(serial=serial, date=day(expires, language=language), days=days)


def alert_text(alert: Alert, language: str | None = None) -> str:
    """A Pulpit alert from its kind and params in `language` (else the console's); the
    alert's own message when its params are not what this kind needs (another server)."""
    params = alert.params
    try:
        if alert.kind == "night_flow":
            return night_flow_text(int(params["nights"]), int(params["least"]), language)
        if alert.kind == "spike":
            litres, days = int(params["litres"]), int(params["days"])
            return spike_text(litres, days, Decimal(str(params["usual"])), language)
        if alert.kind == "legalization":
            expires = date.fromisoformat(str(params["date"]))
            expired = params["state"] == "expired"
            return legalization_text(
                str(params["serial"]), expires, expired, int(params["days"]), language
            )
        if alert.kind == "overdue":
            return translated(OVERDUE, language)
    except (KeyError, ValueError, InvalidOperation, ZeroDivisionError):
        pass
    return alert.message


# the portal's e-mails by kind: (subject, body), filled with the mail's params
MAILS: dict[str, tuple[str, str]] = {
    "password_reset": (
        N_("iBOK: ustawienie nowego hasła"),
        N_(
            "Otrzymaliśmy prośbę o ustawienie nowego hasła do iBOK.\n\n"
            "Kod jednorazowy: {token}\n"
            "Link: {url}/reset?token={token}\n\n"
            "Kod jest ważny przez godzinę i można go użyć tylko raz. Jeśli to nie Ty, "
            "zignoruj tę wiadomość."
        ),
    ),
    "registration": (
        N_("iBOK: potwierdź rejestrację konta"),
        N_(
            "Dziękujemy za rejestrację w iBOK.\n\n"
            "Kod aktywacyjny: {token}\n"
            "Link: {url}/activate?token={token}\n\n"
            "Kod jest ważny 72 godziny. Konto może też aktywować Biuro Obsługi Klienta."
        ),
    ),
    "password_link": (
        N_("iBOK: ustaw nowe hasło"),
        N_(
            "Biuro Obsługi Klienta wysłało link do ustawienia nowego hasła do iBOK.\n\n"
            "Kod jednorazowy: {token}\n"
            "Link: {url}/reset?token={token}\n\n"
            "Kod jest ważny 72 godziny i można go użyć tylko raz. Dotychczasowe hasło już nie"
            " działa."
        ),
    ),
    "request_routed": (
        N_("Zgłoszenie {number} ({category}): {subject}"),
        N_(
            "Nowe zgłoszenie z iBOK.\n\n"
            "Numer: {number}\n"
            "Rodzaj: {category}\n"
            "Temat: {subject}\n"
            "Wodomierz: {meter}\n"
            "Przyjęto: {created}\n"
            "Termin odpowiedzi: {due}\n\n"
            "{body}\n\n"
            "-- \n"
            "Nadawca: {name}\n"
            "Kod nabywcy: {customer_number}\n"
            "E-mail: {email}\n"
            "Telefon: {phone}\n"
            "Adres: {address}\n"
            "{acting}"
            "Odpowiedź w iBOK: Kolejka, Zgłoszenia."
        ),
    ),
    "request_reply": (
        N_("iBOK: odpowiedź w sprawie zgłoszenia {number}"),
        N_(
            "Biuro Obsługi Klienta odpowiedziało na Twoje zgłoszenie {number} ({subject}).\n\n"
            "Status: {status}\n\n"
            "{text}\n\n"
            "Odpowiedź i całą historię zgłoszenia znajdziesz w iBOK, w zakładce Zgłoszenia."
            " Tę wiadomość wysłaliśmy, bo wyrażono zgodę na powiadomienia e-mail; można ją"
            " wycofać w Ustawieniach."
        ),
    ),
    "readings_digest": (
        N_("iBOK: nowe odczyty do importu ({count})"),
        N_(
            "Od {since} klienci podali w iBOK nowe odczyty: {count}.\n\n"
            "{lines}\n\n"
            "Odczyty czekają na import w Kolejce (Odczyty)."
        ),
    ),
    "terms_published": (
        N_("iBOK: nowy regulamin od {effective_from}"),
        N_(
            "Wodociągi opublikowały nową wersję regulaminu iBOK ({version}). Obowiązuje od"
            " {effective_from}.\n\n"
            "Co się zmienia:\n{changes}\n\n"
            "Pełny tekst przeczytasz w iBOK ({url}) i na ekranie logowania. Przy pierwszym"
            " logowaniu od tego dnia poprosimy o akceptację; jeśli jej nie chcesz, możesz"
            " rozwiązać umowę o świadczenie usług drogą elektroniczną.\n\n"
            "Wiadomość wysyłamy, bo zgodziłeś się na powiadomienia e-mail."
        ),
    ),
    "contract_end": (
        N_("iBOK: umowa na dostawę wody zakończona, konto zostanie wyłączone"),
        N_(
            "Wodociągi zapisały zakończenie Twojej umowy na dostawę wody z dniem {ended}.\n\n"
            "Konto iBOK zostanie wyłączone {date} o godz. {time}. Do tego czasu pobierz"
            " swoje e-faktury: w iBOK (Pulpit lub Faktury) jednym archiwum ZIP ze wszystkimi"
            " fakturami PDF.\n"
            "Link: {url}\n\n"
            "Po wyłączeniu konta usuniemy Twój adres e-mail, telefon, zgody i hasło. Faktury"
            " przechowujemy przez okres wymagany prawem; ich kopie wyda Biuro Obsługi Klienta."
        ),
    ),
    # the notices (portal/notify.py); every one says why it was sent and how to stop it
    "notice_invoice": (
        N_("iBOK: nowa faktura {number}"),
        N_(
            "Wystawiliśmy fakturę {number} na kwotę {amount}, płatną do {due}.\n\n"
            "Fakturę zobaczysz i pobierzesz w iBOK ({url}), w zakładce Faktury.\n\n"
            "{footer}"
        ),
    ),
    "notice_e_invoice": (
        N_("iBOK: e-faktura {number}"),
        N_(
            "W załączniku przesyłamy e-fakturę {number} na kwotę {amount}, płatną do {due}.\n\n"
            "Fakturę znajdziesz też w iBOK ({url}), w zakładce Faktury. Wiadomość wysyłamy,"
            " bo wyrażono zgodę na e-fakturę; można ją wycofać w Ustawieniach."
        ),
    ),
    "notice_payment_due": (
        N_("iBOK: termin płatności faktury {number} mija {due}"),
        N_(
            "Przypominamy: do zapłaty za fakturę {number} pozostało {amount}, termin mija"
            " {due}.\n\nDane do przelewu i kod QR znajdziesz w iBOK ({url}), w zakładce"
            " Rozrachunki. Jeśli już zapłacono, prosimy zignorować tę wiadomość.\n\n{footer}"
        ),
    ),
    "notice_overdue": (
        N_("iBOK: zaległa płatność za fakturę {number}"),
        N_(
            "Termin płatności faktury {number} minął {due}; do zapłaty pozostało {amount}.\n\n"
            "Dane do przelewu znajdziesz w iBOK ({url}), w zakładce Rozrachunki. Jeśli już"
            " zapłacono, prosimy zignorować tę wiadomość.\n\n{footer}"
        ),
    ),
    "notice_legalization": (
        N_("iBOK: legalizacja wodomierza {serial} kończy się {date}"),
        N_(
            "Legalizacja wodomierza {serial} kończy się {date}. Wodociągi wymienią wodomierz"
            " przed tym dniem; skontaktujemy się, by ustalić termin.\n\n{footer}"
        ),
    ),
    "notice_works": (
        N_("iBOK: {title}"),
        N_(
            "Komunikat wodociągów dotyczący Twojej ulicy: {title}\n\n"
            "Obszar: {area}\nOd: {from}\nDo: {to}\n\n"
            "Pełną treść komunikatu znajdziesz w iBOK ({url}), na Pulpicie.\n\n{footer}"
        ),
    ),
    "notice_reading_window": (
        N_("iBOK: podaj odczyt wodomierza"),
        N_(
            "Rozpoczął się okres rozliczeniowy {period}. Odczyt wodomierza za poprzedni okres"
            " podasz w iBOK ({url}), w zakładce Odczyty.\n\n{footer}"
        ),
    ),
}

NOTICE_FOOTER = N_(
    "Wiadomość wysyłamy, bo wyrażono zgodę na powiadomienia e-mail; można ją wycofać"
    " w iBOK, w Ustawieniach."
)

# the notices' SMS texts (one line each), by topic
SMS: dict[str, str] = {
    "invoice": N_("iBOK: nowa faktura {number} na {amount}, płatna do {due}."),
    "payment_due": N_("iBOK: termin płatności faktury {number} ({amount}) mija {due}."),
    "overdue": N_("iBOK: minął termin płatności faktury {number}; do zapłaty {amount}."),
    "legalization": N_("iBOK: legalizacja wodomierza {serial} kończy się {date}."),
    "works": N_("iBOK: {title} ({from} – {to})."),
    "reading_window": N_("iBOK: okres {period}: podaj odczyt wodomierza w iBOK."),
}


def mail_text(kind: str, language: str = "pl", **params: object) -> tuple[str, str]:
    """The subject and body of a portal e-mail of `kind`, in `language` (Polish: the
    utility writes to its customers in Polish)."""
    subject, body = MAILS[kind]
    if "{footer}" in body:
        params = {"footer": translated(NOTICE_FOOTER, language), **params}
    return (
        translated(subject, language).format(**params),
        translated(body, language).format(**params),
    )


def _whole(value: Decimal, language: str | None) -> str:
    return decimal(value.quantize(_WHOLE), language)


INVOICE_TITLES: dict[str, str] = {
    "correction": N_("Faktura korygująca {number}"),
    "interest_note": N_("Nota odsetkowa {number}"),
}
INVOICE_TITLE = N_("Faktura {number}")


def invoice_title(kind: str, number: str, language: str | None = None) -> str:
    """A document's title as it is named in law and on paper: a korekta is a "Faktura
    korygująca" (ustawa o VAT, art. 106j), an interest note a "Nota odsetkowa"; `kind` is an
    InvoiceKind's value."""
    return translated(INVOICE_TITLES.get(kind, INVOICE_TITLE), language).format(number=number)
