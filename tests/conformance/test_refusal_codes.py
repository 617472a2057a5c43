"""Both backends refuse alike: the same error kind, code and parameters (as data, never a
sentence to parse), so the console words a refusal the same whichever backend is behind it.
Each test pins what the refusal is; run over both backends, each must give exactly that."""

from __future__ import annotations

import pytest

from ibok_tui.backends.base import (
    Conflict,
    IbokError,
    LoginFailed,
    NeedsConfirmation,
    NotFound,
    ValidationFailed,
)
from ibok_tui.domain.models import ReadingSubmission, RequestCategory, RequestDraft
from ibok_tui.i18n import set_language
from ibok_tui.i18n.problems import error_text
from tests.conformance.conftest import Portal
from tests.support.accounts import customer

JAN_METER = "M-WK-2209-11873"  # last reading 1 012,814 m³ on 31 October 2026, monthly billing
ANNA_MAIN = "M-WK-1908-40211"  # a reading of 19 November waits for import (2-month billing)


def _fields(error: ValidationFailed) -> list[tuple[str, str, dict[str, str]]]:
    return sorted((e.field, e.code, e.params) for e in error.errors)


def _what(error: IbokError) -> tuple[str, str, dict[str, str]]:
    return type(error).__name__, error.code, error.params


async def test_a_refused_reading_is_a_code_and_its_dates(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    with pytest.raises(ValidationFailed) as twice:
        await anna.submit_reading(ReadingSubmission(ANNA_MAIN, "925,000"))
    assert _fields(twice.value) == [("value", "same_period", {"next_possible": "2027-01-01"})]

    jan = await customer(portal, "100001")
    with pytest.raises(NeedsConfirmation) as lower:
        await jan.submit_reading(ReadingSubmission(JAN_METER, "0,350"))
    assert _fields(lower.value) == [
        ("value", "lower_than_previous", {"index": "0.350", "previous": "1012.814"})
    ]
    with pytest.raises(ValidationFailed) as typed:
        await jan.submit_reading(ReadingSubmission(JAN_METER, "dużo"))
    assert _fields(typed.value) == [("value", "not_a_number", {})]


async def test_a_refused_text_names_its_limit(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    draft = RequestDraft(RequestCategory.OTHER, "x" * 201, "Treść.")
    with pytest.raises(ValidationFailed) as long:
        await jan.create_request(draft)
    assert _fields(long.value) == [("subject", "too_long", {"max": "200"})]


async def test_refusals_of_state_and_of_things_missing_have_their_own_codes(
    portal: Portal,
) -> None:
    jan = await customer(portal, "100001")
    with pytest.raises(NotFound) as missing:
        await jan.invoice("FV/100001/999")
    assert _what(missing.value) == ("NotFound", "invoice_not_found", {})
    reading = await jan.submit_reading(ReadingSubmission(JAN_METER, "1019,5"))
    await jan.withdraw_reading(reading.id)
    with pytest.raises(Conflict) as withdrawn:
        await jan.withdraw_reading(reading.id)
    assert _what(withdrawn.value) == ("Conflict", "reading_not_pending", {})


async def test_a_refused_sign_in_is_a_code(portal: Portal) -> None:
    client = await portal.client()
    with pytest.raises(LoginFailed) as wrong:
        await client.login("100001", "Nie-to-hasło1!")
    assert (wrong.value.code, wrong.value.params) == ("login_failed", {})
    set_language("en")
    try:
        assert error_text(wrong.value) == "Wrong customer number or password."
    finally:
        set_language("pl")
