"""English for the messages the backend sends (the portal, the domain's rules, the server
and the HTTP client write them in Polish), keyed by the Polish message.

A key with `{name}` fields is a template: it matches a message with any text in place of
each field, and the English template takes the values it names (a Polish-only field, like
the plural form of a noun, is simply left out). Numbers and dates are rewritten the English
way when shown. tests/unit/test_problem_messages_i18n.py collects every message raised in
the backend's source and checks it is here.
"""

from __future__ import annotations

PROBLEMS_EN: dict[str, str] = {
    # signing in and sessions
    "Nieprawidłowy kod nabywcy lub hasło.": "Wrong customer number or password.",
    "Nieprawidłowy kod nabywcy lub hasło. Rozwiąż też zadanie potwierdzające.": (
        "Wrong customer number or password. Solve the verification challenge as well."
    ),
    "Rozwiąż zadanie potwierdzające, aby się zalogować.": (
        "Solve the verification challenge to sign in."
    ),
    "Serwer jest zajęty sprawdzaniem haseł. Spróbuj ponownie za chwilę.": (
        "The server is busy checking passwords. Try again in a moment."
    ),
    "Zbyt wiele nieudanych prób. Spróbuj ponownie za {seconds} s.": (
        "Too many failed attempts. Try again in {seconds} s."
    ),
    "Konto czeka na aktywację: użyj linku z e-maila lub poczekaj na BOK.": (
        "The account is waiting for activation: use the link from the e-mail "
        "or wait for the customer office."
    ),
    "Dostęp do konta jest zablokowany. Skontaktuj się z Biurem Obsługi Klienta.": (
        "Access to the account is blocked. Contact the customer office."
    ),
    "Zaloguj się, aby kontynuować.": "Sign in to continue.",
    "Sesja nie istnieje. Zaloguj się ponownie.": "The session does not exist. Sign in again.",
    "Sesja wygasła. Zaloguj się ponownie.": "The session has expired. Sign in again.",
    "Ta operacja jest dostępna tylko dla klienta.": "Only a customer can do this.",
    "Ta operacja jest dostępna tylko dla pracownika BOK.": (
        "Only a customer office clerk can do this."
    ),
    "Najpierw zmień hasło wygenerowane przez wodociągi.": (
        "First change the password the utility generated."
    ),
    # passwords
    "Hasło musi mieć co najmniej {min_length} {characters}.": (
        "The password must be at least {min_length} characters long."
    ),
    "Hasło może mieć najwyżej {max_length} {characters}.": (
        "The password can be at most {max_length} characters long."
    ),
    "Hasło musi zawierać co najmniej jedną wielką literę.": (
        "The password must contain at least one upper-case letter."
    ),
    "Hasło musi zawierać co najmniej jedną małą literę.": (
        "The password must contain at least one lower-case letter."
    ),
    "Hasło musi zawierać co najmniej jedną cyfrę.": "The password must contain at least one digit.",
    "Hasło musi zawierać co najmniej jeden znak specjalny (np. ! # % &).": (
        "The password must contain at least one special character (e.g. ! # % &)."
    ),
    "Hasło jest nieprawidłowe.": "The password is wrong.",
    "Obecne hasło jest nieprawidłowe.": "The current password is wrong.",
    "Nowe hasło musi różnić się od obecnego.": (
        "The new password must be different from the current one."
    ),
    "Hasła w obu polach muszą być takie same.": "The passwords in both fields must be the same.",
    # registration, reset and the account
    "Kod jest nieprawidłowy, wygasł lub został użyty.": (
        "The code is wrong, has expired or has been used."
    ),
    "Podane dane nie zgadzają się z naszą ewidencją albo konto już istnieje.": (
        "The data given do not match our records, or the account already exists."
    ),
    "Zaakceptuj aktualny regulamin iBOK.": "Accept the current iBOK terms.",
    "Zadanie potwierdzające nie zostało rozwiązane albo wygasło.": (
        "The verification challenge was not solved or has expired."
    ),
    "Konto nie czeka na aktywację.": "The account is not waiting for activation.",
    "To konto nie czeka na aktywację.": "This account is not waiting for activation.",
    "Nie znaleziono konta.": "Account not found.",
    "To pole jest wymagane.": "This field is required.",
    "Podaj poprawny adres e-mail.": "Enter a valid e-mail address.",
    "Podaj adres e-mail, na który mają przychodzić e-faktury.": (
        "Enter the e-mail address the e-invoices should go to."
    ),
    "Podaj numer telefonu (9–15 cyfr).": "Enter a phone number (9–15 digits).",
    "Kod pocztowy ma postać 00-000.": "A postal code looks like 00-000.",
    "Dołącz plik PDF, JPG lub PNG.": "Attach a PDF, JPG or PNG file.",
    "Plik jest pusty.": "The file is empty.",
    "Plik jest za duży (najwięcej 10 MB).": "The file is too large (10 MB at most).",
    "Plik jest za duży (najwięcej {limit}).": "The file is too large ({limit} at most).",
    "Pliku nie da się odczytać jako {type}: zapisz skan ponownie i dołącz go jeszcze raz.": (
        "The file cannot be read as {type}: save the scan again and attach it once more."
    ),
    "Nazwa pliku jest za długa (najwięcej {limit} znaków): skróć ją.": (
        "The file name is too long ({limit} characters at most): shorten it."
    ),
    "Na przyjęcie czeka już najwięcej skanów ({limit}): wycofaj niepotrzebny skan albo"
    " poczekaj, aż wodociągi je przyjmą.": (
        "The most scans allowed ({limit}) already await acceptance: withdraw one you do not"
        " need or wait until the utility accepts them."
    ),
    "Skany czekające na przyjęcie zajęłyby więcej niż {limit}: wycofaj niepotrzebny skan albo"
    " poczekaj, aż wodociągi je przyjmą.": (
        "The scans awaiting acceptance would take more than {limit}: withdraw one you do not"
        " need or wait until the utility accepts them."
    ),
    "Wodociągi przyjęły już ten skan: nie można go wycofać. W sprawie zmian skontaktuj się"
    " z BOK.": (
        "The utility has already accepted this scan: it cannot be withdrawn. For changes,"
        " contact the customer office."
    ),
    # not found
    "Nie znaleziono klienta.": "Customer not found.",
    "Nie znaleziono umowy.": "Contract not found.",
    "Nie znaleziono dokumentu.": "Document not found.",
    "Nie znaleziono skanu.": "Scan not found.",
    "Nie znaleziono wodomierza.": "Meter not found.",
    "Nie znaleziono faktury.": "Invoice not found.",
    "Nie znaleziono odczytu.": "Reading not found.",
    "Nie znaleziono zgłoszenia.": "Request not found.",
    "Nie znaleziono.": "Not found.",
    "Brak ustawienia {key}.": "The setting {key} is missing.",
    # billing
    "Nie ma nic do zapłaty.": "There is nothing to pay.",
    # meter readings
    "Ten wodomierz nie ma danych godzinowych ani dobowych.": (
        "This meter has no hourly or daily data."
    ),
    "Dla tego wodomierza nie można podać odczytu: nie jest czynny.": (
        "A reading cannot be submitted for this meter: it is not in service."
    ),
    "Odczyt został już przyjęty przez wodociągi albo wycofany: nie można go zmienić.": (
        "The reading has already been accepted by the utility or withdrawn: it cannot be changed."
    ),
    "Odczyt został już przyjęty przez wodociągi i nie można go zmienić.": (
        "The reading has already been accepted by the utility and cannot be changed."
    ),
    "Odczyt został już przyjęty przez wodociągi i nie można go wycofać.": (
        "The reading has already been accepted by the utility and cannot be withdrawn."
    ),
    "Wpisz stan licznika.": "Enter the meter index.",
    "Podaj stan wodomierza.": "Enter the meter index.",
    "Stan licznika to liczba, np. 123,456.": "The meter index is a number, e.g. 123.456.",
    "Stan wodomierza musi być liczbą, np. 123,456 (m³).": (
        "The meter index must be a number, e.g. 123.456 (m³)."
    ),
    "Stan licznika nie może być ujemny.": "The meter index cannot be negative.",
    "Stan wodomierza nie może być ujemny.": "The meter index cannot be negative.",
    "Podaj najwyżej trzy cyfry po przecinku (litry).": (
        "Give at most three decimal places (litres)."
    ),
    "Stan wodomierza może mieć najwyżej 3 miejsca po przecinku.": (
        "The meter index may have at most 3 decimal places."
    ),
    "Stan licznika jest za duży (najwięcej 99 999,999 m³).": (
        "The meter index is too large (99,999.999 m³ at most)."
    ),
    "Stan wodomierza nie może przekraczać 99 999,999 m³.": (
        "The meter index cannot exceed 99,999.999 m³."
    ),
    "Stan wodomierza musi mieścić się w zakresie od 0 do 99 999,999 m³.": (
        "The meter index must be between 0 and 99,999.999 m³."
    ),
    "Nieprawidłowy stan licznika.": "The meter index is not valid.",
    "Data odczytu nie może być późniejsza niż dzisiejsza.": (
        "The reading date cannot be later than today."
    ),
    "Data odczytu nie może być wcześniejsza niż data ostatniego odczytu ({last_read_on}).": (
        "The reading date cannot be earlier than the last reading ({last_read_on})."
    ),
    "W tym okresie rozliczeniowym odczyt został już podany. "
    "Kolejny odczyt można podać od {next_possible}.": (
        "A reading has already been submitted in this billing period. "
        "The next reading can be submitted from {next_possible}."
    ),
    "Podany stan ({index} m³) jest niższy niż poprzedni ({previous} m³). Potwierdź, jeśli "
    "wodomierz został wymieniony albo licznik się przekręcił.": (
        "The index given ({index} m³) is lower than the previous one ({previous} m³). "
        "Confirm if the meter was replaced or the counter rolled over."
    ),
    "Zużycie {consumption} m³ od ostatniego odczytu ({last_read_on}) jest nietypowo duże. "
    "Sprawdź podany stan i potwierdź, jeśli jest prawidłowy.": (
        "Use of {consumption} m³ since the last reading ({last_read_on}) is unusually high. "
        "Check the index and confirm if it is right."
    ),
    # requests and the clerk's work
    "Podaj temat zgłoszenia.": "Enter the subject of the request.",
    "Opisz sprawę.": "Describe the matter.",
    "Wybierz wodomierz ogrodowy.": "Choose the garden meter.",
    "Wybierz swój wodomierz.": "Choose one of your meters.",
    "Wpisz treść odpowiedzi.": "Enter the text of the reply.",
    "Zgłoszenie jest już zamknięte.": "The request is already closed.",
    "Konto nie jest aktywne albo nie ma e-maila.": "The account is not active or has no e-mail.",
    "Podaj powód.": "Give the reason.",
    "Można zablokować tylko aktywne konto.": "Only an active account can be blocked.",
    "To konto nie jest zablokowane.": "This account is not blocked.",
    "Podaj tytuł komunikatu.": "Enter the notice's title.",
    "Podaj treść komunikatu.": "Enter the notice's text.",
    "Koniec nie może być przed początkiem.": "The end cannot be before the start.",
    # the server and the connection to it
    "Serwer iBOK zwrócił błąd {status}. Spróbuj ponownie za chwilę.": (
        "The iBOK server returned error {status}. Try again in a moment."
    ),
    "Serwer iBOK jest przeciążony (status {status}). Spróbuj ponownie za chwilę.": (
        "The iBOK server is overloaded (status {status}). Try again in a moment."
    ),
    "Serwer odpowiedział nieoczekiwanie (status {status}). "
    "Spróbuj ponownie; jeśli to się powtarza, zgłoś to wodociągom.": (
        "The server gave an unexpected answer (status {status}). "
        "Try again; if it keeps happening, tell the water utility."
    ),
    "Serwer odpowiedział bez określenia formatu (status {status}). Spróbuj ponownie za chwilę.": (
        "The server answered without saying its format (status {status}). Try again in a moment."
    ),
    "Serwer odpowiedział w nieoczekiwanym formacie ({kind}, status {status}). "
    "Spróbuj ponownie za chwilę.": (
        "The server answered in an unexpected format ({kind}, status {status}). "
        "Try again in a moment."
    ),
    "Serwer odpowiedział pustą treścią (status {status}). Spróbuj ponownie za chwilę.": (
        "The server sent an empty answer (status {status}). Try again in a moment."
    ),
    "Serwer odpowiedział uszkodzonym JSON-em (status {status}). Spróbuj ponownie za chwilę.": (
        "The server sent broken JSON (status {status}). Try again in a moment."
    ),
    "Odpowiedź serwera ma nieoczekiwaną postać (pole {where}). Wersje konsoli "
    "i serwera mogą się nie zgadzać: zaktualizuj konsolę albo zgłoś to wodociągom.": (
        "The server's answer has an unexpected shape (field {where}). The console and the "
        "server may be of different versions: update the console or tell the water utility."
    ),
    "Serwer odpowiedział uszkodzoną treścią. Spróbuj ponownie za chwilę.": (
        "The server sent a damaged answer. Try again in a moment."
    ),
    "Odpowiedź serwera jest za duża (ponad {mib} MiB). "
    "Spróbuj ponownie później albo zgłoś to wodociągom.": (
        "The server's answer is too large (over {mib} MiB). "
        "Try again later or tell the water utility."
    ),
    "Serwer iBOK przekierowuje gdzie indziej (status {status}). "
    "Sprawdź adres serwera w ustawieniach profilu: może potrzebny jest https://.": (
        "The iBOK server redirects elsewhere (status {status}). "
        "Check the server's address in the profile's settings: it may need https://."
    ),
    "Nie udało się nawiązać bezpiecznego połączenia z serwerem iBOK (TLS): "
    "certyfikat serwera nie jest zaufany albo serwer nie obsługuje HTTPS. "
    "Sprawdź adres serwera i ustawienie certyfikatu (ca_file).": (
        "No secure connection to the iBOK server could be made (TLS): the server's "
        "certificate is not trusted or the server does not speak HTTPS. "
        "Check the server's address and the certificate setting (ca_file)."
    ),
    "Serwer iBOK nie odpowiada: nie udało się połączyć w {connect} s. "
    "Spróbuj ponownie za chwilę.": (
        "The iBOK server does not answer: no connection within {connect} s. Try again in a moment."
    ),
    "Serwer iBOK nie odpowiedział w {read} s. Spróbuj ponownie za chwilę.": (
        "The iBOK server did not answer within {read} s. Try again in a moment."
    ),
    "Nie można połączyć się z serwerem iBOK. "
    "Sprawdź połączenie z siecią i adres serwera, potem spróbuj ponownie.": (
        "Cannot connect to the iBOK server. "
        "Check the network connection and the server's address, then try again."
    ),
    "Adres serwera iBOK jest nieprawidłowy (potrzebny http:// albo https://). "
    "Sprawdź go w ustawieniach profilu.": (
        "The iBOK server's address is invalid (it needs http:// or https://). "
        "Check it in the profile's settings."
    ),
    "Połączenie z serwerem iBOK zostało przerwane. Spróbuj ponownie za chwilę.": (
        "The connection to the iBOK server was cut. Try again in a moment."
    ),
    "Połączenie z serwerem iBOK nie powiodło się. Spróbuj ponownie za chwilę.": (
        "The connection to the iBOK server failed. Try again in a moment."
    ),
    "Treść żądania nie jest poprawnym JSON-em.": "The request body is not valid JSON.",
    "Treść żądania jest za duża (najwięcej {limit} bajtów).": (
        "The request body is too large ({limit} bytes at most)."
    ),
    "Nieprawidłowa wartość.": "Invalid value.",
    "Wewnętrzny błąd serwera.": "Internal server error.",
    "Zbyt wiele prób. Spróbuj ponownie za {seconds} s.": (
        "Too many attempts. Try again in {seconds} s."
    ),
    "Klucz Idempotency-Key może mieć najwyżej 200 znaków.": (
        "The Idempotency-Key can be at most 200 characters."
    ),
    "Ten klucz Idempotency-Key użyto już dla innego żądania.": (
        "This Idempotency-Key has already been used for another request."
    ),
    # problem titles (shown when a problem has no detail)
    "Błąd serwera": "Server error",
    "Wymagane logowanie": "Sign-in required",
    "Sesja wygasła": "Session expired",
    "Logowanie nieudane": "Sign-in failed",
    "Wymagane zadanie potwierdzające": "Verification challenge required",
    "Konto czasowo zablokowane": "Account locked for a while",
    "Wymagana zmiana hasła": "Password change required",
    "Brak dostępu": "Access denied",
    "Nie znaleziono": "Not found",
    "Nieprawidłowe dane": "Invalid data",
    "Wymagane potwierdzenie": "Confirmation required",
    "Konflikt": "Conflict",
    "Zbyt wiele żądań": "Too many requests",
    "Usługa niedostępna": "Service unavailable",
    "Za duże żądanie": "Request too large",
    "Niedozwolona metoda": "Method not allowed",
    # Pulpit's alerts (portal/service.py, domain/analytics.py)
    "Masz zaległe płatności.": "You have overdue payments.",
    "Legalizacja wodomierza {serial} wygasła {date}: wodociągi wymienią go.": (
        "The legalization of meter {serial} expired on {date}: the utility will replace it."
    ),
    "Legalizacja wodomierza {serial} wygasa {date} (za mniej niż {days} dni).": (
        "The legalization of meter {serial} expires on {date} (in less than {days} days)."
    ),
    "Przepływ w każdej godzinie nocnej (01:00–05:00) przez {nights} {noun},"
    " co najmniej {least} l/h. Możliwy wyciek.": (
        "Water flowed in every night hour (01:00–05:00) for {nights} night(s) in a row,"
        " at least {least} l/h. Possibly a leak."
    ),
    "Zużycie {volume} m³ w {days} {noun}, średnio {per_day} l/dzień wobec zwykłych"
    " {usual} l/dzień.": (
        "{volume} m³ used in {days} day(s), {per_day} l/day on average against the usual"
        " {usual} l/day."
    ),
    # hostile or oversized input, refused at the server's door and by the portal
    "Pole zawiera niedozwolony znak {character}.": (
        "The field contains a character that is not allowed: {character}."
    ),
    "Tekst jest za długi (najwięcej {max} znaków).": (
        "The text is too long (at most {max} characters)."
    ),
    "Liczba ma za dużo cyfr (najwięcej {max}).": "The number has too many digits (at most {max}).",
    "To nie jest liczba.": "This is not a number.",
    "Treść żądania jest zagnieżdżona zbyt głęboko.": "The request body is nested too deeply.",
    "Podaj datę od {min} do {max}.": "Enter a date from {min} to {max}.",
}
