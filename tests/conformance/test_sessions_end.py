"""Sessions that end, end everywhere: an operator's logout ends the act-for sessions it
opened (and only those), and blocking or terminating an account ends every session of it,
the office's act-for sessions included."""

from __future__ import annotations

import pytest

from ibok_tui.backends.base import AuthenticationRequired, Backend
from tests.conformance.conftest import Portal
from tests.support.accounts import PASSWORDS, customer, operator


async def _signed_out(backend: Backend) -> None:
    with pytest.raises(AuthenticationRequired):
        await backend.profile()


async def test_an_operators_logout_ends_the_act_for_sessions_it_opened(portal: Portal) -> None:
    desk = await operator(portal, "bok.anna")
    other_desk = await operator(portal, "bok.anna")  # the same clerk at a second terminal
    for_jan = await desk.act_for("100001")
    for_anna = await desk.act_for("100002")
    kept = await other_desk.act_for("100003")
    jan = await customer(portal, "100001")  # the customer's own session
    assert (await for_jan.profile()).customer.number == "100001"

    await desk.logout()
    await _signed_out(for_jan)
    await _signed_out(for_anna)
    # the other terminal's session and what it opened go on, as does the customer's own
    assert (await kept.profile()).customer.number == "100003"
    assert (await jan.profile()).customer.number == "100001"
    assert (await other_desk.search_customers("100001"))[0].number == "100001"


async def test_an_act_for_session_cannot_be_resumed_after_the_operators_logout(
    portal: Portal,
) -> None:
    desk = await operator(portal)
    acting = await desk.act_for("100001")
    assert acting.session is not None
    token = acting.session.token
    await desk.logout()
    later = await portal.client()
    with pytest.raises(AuthenticationRequired):
        await later.resume(token)


async def test_blocking_by_the_office_ends_the_act_for_sessions_too(portal: Portal) -> None:
    desk = await operator(portal, "bok.marek")
    acting = await desk.act_for("100001")
    jan = await customer(portal, "100001")
    office = await operator(portal, "bok.anna")
    await office.block_account("100001", "podejrzenie przejęcia konta")
    await _signed_out(jan)
    await _signed_out(acting)
    # the operators' own sessions are not the customer's
    assert (await desk.search_customers("100001"))[0].number == "100001"


async def test_zastrzezenie_ends_every_session_of_the_account(portal: Portal) -> None:
    jan = await customer(portal, "100001")
    jan_elsewhere = await customer(portal, "100001")
    acting = await (await operator(portal)).act_for("100001")
    anna = await customer(portal, "100002")
    await jan.block_access(PASSWORDS["100001"])
    await _signed_out(jan_elsewhere)
    await _signed_out(acting)
    assert (await anna.profile()).customer.number == "100002"


async def test_termination_ends_every_session_of_the_account(portal: Portal) -> None:
    anna = await customer(portal, "100002")
    anna_elsewhere = await customer(portal, "100002")
    await anna.terminate(PASSWORDS["100002"])
    await _signed_out(anna_elsewhere)
