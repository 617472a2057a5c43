import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.identifiers import is_valid_nrb
from ibok_tui.domain.payments import (
    format_nrb,
    iban_check_digits,
    individual_account,
    qr_payload,
)

KNOWN = "61 1090 1014 0000 0712 1981 2874"  # a published example of a valid Polish account
KNOWN_DIGITS = KNOWN.replace(" ", "")


def test_check_digits_of_a_known_account() -> None:
    assert iban_check_digits("PL", "109010140000071219812874") == "61"
    assert iban_check_digits("pl", "109010140000071219812874") == "61"
    # ISO 13616's own example: GB82 WEST 1234 5698 7654 32.
    assert iban_check_digits("GB", "WEST12345698765432") == "82"


@pytest.mark.parametrize(
    ("country", "bban"), [("P", "123"), ("P1", "123"), ("PL", ""), ("PL", "12 3")]
)
def test_check_digits_reject_bad_input(country: str, bban: str) -> None:
    with pytest.raises(ValueError):
        iban_check_digits(country, bban)


@pytest.mark.parametrize(
    "account",
    [
        KNOWN,
        KNOWN_DIGITS,
        "PL61 1090 1014 0000 0712 1981 2874",
        "pl" + KNOWN_DIGITS,
        "61-1090-1014-0000-0712-1981-2874",
    ],
)
def test_valid_accounts(account: str) -> None:
    assert is_valid_nrb(account)


@pytest.mark.parametrize(
    "account",
    [
        "62 1090 1014 0000 0712 1981 2874",  # wrong check digits
        "61 1090 1014 0000 0712 1981 2875",  # one digit changed
        "61 1090 1014 0000 0712 1891 2874",  # two digits swapped
        KNOWN_DIGITS[:-1],  # 25 digits
        KNOWN_DIGITS + "0",  # 27 digits
        "DE" + KNOWN_DIGITS,
        "61 1090 1014 0000 0712 1981 287A",
        "",
    ],
)
def test_invalid_accounts(account: str) -> None:
    assert not is_valid_nrb(account)


def test_individual_account() -> None:
    account = individual_account("10901014", "100234")
    assert account == "16109010140000000000100234"
    assert is_valid_nrb(account)
    assert individual_account("10901014", "100234") == account  # deterministic
    assert individual_account("10901014", "K/100-234") == account  # digits only
    assert individual_account("10901014", "100235") != account
    assert individual_account("10501445", "100234").endswith("0000000000100234")


@pytest.mark.parametrize(
    ("sort_code", "customer"),
    [("1090101", "1"), ("1090101A", "1"), ("10901014", "abc"), ("10901014", "1" * 17)],
)
def test_individual_account_rejects_bad_input(sort_code: str, customer: str) -> None:
    with pytest.raises(ValueError):
        individual_account(sort_code, customer)


@given(
    st.integers(min_value=0, max_value=10**16 - 1), st.integers(min_value=0, max_value=10**8 - 1)
)
def test_individual_accounts_are_always_valid(customer: int, sort_code: int) -> None:
    account = individual_account(f"{sort_code:08d}", str(customer))
    assert len(account) == 26 and account.isdigit()
    assert is_valid_nrb(account)
    assert int(account[10:]) == customer


def test_format_nrb() -> None:
    assert format_nrb(KNOWN_DIGITS) == KNOWN
    assert format_nrb("PL" + KNOWN_DIGITS) == KNOWN
    assert format_nrb(KNOWN) == KNOWN
    assert format_nrb(" 12345 ") == "12345"  # not an account number: left as it is


RECIPIENT_ACCOUNT = "16109010140000000000100234"


def test_qr_payload_example() -> None:
    payload = qr_payload(
        nip="526-025-02-74",
        account="16 1090 1014 0000 0000 0010 0234",
        amount=12_345,
        recipient="Wodociągi Przykład",
        title="FV/2026/11/000123",
    )
    assert payload == (
        "5260250274|PL|16109010140000000000100234|012345|Wodociągi Przykład|FV/2026/11/000123|||"
    )


def test_qr_payload_truncates_and_cleans_names_and_titles() -> None:
    payload = qr_payload(
        nip="",
        account=RECIPIENT_ACCOUNT,
        amount=0,
        recipient="Przedsiębiorstwo|Wodociągów i Kanalizacji Sp. z o.o.",
        title="Faktura FV/2026/11/000123\nkod nabywcy 100234",
    )
    fields = payload.split("|")
    assert len(fields) == 9
    assert fields[:4] == ["", "PL", RECIPIENT_ACCOUNT, "000000"]
    assert fields[4] == "PrzedsiębiorstwoWodo"
    assert len(fields[4]) == 20
    assert fields[5] == "Faktura FV/2026/11/000123 kod na"
    assert len(fields[5]) == 32
    assert fields[6:] == ["", "", ""]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": 1_000_000},
        {"amount": -1},
        {"account": "62 1090 1014 0000 0712 1981 2874"},
        {"account": "123"},
        {"nip": "123456789"},
        {"nip": "12345678901"},
        {"nip": "12345678ab"},
    ],
)
def test_qr_payload_rejects(kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {
        "nip": "5260250274",
        "account": RECIPIENT_ACCOUNT,
        "amount": 100,
        "recipient": "Wodociągi",
        "title": "Faktura",
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError):
        qr_payload(**arguments)  # type: ignore[arg-type]


def test_qr_payload_allows_the_largest_amount() -> None:
    payload = qr_payload(
        nip="", account=RECIPIENT_ACCOUNT, amount=999_999, recipient="W", title="T"
    )
    assert payload.split("|")[3] == "999999"


@given(
    amount=st.integers(min_value=0, max_value=999_999),
    recipient=st.text(max_size=80),
    title=st.text(max_size=120),
    with_nip=st.booleans(),
)
def test_qr_payload_shape(amount: int, recipient: str, title: str, with_nip: bool) -> None:
    payload = qr_payload(
        nip="5260250274" if with_nip else "",
        account=RECIPIENT_ACCOUNT,
        amount=amount,
        recipient=recipient,
        title=title,
    )
    assert len(payload) <= 160
    assert payload.endswith("|||")
    fields = payload.split("|")
    assert len(fields) == 9
    assert fields[1] == "PL" and fields[2] == RECIPIENT_ACCOUNT
    assert fields[3] == f"{amount:06d}"
    assert len(fields[4]) <= 20 and len(fields[5]) <= 32
    assert "\n" not in payload
