import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibok_tui.domain.passwords import (
    PasswordPolicy,
    generate_password,
    password_errors,
    password_problems,
)
from ibok_tui.i18n.problems import field_text

STRICT = PasswordPolicy()


def test_default_policy_is_the_strictest() -> None:
    assert PasswordPolicy() == PasswordPolicy(10, 128, True, True, True, True)


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Abcdefgh1!", []),
        ("Abcdef1!", ["too_short"]),
        ("abcdefgh1!", ["no_upper"]),
        ("ABCDEFGH1!", ["no_lower"]),
        ("Abcdefghi!", ["no_digit"]),
        ("Abcdefghi1", ["no_special"]),
        ("Abcdefgh 1", ["no_special"]),  # a space is not a special character
        ("", ["too_short", "no_upper", "no_lower", "no_digit", "no_special"]),
        ("Ab1!" + "x" * 125, ["too_long"]),
        ("Łódź-2024-wiśnia", []),  # Polish letters count as upper and lower case
        ("ŻÓŁW-ĄĘ-2024", ["no_lower"]),
        ("zażółć_gęślą1", ["no_upper"]),
    ],
)
def test_password_problems(password: str, problems: list[str]) -> None:
    assert password_problems(STRICT, password) == problems


def test_lenient_policy_checks_only_the_length() -> None:
    policy = PasswordPolicy(8, 64, False, False, False, False)
    assert password_problems(policy, "password") == []
    assert password_problems(policy, "short") == ["too_short"]
    assert password_problems(policy, "x" * 65) == ["too_long"]


def test_length_is_counted_in_characters_not_bytes() -> None:
    assert "too_short" not in password_problems(STRICT, "Ąęółżźćń1!")
    assert "too_short" in password_problems(STRICT, "Ąęółżźć1!")


def test_password_errors_are_codes_with_params_worded_by_the_catalogue() -> None:
    errors = password_errors(STRICT, "abc", field="new_password")
    assert [e.code for e in errors] == ["too_short", "no_upper", "no_digit", "no_special"]
    assert {e.field for e in errors} == {"new_password"}
    assert field_text(errors[0], "pl") == "Hasło musi mieć co najmniej 10 znaków."
    assert errors[0].params == {"min_length": "10"}
    assert "wielką literę" in field_text(errors[1], "pl")
    assert "cyfrę" in field_text(errors[2], "pl")
    assert "znak specjalny" in field_text(errors[3], "pl")


def test_password_errors_default_field_and_too_long() -> None:
    errors = password_errors(PasswordPolicy(max_length=12), "Abcdefgh1!xyz")
    assert [(e.field, e.code) for e in errors] == [("password", "too_long")]
    assert field_text(errors[0], "pl") == "Hasło może mieć najwyżej 12 znaków."
    assert errors[0].params == {"max_length": "12"}


def test_no_errors_for_a_good_password() -> None:
    assert password_errors(STRICT, "Dobre-Hasło-7") == []


@pytest.mark.parametrize(
    ("count", "word"),
    [(1, "znak"), (2, "znaki"), (4, "znaki"), (5, "znaków"), (12, "znaków"), (22, "znaki")],
)
def test_polish_plural_of_characters(count: int, word: str) -> None:
    (error,) = password_errors(PasswordPolicy(count, 64, False, False, False, False), "")
    assert error.message == ""  # the domain writes no sentence: the catalogue words it
    assert field_text(error, "pl") == f"Hasło musi mieć co najmniej {count} {word}."


def test_too_short_message_uses_the_right_plural() -> None:
    (error,) = password_errors(PasswordPolicy(8, 64, False, False, False, False), "")
    assert field_text(error, "pl") == "Hasło musi mieć co najmniej 8 znaków."
    policy = PasswordPolicy(3, 64, False, False, False, False)
    assert password_errors(policy, "abc") == []
    (error,) = password_errors(policy, "ab")
    assert field_text(error, "pl") == "Hasło musi mieć co najmniej 3 znaki."
    assert error.params == {"min_length": "3"}


@pytest.mark.parametrize(("min_length", "max_length"), [(-1, 10), (10, 9), (0, 0)])
def test_policy_rejects_impossible_lengths(min_length: int, max_length: int) -> None:
    with pytest.raises(ValueError):
        PasswordPolicy(min_length=min_length, max_length=max_length)


def test_generated_password_satisfies_the_default_policy() -> None:
    password = generate_password(STRICT)
    assert password_problems(STRICT, password) == []
    assert len(password) == 12


def test_generated_passwords_differ() -> None:
    assert len({generate_password(STRICT) for _ in range(20)}) == 20


def test_generation_with_a_seeded_rng_is_reproducible() -> None:
    a = generate_password(STRICT, random.Random(7))
    b = generate_password(STRICT, random.Random(7))
    assert a == b
    assert a != generate_password(STRICT, random.Random(8))


def test_generated_length_follows_a_longer_minimum() -> None:
    policy = PasswordPolicy(min_length=20)
    assert len(generate_password(policy, random.Random(1))) == 20


def test_generated_length_respects_a_small_maximum() -> None:
    policy = PasswordPolicy(min_length=6, max_length=8)
    password = generate_password(policy, random.Random(1))
    assert len(password) == 8
    assert password_problems(policy, password) == []


def test_generation_refuses_a_policy_it_cannot_satisfy() -> None:
    with pytest.raises(ValueError):
        generate_password(PasswordPolicy(min_length=1, max_length=3), random.Random(1))


def test_generated_password_has_no_lookalikes_or_awkward_characters() -> None:
    rng = random.Random(3)
    text = "".join(generate_password(STRICT, rng) for _ in range(200))
    assert not set(text) & set("Il1O0|'\"` \\")
    assert set(text) <= set(string.ascii_letters + string.digits + string.punctuation)


@given(
    seed=st.integers(),
    min_length=st.integers(min_value=4, max_value=40),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
)
def test_generated_password_always_satisfies_its_policy(
    seed: int, min_length: int, flags: tuple[bool, bool, bool, bool]
) -> None:
    policy = PasswordPolicy(min_length, 128, *flags)
    password = generate_password(policy, random.Random(seed))
    assert password_problems(policy, password) == []
    assert len(password) == max(min_length, 12)


@given(st.text(max_size=40))
def test_problems_match_their_definitions(password: str) -> None:
    problems = password_problems(STRICT, password)
    assert ("too_short" in problems) == (len(password) < 10)
    assert ("no_digit" in problems) == (not any(c.isdigit() for c in password))
    special = [c for c in password if not c.isalnum() and not c.isspace()]
    assert ("no_special" in problems) == (not special)
    assert len(password_errors(STRICT, password)) == len(problems)
