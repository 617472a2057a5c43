"""NIP, REGON and account numbers checked by python-stdnum (domain/identifiers.py), and the
demo's own numbers passing their checksums."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stdnum.pl import nip, regon

from ibok_tui.domain.identifiers import is_valid_nip, is_valid_nrb, is_valid_regon
from ibok_tui.portal.demo.fixtures import checked_number, read_fixture

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_the_demos_nips_and_regons_pass_their_checksums() -> None:
    """Every NIP and REGON the demo and the import example show passes python-stdnum's
    check digits (a real office's numbers would; 5250001009 did not)."""
    data = read_fixture()
    numbers = [("nip", data["utility"]["nip"])]
    for spec in data["customers"]:
        numbers += [(kind, spec[kind]) for kind in ("nip", "regon") if spec.get(kind)]
    for line in (FIXTURES / "import-example.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        fields = record.get("value", record) if record["type"] == "setting" else record
        if isinstance(fields, dict):
            numbers += [(kind, fields[kind]) for kind in ("nip", "regon") if fields.get(kind)]
    assert {kind for kind, _ in numbers} == {"nip", "regon"}
    for kind, value in numbers:
        assert (nip if kind == "nip" else regon).is_valid(value), (kind, value)
    assert is_valid_nrb(data["utility"]["bank_account"])


def test_the_fixtures_loader_refuses_a_wrong_check_digit() -> None:
    assert checked_number("nip", "5250001003") == "5250001003"
    assert checked_number("regon", "") == ""
    for kind, value in (("nip", "5250001009"), ("regon", "146201537"), ("account", "1" * 26)):
        with pytest.raises(ValueError, match="checksum"):
            checked_number(kind, value)


@pytest.mark.parametrize(
    ("check", "good"),
    [
        (is_valid_nip, ["5250001003", "525-000-10-03", "PL 525 000 10 03"]),
        (is_valid_regon, ["146201538", "123456785", "12345678512347"]),
        (is_valid_nrb, ["61109010140000071219812874", "PL61 1090 1014 0000 0712 1981 2874"]),
    ],
)
def test_good_numbers_pass(check: object, good: list[str]) -> None:
    assert all(check(value) for value in good)  # type: ignore[operator]


HOSTILE = [
    "",
    " ",
    "5250001009",  # a wrong check digit
    "52500010031",  # a digit too many
    "５２５０００１００３",  # full-width digits
    "525000\x001003",
    "5250001003\x1b[2J",
    "5250001003\n",
    "1" * 10_000,
    "٥٢٥٠٠٠١٠٠٣",  # Arabic-Indic digits
    "DROP TABLE customers",
    None,
    5250001003,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_numbers_fail_and_never_raise(value: object) -> None:
    """What a hostile file or form could put where a number goes: refused, never an error."""
    for check in (is_valid_nip, is_valid_regon, is_valid_nrb):
        assert check(value) is False, (check.__name__, value)  # type: ignore[arg-type]
