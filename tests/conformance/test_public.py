"""What anyone sees before signing in."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from ibok_tui.backends.base import Backend
from ibok_tui.domain.models import NoticeKind
from ibok_tui.domain.proof_of_work import satisfies
from ibok_tui.portal.base import PortalConfig
from tests.support.captcha import solve_captcha


async def test_a_new_client_is_signed_out(backend: Backend) -> None:
    assert backend.session is None
    assert backend.label


async def test_utility(backend: Backend) -> None:
    utility = await backend.utility()
    assert utility.name == "Wodociągi Miejskie w Zalesiu Sp. z o.o."
    assert utility.short_name == "Wodociągi Zalesie"
    assert utility.nip == "5250001003"
    assert utility.address.city == "Zalesie Górne"
    assert utility.emergency_phone == "994"
    assert utility.office_hours
    assert "{number}" in utility.online_payment_url


async def test_terms(backend: Backend) -> None:
    terms = await backend.terms()
    assert terms.version == "2026.1"
    assert terms.effective_from == date(2026, 1, 1)
    assert "iBOK" in terms.text and "14 dni" in terms.text


async def test_password_policy(backend: Backend) -> None:
    policy = await backend.password_policy()
    assert policy.min_length == 10
    assert policy.require_upper and policy.require_lower
    assert policy.require_digit and policy.require_special


async def test_notices_include_the_planned_works(backend: Backend) -> None:
    notices = await backend.notices()
    kinds = {n.kind for n in notices}
    assert {NoticeKind.MAINTENANCE, NoticeKind.FAILURE, NoticeKind.INFO} <= kinds
    works = next(n for n in notices if n.kind is NoticeKind.MAINTENANCE)
    assert "ul. Leśna" in works.title
    assert works.valid_from == date(2026, 11, 24)
    # nothing that ended before today (21 November 2026)
    assert all(n.valid_to is None or n.valid_to >= date(2026, 11, 21) for n in notices)


async def test_tariffs_follow_each_other(backend: Backend) -> None:
    tariffs = await backend.tariffs()
    assert [t.id for t in tariffs] == ["T2024", "T2025", "T2026"]
    current = tariffs[-1]
    assert current.valid_to is None
    assert (current.water_per_m3, current.sewage_per_m3) == (586, 821)
    assert current.subscription_per_month == 520
    for earlier, later in pairwise(tariffs):
        assert earlier.valid_to is not None and earlier.valid_to < later.valid_from


async def test_a_new_captcha_is_a_fresh_proof_of_work(backend: Backend) -> None:
    first = await backend.new_captcha()
    second = await backend.new_captcha()
    assert first.id != second.id and first.challenge != second.challenge
    for captcha in (first, second):
        # nothing in it is the answer: the work has to be done
        assert captcha.difficulty == PortalConfig().captcha_difficulty
        assert captcha.id in captcha.challenge
        answer = solve_captcha(captcha)
        assert answer.isdigit() and satisfies(captcha.challenge, answer, captcha.difficulty)
