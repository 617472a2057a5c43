"""Addresses stored before the checks (imported from the billing system, or written by an
older version) may hold what the checks now refuse. Mail never goes to such an address,
and nothing fails because of it: the reset says nothing, as for any mismatch."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibok_tui.domain.errors import Conflict, ValidationFailed
from ibok_tui.portal.service import PortalService

HOSTILE = "jan.kowalski@example.pl\r\nBcc: everyone@example.pl"


@pytest.fixture
def stored(portal: PortalService) -> PortalService:
    """The portal, with a hostile address stored for Jan Kowalski."""
    service = portal
    with service.store.transaction():
        service.store.execute("UPDATE customers SET email = ? WHERE number = '100001'", (HOSTILE,))
    return service


def _outbox(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "outbox").glob("*.eml")) if (tmp_path / "outbox").exists() else []


def test_a_reset_for_a_stored_address_with_a_line_break_sends_nothing(
    stored: PortalService, tmp_path: Path
) -> None:
    portal = stored
    before = _outbox(tmp_path)
    portal.request_password_reset("100001", "jan.kowalski@example.pl")  # no match: no mail
    with pytest.raises(ValidationFailed) as refused:  # the stored address itself: refused
        portal.request_password_reset("100001", HOSTILE)
    assert refused.value.fields == {"email"}
    assert _outbox(tmp_path) == before


def test_issuing_a_password_to_such_an_address_is_refused_before_anything_changes(
    stored: PortalService, tmp_path: Path
) -> None:
    portal = stored
    staff = portal.operator_login("bok.anna", "Operator!2026a")
    before = _outbox(tmp_path)
    with pytest.raises(Conflict):
        portal.issue_password(staff.token, "100001")
    assert _outbox(tmp_path) == before
    assert portal.login("100001", "Woda!Kowalski1").subject == "100001"  # the password stands
