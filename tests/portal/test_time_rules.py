"""Rules that depend on time passing: only the in-process portal can move its clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ibok_tui.domain.errors import (
    AccountLocked,
    AuthenticationRequired,
    Captcha,
    CaptchaRequired,
    LoginFailed,
    SessionExpired,
    ValidationFailed,
)
from ibok_tui.domain.models import Registration
from ibok_tui.portal.service import PortalService, open_portal
from tests.support.captcha import solve_captcha
from tests.support.clock import FakeClock


def test_a_session_expires_after_its_time(portal: PortalService, clock: FakeClock) -> None:
    session = portal.login("100001", "Woda!Kowalski1")
    clock.advance(portal.config.session_ttl - timedelta(minutes=1))
    assert portal.profile(session.token).customer.number == "100001"
    clock.advance(timedelta(minutes=2))
    with pytest.raises(SessionExpired):
        portal.profile(session.token)
    with pytest.raises(AuthenticationRequired):  # and it is gone for good
        portal.profile(session.token)


def test_remember_me_keeps_the_session_for_weeks(portal: PortalService, clock: FakeClock) -> None:
    session = portal.login("100001", "Woda!Kowalski1", remember=True)
    clock.advance(timedelta(days=29))
    assert portal.session(session.token).subject == "100001"


def _answer(portal: PortalService, captcha: Captcha | None) -> str | None:
    return None if captcha is None else solve_captcha(captcha)


def test_the_lock_ends_after_its_time(portal: PortalService, clock: FakeClock) -> None:
    locked_until = None
    captcha: Captcha | None = None
    for _ in range(portal.config.lock_after):
        try:
            portal.login(
                "100001",
                "Zle!Haslo123",
                captcha_id=captcha.id if captcha else None,
                captcha_answer=_answer(portal, captcha),
            )
        except AccountLocked as exc:
            locked_until = exc.locked_until
        except LoginFailed as exc:
            captcha = exc.captcha
    assert locked_until == clock.now + portal.config.lock_for
    with pytest.raises(AccountLocked):
        portal.login("100001", "Woda!Kowalski1")
    clock.advance(portal.config.lock_for + timedelta(seconds=1))
    # after the lock a captcha is still asked for: the failures are not forgotten
    with pytest.raises(CaptchaRequired) as raised:
        portal.login("100001", "Woda!Kowalski1")
    captcha = raised.value.captcha
    assert captcha is not None
    session = portal.login(
        "100001", "Woda!Kowalski1", captcha_id=captcha.id, captcha_answer=_answer(portal, captcha)
    )
    assert session.subject == "100001"


def test_a_reset_code_expires_after_an_hour(portal: PortalService, clock: FakeClock) -> None:
    token = portal.lifecycle.issue_token("reset", "100001", portal.config.reset_ttl)
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(ValidationFailed) as raised:
        portal.reset_password(token, "Nowe!Haslo2026")
    assert raised.value.fields == {"token"}


def test_an_activation_code_is_valid_for_72_hours(portal: PortalService, clock: FakeClock) -> None:
    captcha = portal.new_captcha()
    portal.register(
        Registration(
            customer_number="100008",
            last_invoice_number="FV/100008/012",
            full_name="Barbara Szymańska",
            email="b.szymanska@example.pl",
            password="Nowe!Haslo2026",
            password_repeat="Nowe!Haslo2026",
            terms_version=portal.terms().version,
            terms_accepted=True,
            captcha_id=captcha.id,
            captcha_answer=_answer(portal, captcha) or "",
        )
    )
    pending = portal.pending_registrations(
        portal.operator_login("bok.anna", "Operator!2026a").token
    )
    mine = next(p for p in pending if p.customer_number == "100008")
    assert mine.activate_by - mine.registered_at == timedelta(hours=72)


@pytest.mark.parametrize("today", [date(2026, 1, 1), date(2026, 3, 1), date(2027, 7, 15)])
def test_the_demo_data_ends_yesterday_whatever_the_day(tmp_path: Path, today: date) -> None:
    moment = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    portal = open_portal(tmp_path / "demo.sqlite", clock=lambda: moment, seed_demo=True)
    yesterday = (today - timedelta(days=1)).isoformat()
    last_hour = portal.store.scalar("SELECT max(ts) FROM hourly")
    assert last_hour == f"{yesterday}T23"
    assert portal.store.scalar("SELECT max(issue_date) FROM invoices") <= yesterday
    assert portal.store.scalar("SELECT max(read_on) FROM readings") <= yesterday
    token = portal.login("100003", "Woda!Wisniewski3").token
    assert portal.dashboard(token).data_as_of.isoformat() == yesterday


def test_the_password_policy_is_the_utilitys_own(template_db: Path, tmp_path: Path) -> None:
    """A utility with a laxer policy in its settings accepts what the default refuses."""
    import json
    import shutil

    path = tmp_path / "lax.sqlite"
    shutil.copyfile(template_db, path)
    lax = {"password": {"min_length": 6, "require_special": False, "require_upper": False}}
    strict = open_portal(path, clock=FakeClock())
    token = strict.login("100001", "Woda!Kowalski1").token
    with pytest.raises(ValidationFailed):
        strict.change_password(token, "Woda!Kowalski1", "prosto1")
    with strict.store.transaction():
        strict.store.execute(
            "UPDATE settings SET value = ? WHERE key = 'policy'", (json.dumps(lax),)
        )
    strict.store.close()
    portal = open_portal(path, clock=FakeClock())
    token = portal.login("100001", "Woda!Kowalski1").token
    portal.change_password(token, "Woda!Kowalski1", "prosto1")
    assert portal.login("100001", "prosto1").subject == "100001"


def test_billing_period_series_follow_the_customers_period(portal: PortalService) -> None:
    """A smart meter's consumption per billing period uses the customer's period length."""
    from ibok_tui.domain.models import Resolution

    with portal.store.transaction():
        portal.store.execute("UPDATE customers SET billing_months = 2 WHERE number = '100003'")
    token = portal.login("100003", "Woda!Wisniewski3").token
    meter = portal.meters(token)[0]
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    periods = portal.series(token, meter.id, Resolution.BILLING_PERIOD, start, end)
    assert [p.start.month for p in periods] == [1, 3, 5]
    days = portal.series(token, meter.id, Resolution.DAY, start, end)
    assert sum(p.litres for p in periods) == sum(p.litres for p in days)


def test_the_forecast_follows_recent_use_of_a_meter_read_by_hand(portal: PortalService) -> None:
    """Readings end at the last reading, not yesterday: the rate is over the days they cover."""
    token = portal.login("100001", "Woda!Kowalski1").token
    dashboard = portal.dashboard(token)
    forecast = dashboard.forecast
    assert forecast is not None
    last_three_months = [p.litres for p in dashboard.monthly_use[-3:]]
    monthly = sum(last_three_months) / len(last_three_months)
    assert 0.8 * monthly <= forecast.litres <= 1.2 * monthly
