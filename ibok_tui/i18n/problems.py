"""The backend's refusals in words: one table from a code to its message, rendered with the
error's parameters in Polish or English.

The portal, the domain's rules and the server raise errors with a stable `code` and their
numbers, dates and names as `params` (domain/errors.py); nothing below this module writes the
sentence. The same table serves the console (`error_text`, in the console's language), the
server's `detail` texts (`render` with the language asked for) and the live checks of forms,
so one refusal reads the same wherever it is shown. A field error is looked up as
`<field>.<code>` first, then as `<code>.<param>` for a parameter it has (one code, two
meanings told apart by their data), then as `code`. A code the table does not know (a
server of another version) is shown with the text that came with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..domain.errors import FieldError, IbokError, LoginFailed, ValidationFailed
from . import _, cubic_metres, day, decimal, get_language, moment, translated, translations
from .markers import N_


@dataclass(frozen=True, slots=True)
class Plural:
    """A message that agrees with the number in `params[count]` (Polish: one, few, many);
    the extractor reads it as `n_` (i18n/catalogue.py)."""

    singular: str
    plural: str
    count: str


_NOT_PENDING = N_("Konto nie czeka na aktywację.")

# code (or <field>.<code>) -> the message, a Polish message id of the catalogue
MESSAGES: dict[str, str | Plural] = {
    # signing in and sessions
    "login_failed": N_("Nieprawidłowy kod nabywcy lub hasło."),
    "login_failed.captcha": N_(
        "Nieprawidłowy kod nabywcy lub hasło. Rozwiąż też zadanie potwierdzające."
    ),
    "captcha_required": N_("Rozwiąż zadanie potwierdzające, aby się zalogować."),
    "hashing_busy": N_("Serwer jest zajęty sprawdzaniem haseł. Spróbuj ponownie za chwilę."),
    "account_locked": N_("Zbyt wiele nieudanych prób. Spróbuj ponownie za {seconds} s."),
    "account_pending": N_("Konto czeka na aktywację: użyj linku z e-maila lub poczekaj na BOK."),
    "account_blocked": N_(
        "Dostęp do konta jest zablokowany. Skontaktuj się z Biurem Obsługi Klienta."
    ),
    "account_deactivated": N_(
        "Konto iBOK zostało wyłączone {date} po zakończeniu umowy na dostawę wody, a dane"
        " kontaktowe usunięte. Faktury i rozliczenia są dostępne w Biurze Obsługi Klienta."
    ),
    "authentication_required": N_("Zaloguj się, aby kontynuować."),
    "no_credentials": N_(
        "Brak zapamiętanej sesji: podaj hasło przez --password-stdin albo zmienną {env}"
        " (albo zaloguj się w konsoli z opcją „zapamiętaj”)."
    ),
    "session_unknown": N_("Sesja nie istnieje. Zaloguj się ponownie."),
    "session_expired": N_("Sesja wygasła. Zaloguj się ponownie."),
    "customer_only": N_("Ta operacja jest dostępna tylko dla klienta."),
    "operator_only": N_("Ta operacja jest dostępna tylko dla pracownika BOK."),
    "password_change_required": N_("Najpierw zmień hasło wygenerowane przez wodociągi."),
    # the terms' life cycle (portal/terms.py)
    "terms_acceptance_required": N_(
        "Obowiązuje nowa wersja regulaminu iBOK ({version}): przeczytaj ją i zaakceptuj, aby"
        " dalej korzystać z iBOK, albo rozwiąż umowę."
    ),
    "terms_not_current": N_(
        "Obowiązuje inna wersja regulaminu ({version}): przeczytaj ją i zaakceptuj tę wersję."
    ),
    "terms_customer_only": N_(
        "Regulamin akceptuje sam klient: pracownik BOK nie może go zaakceptować w jego imieniu."
    ),
    "terms_version_exists": N_(
        "Wersja regulaminu {version} jest już opublikowana: nadaj nowej wersji inny numer."
    ),
    "version.required": N_("Podaj numer wersji regulaminu."),
    "in_the_past": N_("Data wejścia w życie nie może być wcześniejsza niż dzisiejsza."),
    "rate_limited": N_("Zbyt wiele prób. Spróbuj ponownie za {seconds} s."),
    # passwords (domain/passwords.py)
    "too_short": Plural(
        "Hasło musi mieć co najmniej {count} znak.",
        "Hasło musi mieć co najmniej {count} znaków.",
        "min_length",
    ),
    "too_long.max_length": Plural(
        "Hasło może mieć najwyżej {count} znak.",
        "Hasło może mieć najwyżej {count} znaków.",
        "max_length",
    ),
    "no_upper": N_("Hasło musi zawierać co najmniej jedną wielką literę."),
    "no_lower": N_("Hasło musi zawierać co najmniej jedną małą literę."),
    "no_digit": N_("Hasło musi zawierać co najmniej jedną cyfrę."),
    "no_special": N_("Hasło musi zawierać co najmniej jeden znak specjalny (np. ! # % &)."),
    "password.wrong_password": N_("Hasło jest nieprawidłowe."),
    "old_password.wrong_password": N_("Obecne hasło jest nieprawidłowe."),
    "same_as_old": N_("Nowe hasło musi różnić się od obecnego."),
    "mismatch": N_("Hasła w obu polach muszą być takie same."),
    # registration, reset and the account
    "invalid_token": N_("Kod jest nieprawidłowy, wygasł lub został użyty."),
    "no_match": N_("Podane dane nie zgadzają się z naszą ewidencją albo konto już istnieje."),
    "terms_required": N_("Zaakceptuj aktualny regulamin iBOK."),
    "wrong_captcha": N_("Zadanie potwierdzające nie zostało rozwiązane albo wygasło."),
    "not_pending": _NOT_PENDING,
    "account_not_found": N_("Nie znaleziono konta."),
    "required": N_("To pole jest wymagane."),
    "invalid_email": N_("Podaj poprawny adres e-mail."),
    "e_invoice_email.invalid_email": N_("Podaj adres e-mail, na który mają przychodzić e-faktury."),
    "invalid_phone": N_("Podaj numer telefonu (9–15 cyfr)."),
    "invalid_postal_code": N_("Kod pocztowy ma postać 00-000."),
    # files and scans
    "unsupported_type": N_("Dołącz plik PDF, JPG lub PNG."),
    "empty": N_("Plik jest pusty."),
    "too_large": N_("Plik jest za duży (najwięcej {limit})."),
    "unreadable": N_(
        "Pliku nie da się odczytać jako {type}: zapisz skan ponownie i dołącz go jeszcze raz."
    ),
    "filename.too_long": N_("Nazwa pliku jest za długa (najwięcej {limit} znaków): skróć ją."),
    "scan_count_limit": N_(
        "Na przyjęcie czeka już najwięcej skanów ({limit}): wycofaj niepotrzebny skan albo"
        " poczekaj, aż wodociągi je przyjmą."
    ),
    "scan_bytes_limit": N_(
        "Skany czekające na przyjęcie zajęłyby więcej niż {limit}: wycofaj niepotrzebny skan"
        " albo poczekaj, aż wodociągi je przyjmą."
    ),
    "scan_accepted": N_(
        "Wodociągi przyjęły już ten skan: nie można go wycofać. W sprawie zmian skontaktuj się"
        " z BOK."
    ),
    "scan_status_not_allowed": N_(
        "Obieg dokumentów nie pozwala na taką zmianę statusu tego skanu (zaakceptowanego nie"
        " można odrzucić, zarchiwizowany zostaje w archiwum). Odśwież listę: ktoś mógł go już"
        " zmienić."
    ),
    "request_already_open": N_(
        "Zgłoszenie tego rodzaju dla tego wodomierza jest już w toku ({number}): drugiego nie"
        " złożysz, dopóki BOK go nie załatwi. Jego stan jest w zakładce Zgłoszenia."
    ),
    # not found
    "customer_not_found": N_("Nie znaleziono klienta."),
    "contract_not_found": N_("Nie znaleziono umowy."),
    "document_not_found": N_("Nie znaleziono dokumentu."),
    "scan_not_found": N_("Nie znaleziono skanu."),
    "meter_not_found": N_("Nie znaleziono wodomierza."),
    "invoice_not_found": N_("Nie znaleziono faktury."),
    "reading_not_found": N_("Nie znaleziono odczytu."),
    "request_not_found": N_("Nie znaleziono zgłoszenia."),
    "setting_missing": N_("Brak ustawienia {key}."),
    # the end of the supply contract
    "no_account_to_deactivate": N_(
        "Klient nie ma konta iBOK, które można by wyłączyć (brak konta, usunięte albo już"
        " wyłączone)."
    ),
    "contract_end_recorded": N_(
        "Zakończenie umowy jest już zapisane, z datą {date}. W sprawie zmiany daty skontaktuj"
        " się z działem rozliczeń."
    ),
    "contract_end_too_late": N_("Data zakończenia umowy może być najpóźniej {max}."),
    "grace_out_of_range": N_("Podaj liczbę od {low} do {high}."),
    # billing
    "nothing_to_pay": N_("Nie ma nic do zapłaty."),
    # meters and readings: the form's live check and the server word them alike
    "not_available": N_("Ten wodomierz nie ma danych godzinowych ani dobowych."),
    "meter_not_active": N_("Dla tego wodomierza nie można podać odczytu: nie jest czynny."),
    "reading_not_pending": N_(
        "Odczyt został już przyjęty przez wodociągi albo wycofany: nie można go zmienić."
    ),
    "reading_imported": N_("Odczyt został już przyjęty przez wodociągi i nie można go zmienić."),
    "reading_imported_withdraw": N_(
        "Odczyt został już przyjęty przez wodociągi i nie można go wycofać."
    ),
    "value.empty": N_("Podaj stan wodomierza."),
    "not_a_number": N_("Stan wodomierza musi być liczbą, np. 123,456 (m³)."),
    "value.negative": N_("Stan wodomierza nie może być ujemny."),
    "too_many_decimals": N_("Stan wodomierza może mieć najwyżej 3 miejsca po przecinku."),
    "value.too_large": N_("Stan wodomierza nie może przekraczać 99 999,999 m³."),
    "value.out_of_range": N_("Stan wodomierza musi mieścić się w zakresie od 0 do 99 999,999 m³."),
    "future_date": N_("Data odczytu nie może być późniejsza niż dzisiejsza."),
    "before_last_reading": N_(
        "Data odczytu nie może być wcześniejsza niż data ostatniego odczytu ({last_read_on})."
    ),
    "same_period": N_(
        "W tym okresie rozliczeniowym odczyt został już podany. "
        "Kolejny odczyt można podać od {next_possible}."
    ),
    "lower_than_previous": N_(
        "Podany stan ({index} m³) jest niższy niż poprzedni ({previous} m³). Potwierdź, jeśli "
        "wodomierz został wymieniony albo licznik się przekręcił."
    ),
    "implausible_jump": N_(
        "Zużycie {consumption} m³ od ostatniego odczytu ({last_read_on}) jest nietypowo duże. "
        "Sprawdź podany stan i potwierdź, jeśli jest prawidłowy."
    ),
    # requests and the clerk's work
    "subject.required": N_("Podaj temat zgłoszenia."),
    "body.required": N_("Wpisz treść."),  # of a request and of a notice
    "meter_id.required": N_("Wybierz wodomierz ogrodowy."),
    "unknown_meter": N_("Wybierz swój wodomierz."),
    "text.required": N_("Wpisz treść."),  # of a reply and of the terms
    "request_closed": N_("Zgłoszenie jest już zamknięte."),
    "not_active_or_no_email": N_("Konto nie jest aktywne albo nie ma e-maila."),
    "reason.required": N_("Podaj powód."),
    "not_active": N_("Można zablokować tylko aktywne konto."),
    "not_blocked": N_("To konto nie jest zablokowane."),
    "title.required": N_("Podaj tytuł komunikatu."),
    "before_start": N_("Koniec nie może być przed początkiem."),
    # hostile or oversized input, refused at the server's door and by the portal
    "unsafe_character": N_("Pole zawiera niedozwolony znak {character}."),
    "too_long": N_("Tekst jest za długi (najwięcej {max} znaków)."),
    "out_of_range": N_("Podaj datę od {min} do {max}."),
    "too_large.max": N_("Liczba ma za dużo cyfr (najwięcej {max})."),
    "invalid_number": N_("To nie jest liczba."),
    "too_deep": N_("Treść żądania jest zagnieżdżona zbyt głęboko."),
    "invalid_json": N_("Treść żądania nie jest poprawnym JSON-em."),
    "invalid_value": N_("Nieprawidłowa wartość."),
    # the billing system's import (portal/integration): a record's fields and its line
    "unknown_field": N_("Nieznane pole."),
    "not_of_type": N_("Zawartość pliku nie jest typu {mime}."),
    "invalid_setting": N_("Ustawienie {key} nie ma wymaganych pól albo mają złe wartości."),
    "needs_offset": N_("Podaj czas ze strefą, np. 2026-11-01T00:00:00+01:00."),
    "not_text": N_("Tu ma być tekst."),
    "not_integer": N_("Tu ma być liczba całkowita."),
    "number_out_of_range": N_("Podaj liczbę od {min} do {max}."),
    "invalid_date": N_("To nie jest data RRRR-MM-DD."),
    "invalid_datetime": N_("To nie jest czas ISO 8601 ze strefą."),
    "invalid_decimal": N_('To nie jest liczba dziesiętna zapisana jako tekst, np. "3.100".'),
    "not_one_of": N_("Dozwolone wartości: {choices}."),
    "not_boolean": N_("Tu ma być true albo false."),
    "invalid_nip": N_("Nieprawidłowy NIP."),
    "invalid_regon": N_("Nieprawidłowy REGON."),
    "invalid_iban": N_("Nieprawidłowy numer rachunku (NRB lub IBAN)."),
    "invalid_filename": N_("Nazwa pliku nie może być ścieżką ani zaczynać się kropką."),
    "invalid_base64": N_("Zawartość pliku nie jest poprawnym base64."),
    "not_24_hours": N_("Podaj 24 wartości, po jednej na godzinę."),
    "not_object": N_("Tu ma być obiekt JSON."),
    "not_list": N_("Tu ma być niepusta lista (najwięcej {max})."),
    "not_sum_of_lines": N_("Kwota nie jest sumą pozycji."),
    "not_net_plus_vat": N_("Brutto nie jest sumą netto i VAT."),
    "vat_not_per_rate": N_(
        "VAT nie jest podatkiem od sumy wartości netto w każdej stawce (art. 106e ust. 1 pkt 14"
        " ustawy o VAT)."
    ),
    "correction_names_invoice": N_("Korekta i tylko korekta wskazuje fakturę korygowaną."),
    "duplicate_key": N_("Klucz {key} występuje w obiekcie dwa razy."),
    "number_too_large": N_("Liczba ma za dużo cyfr (najwięcej {max})."),
    "line_too_long": N_("Wiersz jest za długi."),
    "not_utf8": N_("Wiersz nie jest zapisany w UTF-8."),
    "unknown_type": N_("Nieznany typ rekordu; dozwolone: {types}."),
    "duplicate_record": N_("Ten rekord już był: {file}, wiersz {line}."),
    "other_customer": N_("Rekord wskazuje dane innego klienta ({customer})."),
    "parent_after_child": N_("Rekord {type} {key} jest dopiero dalej: nadrzędne idą pierwsze."),
    "unknown_reference": N_("Nie ma rekordu {type} {key} ani w plikach, ani w bazie."),
    "body.too_large": N_("Treść żądania jest za duża (najwięcej {bytes} bajtów)."),
    "invalid_idempotency_key": N_("Klucz Idempotency-Key może mieć najwyżej 200 znaków."),
    "idempotency_key_reused": N_("Ten klucz Idempotency-Key użyto już dla innego żądania."),
    "idempotency_key_in_progress": N_(
        "Żądanie z tym kluczem Idempotency-Key jest właśnie obsługiwane. Spróbuj ponownie za"
        " chwilę."
    ),
    # the console's outbox (backends/outbox.py)
    "outbox_full": N_(
        "W kolejce do wysłania jest już {count} pozycji: wyślij albo wycofaj niektóre, zanim "
        "dodasz kolejną."
    ),
    "outbox_wrong_scope": N_(
        "Kolejka do wysłania należy do innego klienta albo serwera: zaloguj się na jego konto."
    ),
    "outbox_unavailable": N_(
        "Kolejka do wysłania jest dostępna tylko dla klienta na jego własnym komputerze "
        "(nie w kiosku ani przy obsłudze klienta przez BOK)."
    ),
    "internal_error": N_("Wewnętrzny błąd serwera."),
    "not_found": N_("Nie znaleziono."),
    "method_not_allowed": N_("Tej metody nie można użyć pod tym adresem."),
    # the console's HTTP client: an exchange that failed or an answer it cannot use
    "bad_answer_status": N_(
        "Serwer odpowiedział nieoczekiwanie (status {status}). Spróbuj ponownie; jeśli to"
        " się powtarza, zgłoś to wodociągom."
    ),
    "bad_answer_format": N_(
        "Serwer odpowiedział w nieoczekiwanym formacie ({kind}, status {status}). Spróbuj"
        " ponownie za chwilę."
    ),
    "bad_answer_too_big": N_(
        "Odpowiedź serwera jest za duża (ponad {mib} MiB). Spróbuj ponownie później albo "
        "zgłoś to wodociągom."
    ),
    "bad_answer_redirect": N_(
        "Serwer iBOK przekierowuje gdzie indziej (status {status}). Sprawdź adres serwera"
        " w ustawieniach profilu: może potrzebny jest https://."
    ),
    "server_error": N_("Serwer iBOK zwrócił błąd {status}. Spróbuj ponownie za chwilę."),
    "server_busy": N_(
        "Serwer iBOK jest przeciążony (status {status}). Spróbuj ponownie za chwilę."
    ),
    "bad_answer_no_format": N_(
        "Serwer odpowiedział bez określenia formatu (status {status}). Spróbuj ponownie za chwilę."
    ),
    "connection_failed": N_(
        "Połączenie z serwerem iBOK nie powiodło się. Spróbuj ponownie za chwilę."
    ),
    "tls_failed": N_(
        "Nie udało się nawiązać bezpiecznego połączenia z serwerem iBOK (TLS): certyfikat"
        " serwera nie jest zaufany albo serwer nie obsługuje HTTPS. Sprawdź adres serwera"
        " i ustawienie certyfikatu (ca_file)."
    ),
    "connect_timeout": N_(
        "Serwer iBOK nie odpowiada: nie udało się połączyć w {connect} s. Spróbuj "
        "ponownie za chwilę."
    ),
    "read_timeout": N_("Serwer iBOK nie odpowiedział w {read} s. Spróbuj ponownie za chwilę."),
    "connect_failed": N_(
        "Nie można połączyć się z serwerem iBOK. Sprawdź połączenie z siecią i adres "
        "serwera, potem spróbuj ponownie."
    ),
    "invalid_address": N_(
        "Adres serwera iBOK jest nieprawidłowy (potrzebny http:// albo https://). Sprawdź"
        " go w ustawieniach profilu."
    ),
    "bad_answer_damaged": N_("Serwer odpowiedział uszkodzoną treścią. Spróbuj ponownie za chwilę."),
    "connection_cut": N_(
        "Połączenie z serwerem iBOK zostało przerwane. Spróbuj ponownie za chwilę."
    ),
    "bad_answer_empty": N_(
        "Serwer odpowiedział pustą treścią (status {status}). Spróbuj ponownie za chwilę."
    ),
    "bad_answer_shape": N_(
        "Odpowiedź serwera ma nieoczekiwaną postać (pole {where}). Wersje konsoli i "
        "serwera mogą się nie zgadzać: zaktualizuj konsolę albo zgłoś to wodociągom."
    ),
    "offline": N_(
        "Serwer iBOK jest nieosiągalny (offline): to wymaga połączenia z serwerem. Konsola"
        " pokazuje zapisane dane; spróbuj ponownie, gdy zniknie pasek „offline”."
    ),
    "offline.data_from": N_(
        "Serwer iBOK jest nieosiągalny (offline): to wymaga połączenia z serwerem. Konsola"
        " pokazuje dane z {data_from}; spróbuj ponownie, gdy zniknie pasek „offline”."
    ),
    "bad_answer_json": N_(
        "Serwer odpowiedział uszkodzonym JSON-em (status {status}). Spróbuj ponownie za chwilę."
    ),
}
# parameters that are dates (ISO in `params`) and volumes in m³ (a decimal with a point)
_DATES = frozenset({"last_read_on", "next_possible", "today", "min", "max", "date"})
_MOMENTS = frozenset({"data_from"})  # instants (ISO with a zone), as a date and a time
_VOLUMES = frozenset({"index", "previous", "consumption", "volume"})
# (code, parameter) of sizes in bytes, written in MB
_SIZES = frozenset({("too_large", "limit"), ("scan_bytes_limit", "limit")})
_MIB = 1024 * 1024


def _entry(code: str, field: str, params: Mapping[str, object]) -> str | Plural | None:
    keys = [f"{field}.{code}"] if field else []
    keys += [f"{code}.{name}" for name in sorted(params)] + [code]
    return next((MESSAGES[key] for key in keys if key in MESSAGES), None)


def known(code: str, field: str = "") -> bool:
    return _entry(code, field, {}) is not None


def render(
    code: str,
    params: Mapping[str, object] | None = None,
    *,
    field: str = "",
    language: str | None = None,
    fallback: str = "",
) -> str:
    """The message of `code` (of `field`) with its `params`, in `language` (else the
    console's); `fallback` (else the code) when the table does not know the code or the
    params lack one the message needs (a sender of another version)."""
    message = _entry(code, field, params or {})
    if message is None:
        return fallback or code
    language = language or get_language()
    values = {
        name: (
            _in_megabytes(value, language)
            if (code, name) in _SIZES
            else _param_text(name, value, language)
        )
        for name, value in (params or {}).items()
    }
    if isinstance(message, Plural):
        if message.count not in values:
            return fallback or code
        count = _count_in(params or {}, message.count)
        text = translations(language).ngettext(message.singular, message.plural, count)
        values["count"] = str(count)
    else:
        text = translated(message, language)
    try:
        return text.format(**values)
    except (KeyError, ValueError, IndexError):
        return fallback or code


def _count_in(params: Mapping[str, object], name: str) -> int:
    try:
        return int(str(params.get(name, 0)))
    except ValueError:
        return 0


def _param_text(name: str, value: object, language: str) -> str:
    """A parameter as the language writes it: dates and volumes by their names."""
    if isinstance(value, date):
        return _date_text(value, language)
    text = str(value)
    if name in _DATES:
        try:
            return _date_text(date.fromisoformat(text), language)
        except ValueError:
            return text
    if name in _MOMENTS:
        try:
            return moment(datetime.fromisoformat(text), language)
        except ValueError:
            return text
    if name in _VOLUMES:
        try:
            litres = int(Decimal(text) * 1000)
        except (InvalidOperation, ValueError):
            return text
        return cubic_metres(litres, unit=False, language=language)
    return text


def _in_megabytes(value: object, language: str) -> str:
    """Bytes as megabytes: `10 MB`, `2,5 MB`."""
    try:
        size = int(str(value))
    except ValueError:
        return str(value)
    megabytes = Decimal(size) / _MIB
    places = Decimal(1) if size % _MIB == 0 else Decimal("0.1")
    return f"{decimal(megabytes.quantize(places), language)} MB"


def _date_text(value: date, language: str) -> str:
    return day(value, language=language)


def error_key(error: IbokError) -> str:
    """The table's key of an error: a failed sign-in that asks for the challenge too has
    its own words."""
    if isinstance(error, LoginFailed) and error.code == "login_failed" and error.captcha:
        return "login_failed.captcha"
    return error.code


def problem_text(error: IbokError, language: str | None = None) -> str:
    """An error's own message (not its fields'), in `language` (else the console's)."""
    return render(error_key(error), error.params, language=language, fallback=error.message)


def field_text(error: FieldError, language: str | None = None) -> str:
    """One field's problem in `language` (else the console's)."""
    return render(
        error.code, error.params, field=error.field, language=language, fallback=error.message
    )


def fields_text(errors: Iterable[FieldError], language: str | None = None) -> str:
    """Every field's problem, one a line."""
    return "\n".join(field_text(e, language) for e in errors)


def error_text(error: BaseException) -> str:
    """What to tell the user about `error`, in the console's language: a validation failure
    as its fields' problems, one a line."""
    if isinstance(error, ValidationFailed) and error.errors and not known(error.code):
        return fields_text(error.errors)
    if isinstance(error, IbokError):
        return problem_text(error)
    return unexpected_text(error)


def unexpected_text(error: BaseException) -> str:
    """What to tell the user about a failure that is none of the backend's errors (a bug,
    or a backend that broke its contract): what happened and what to do, without the
    exception's own text, which may hold anything (the dialog's details name its type)."""
    if isinstance(error, TimeoutError):
        return _("Serwer nie odpowiedział na czas. Spróbuj ponownie za chwilę.")
    if isinstance(error, ConnectionError):
        return _("Połączenie z serwerem zostało przerwane. Spróbuj ponownie za chwilę.")
    return _(
        "Tej czynności nie udało się wykonać z powodu błędu w konsoli. Spróbuj ponownie; "
        "jeśli to się powtarza, zgłoś to wodociągom (z nazwą błędu ze szczegółów)."
    )


__all__ = [
    "MESSAGES",
    "error_text",
    "field_text",
    "fields_text",
    "known",
    "problem_text",
    "render",
    "unexpected_text",
]
