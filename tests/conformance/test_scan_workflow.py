"""A customer's scan has a place in the utility's document workflow (Będzin regulation's
"System Obiegu Dokumentów"), as a request has a status: received, in review, accepted,
rejected with a reason, archived; each step with who and when, moved on by a clerk, seen by
the customer, withdrawable by the customer only until the utility accepts it."""

from __future__ import annotations

import pytest

from ibok_tui.backends.base import Conflict, Forbidden, NotFound, ValidationFailed
from ibok_tui.domain.models import CUSTOMER_AUTHOR, ScanStatus
from ibok_tui.i18n.problems import known
from tests.conformance.conftest import Portal
from tests.conformance.test_scans import JAN_CONTRACT
from tests.support import scans
from tests.support.accounts import customer, operator


def _steps(document: object) -> list[tuple[str, str, str]]:
    return [(e.status.value, e.author, e.reason) for e in document.history]  # type: ignore[attr-defined]


async def test_a_scan_goes_through_review_and_rejection_with_its_reason(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    sent = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.pdf", scans.pdf())
    assert sent.scan_status is ScanStatus.SUBMITTED
    assert _steps(sent) == [("submitted", CUSTOMER_AUTHOR, "")]
    bok = await operator(portal)
    clerk = bok.session.name if bok.session else ""
    reviewed = await bok.set_scan_status(sent.id, ScanStatus.IN_REVIEW)
    assert [s.id for s in await bok.pending_scans()] == [sent.id]  # still the office's to do
    with pytest.raises(ValidationFailed) as bare:
        await bok.set_scan_status(sent.id, ScanStatus.REJECTED, "   ")
    assert [(e.field, e.code) for e in bare.value.errors] == [("reason", "required")]
    rejected = await bok.set_scan_status(sent.id, ScanStatus.REJECTED, " Brak podpisu na str. 2 ")
    assert rejected.scan_status is ScanStatus.REJECTED
    assert _steps(rejected) == [
        ("submitted", CUSTOMER_AUTHOR, ""),
        ("in_review", clerk, ""),
        ("rejected", clerk, "Brak podpisu na str. 2"),
    ]
    assert reviewed.history == rejected.history[:2]
    assert await bok.pending_scans() == []
    # the customer sees it in the list, in the contract and in the document, with the reason
    [listed] = [d for d in await jan.documents() if d.id == sent.id]
    [attached] = (await jan.contract(JAN_CONTRACT)).scans
    [in_list] = next(c for c in await jan.contracts() if c.number == JAN_CONTRACT).scans  # Umowy
    meta, _content = await jan.document_content(sent.id)
    assert listed == attached == in_list == meta == rejected
    # a rejected scan may still be withdrawn (and a new one sent)
    await jan.withdraw_contract_scan(sent.id)
    assert sent.id not in {d.id for d in await jan.documents()}


async def test_an_accepted_scan_is_kept_and_archived_never_rejected(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    sent = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.png", scans.png())
    bok = await operator(portal)
    accepted = await bok.accept_contract_scan(sent.id)
    assert accepted.scan_status is ScanStatus.ACCEPTED
    assert [e.status for e in accepted.history] == [ScanStatus.SUBMITTED, ScanStatus.ACCEPTED]
    with pytest.raises(Conflict) as kept:
        await jan.withdraw_contract_scan(sent.id)
    assert kept.value.code == "scan_accepted"
    for wanted in (ScanStatus.REJECTED, ScanStatus.IN_REVIEW, ScanStatus.SUBMITTED):
        with pytest.raises(Conflict) as refused:
            await bok.set_scan_status(sent.id, wanted, "za późno")
        assert refused.value.code == "scan_status_not_allowed" and known(refused.value.code)
    archived = await bok.set_scan_status(sent.id, ScanStatus.ARCHIVED)
    assert [e.status for e in archived.history][-1] is ScanStatus.ARCHIVED
    with pytest.raises(Conflict):
        await jan.withdraw_contract_scan(sent.id)
    with pytest.raises(Conflict):
        await bok.set_scan_status(sent.id, ScanStatus.ACCEPTED)
    audit = [a.action for a in await bok.audit_log("100001")]
    assert "accept_contract_scan" in audit and "set_scan_status" in audit


@pytest.mark.parametrize(
    "reason",
    ["\x1b]0;PWNED\x07", "linia\nkolejna", "zwrot\r", "\u202eodwrócone", "x" * 501],
)
async def test_a_hostile_or_huge_reason_is_refused_naming_the_field(
    portal: Portal, reason: str
) -> None:
    jan = await customer(portal, "100001")
    sent = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.pdf", scans.pdf())
    bok = await operator(portal)
    with pytest.raises(ValidationFailed) as refused:
        await bok.set_scan_status(sent.id, ScanStatus.REJECTED, reason)
    assert [e.field for e in refused.value.errors] == ["reason"]
    [still] = (await jan.contract(JAN_CONTRACT)).scans
    assert still.scan_status is ScanStatus.SUBMITTED and len(still.history) == 1
    # markup is only text: stored as typed, the console shows it literally
    shown = await bok.set_scan_status(sent.id, ScanStatus.REJECTED, "[b]pogrubione[/b]")
    assert shown.history[-1].reason == "[b]pogrubione[/b]"


async def test_only_the_office_moves_a_scan_and_only_its_owner_sees_it(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    sent = await jan.upload_contract_scan(JAN_CONTRACT, "umowa.pdf", scans.pdf())
    with pytest.raises(Forbidden):
        await jan.set_scan_status(sent.id, ScanStatus.ACCEPTED)
    anna = await customer(portal, "100002")
    with pytest.raises(Forbidden):
        await anna.set_scan_status(sent.id, ScanStatus.REJECTED, "nie moje")
    with pytest.raises(NotFound):
        await anna.document_content(sent.id)
    assert sent.id not in {d.id for d in await anna.documents()}
    bok = await operator(portal)
    with pytest.raises(NotFound):
        await bok.set_scan_status("D-no-such", ScanStatus.IN_REVIEW)
    letter = next(d for d in await jan.documents() if d.scan_status is None)
    with pytest.raises(NotFound):  # a letter of the utility has no workflow here
        await bok.set_scan_status(letter.id, ScanStatus.ARCHIVED)
    [still] = (await jan.contract(JAN_CONTRACT)).scans
    assert still == sent
