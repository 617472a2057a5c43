"""The offline copy (backends/offline.py) against a real `ibok serve` that is stopped and
started again: the last answers come from the copy, marked offline with their date; what
needs the server is refused saying why; one customer's copy is never another's; a logout
clears it; a kiosk keeps nothing; a hostile copy file is ignored, never a crash."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ibok_tui.backends.http import HttpBackend
from ibok_tui.backends.offline import OfflineBackend, OfflineState, unreachable
from ibok_tui.backends.offline_copy import MAX_FILE, scope_name
from ibok_tui.domain.errors import Unavailable
from ibok_tui.domain.models import (
    InvoiceQuery,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
    Resolution,
    SettlementFilter,
)
from ibok_tui.i18n import set_language
from ibok_tui.i18n.problems import error_text
from tests.support.clock import PINNED_NOW, FakeClock
from tests.support.http_server import ServerProcess, clock_hook, own_server
from tests.ui.console_support import PASSWORDS


@pytest.fixture
def server(template_db: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    with own_server(template_db, tmp_path / "server") as found:
        yield found


def offline_backend(
    server: ServerProcess, root: Path, clock: FakeClock, *, kiosk: bool = False
) -> OfflineBackend:
    inner = HttpBackend(
        server.url, event_hooks={"request": [clock_hook(clock)]}, retries=0, backoff=0
    )
    return OfflineBackend(inner, kiosk=kiosk, root=root, clock=clock)


async def browse(backend: OfflineBackend) -> dict[str, object]:
    """What the customer's tabs read, by name."""
    meters = await backend.meters()
    invoices = await backend.invoices(InvoiceQuery())
    return {
        "dashboard": await backend.dashboard(),
        "profile": await backend.profile(),
        "invoices": invoices,
        "invoice": await backend.invoice(invoices[0].number),
        "settlements": await backend.settlements(SettlementFilter.UNPAID),
        "meters": meters,
        "readings": await backend.readings(meters[0].id),
        "series": await backend.series(meters[0].id, Resolution.MONTH),
        "requests": await backend.requests(),
        "contracts": await backend.contracts(),
        "documents": await backend.documents(),
        "notices": await backend.notices(),
    }


def files_of(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_the_last_answers_come_back_offline_with_their_date_and_writes_are_refused(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    root = tmp_path / "private"
    backend = offline_backend(server, root, clock)
    heard: list[OfflineState] = []
    backend.listen(heard.append)
    await backend.login("100001", PASSWORDS["100001"])
    seen = await browse(backend)
    assert backend.state == OfflineState()
    files = files_of(root)
    assert len(files) == len(seen) + 1  # and the session, without its token
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert b"Woda!" not in path.read_bytes()  # no password, no token in the copy
        assert backend.session is not None
        assert backend.session.token.encode() not in path.read_bytes()
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(root.stat().st_mode) == 0o700

    server.stop()
    clock.advance(timedelta(hours=3))
    again = await browse(backend)
    assert again == seen
    assert backend.state == OfflineState(True, PINNED_NOW)
    assert heard == [OfflineState(True, PINNED_NOW)]

    meter = seen["meters"][0]  # type: ignore[index]
    submission = ReadingSubmission(meter.id, "999,5", PINNED_NOW.date())
    with pytest.raises(Unavailable) as refused:
        await backend.submit_reading(submission)
    assert refused.value.code == "offline"
    assert "21.11.2026 10:00" in error_text(refused.value)
    set_language("en")
    try:
        assert "data from 21/11/2026 10:00" in error_text(refused.value)
    finally:
        set_language("pl")
    draft = RequestDraft(RequestCategory.OTHER, "Temat", "Treść")
    with pytest.raises(Unavailable, match="offline"):
        await backend.create_request(draft)
    with pytest.raises(Unavailable, match="offline"):
        await backend.invoice_pdf(seen["invoice"].number)  # type: ignore[attr-defined]
    assert await backend.probe() is False
    assert backend.state.offline

    server.start()
    assert await backend.probe() is True
    assert backend.state == OfflineState()
    assert heard[-1] == OfflineState()
    assert (await backend.dashboard()) == seen["dashboard"]
    await backend.close()


async def test_a_call_never_answered_before_fails_as_it_would_without_a_copy(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    backend = offline_backend(server, tmp_path / "private", clock)
    await backend.login("100001", PASSWORDS["100001"])
    await backend.dashboard()
    server.stop()
    with pytest.raises(Unavailable) as failed:
        await backend.contracts()
    assert unreachable(failed.value)
    assert backend.state == OfflineState(True, None)
    await backend.dashboard()
    assert backend.state == OfflineState(True, PINNED_NOW)
    await backend.close()


async def test_one_customers_copy_is_never_shown_to_another_and_logout_clears_it(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    root = tmp_path / "private"
    backend = offline_backend(server, root, clock)
    await backend.login("100001", PASSWORDS["100001"])
    await browse(backend)
    assert files_of(root)
    await backend.logout()
    assert files_of(root) == []  # cleared at logout

    # A browses again and quits without logging out: A's copy stays for A
    await backend.login("100001", PASSWORDS["100001"])
    await browse(backend)
    folder_of_a = root / scope_name(server.url, "100001")
    kept = {path: path.read_bytes() for path in files_of(folder_of_a)}
    await backend.close()

    other = offline_backend(server, root, clock)
    await other.login("100002", PASSWORDS["100002"])
    server.stop()
    for read in (other.dashboard, other.profile, other.invoices, other.meters, other.requests):
        with pytest.raises(Unavailable):
            await read()
    # nothing of A was read, written over or shown; B has only its session
    assert {path: path.read_bytes() for path in files_of(folder_of_a)} == kept
    assert len(files_of(root / scope_name(server.url, "100002"))) == 1
    await other.close()


async def test_a_kiosk_keeps_nothing(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    root = tmp_path / "private"
    backend = offline_backend(server, root, clock, kiosk=True)
    await backend.login("100001", PASSWORDS["100001"])
    await browse(backend)
    assert not root.exists()
    server.stop()
    with pytest.raises(Unavailable):
        await backend.dashboard()
    await backend.close()


async def test_an_operators_calls_are_never_kept(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    root = tmp_path / "private"
    backend = offline_backend(server, root, clock)
    await backend.operator_login("bok.anna", "Operator!2026a")
    await backend.search_customers("Kowalski")
    served = await backend.act_for("100001")
    await served.dashboard()
    await backend.notices()
    assert not root.exists()
    await served.close()
    await backend.close()


def dashboard_file(folder: Path) -> Path:
    (found,) = [p for p in files_of(folder) if b'"call":"[\\"dashboard\\",[]]"' in p.read_bytes()]
    return found


def _hostile_contents(good: bytes, other_customer: bytes) -> dict[str, bytes]:
    return {
        "truncated": good[: len(good) // 2],
        "garbage": os.urandom(4096),
        "empty": b"",
        "not an object": b"[1, 2, 3]",
        "another customer's": other_customer,
        "deeply nested": b"[" * 100_000 + b"]" * 100_000,
        "future": good.replace(b'"taken_at":"2026-11-21', b'"taken_at":"2099-11-21'),
        "no zone": good.replace(b"+00:00", b""),
        "wrong shape": good.replace(b'"answer":{', b'"answer":{"customer":7,'),
        "huge": b'{"format":"' + b"x" * (MAX_FILE + 10) + b'"}',
    }


async def test_a_hostile_copy_file_is_ignored_never_a_crash(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    root = tmp_path / "private"
    backend = offline_backend(server, root, clock)
    await backend.login("100002", PASSWORDS["100002"])
    await backend.dashboard()
    other_customer = dashboard_file(root).read_bytes()
    await backend.close()

    backend = offline_backend(server, root, clock)
    await backend.login("100001", PASSWORDS["100001"])
    dashboard = await backend.dashboard()
    path = dashboard_file(root / scope_name(server.url, "100001"))
    good = path.read_bytes()
    assert b'"customer":"100001"' in good
    server.stop()
    assert await backend.dashboard() == dashboard  # the good copy first

    for name, content in _hostile_contents(good, other_customer).items():
        path.unlink()
        path.write_bytes(content)
        with pytest.raises(Unavailable) as failed:
            await backend.dashboard()
        assert unreachable(failed.value), name
    # a link to a device that never ends, and a folder in the file's place
    path.unlink()
    path.symlink_to("/dev/zero")
    with pytest.raises(Unavailable):
        await backend.dashboard()
    path.unlink()
    path.mkdir()
    with pytest.raises(Unavailable):
        await backend.dashboard()
    await backend.close()


async def test_a_start_offline_adopts_only_the_remembered_customers_own_session_copy(
    server: ServerProcess, tmp_path: Path, clock: FakeClock
) -> None:
    root = tmp_path / "private"
    backend = offline_backend(server, root, clock)
    await backend.login("100001", PASSWORDS["100001"])
    dashboard = await backend.dashboard()
    await backend.close()
    server.stop()

    fresh = offline_backend(server, root, clock)
    assert await fresh.resume_offline("100002", "token-of-the-keyring") is None
    assert fresh.session is None
    session = await fresh.resume_offline("100001", "token-of-the-keyring")
    assert session is not None and session.subject == "100001"
    assert session.token == "token-of-the-keyring"
    assert fresh.state.offline
    assert await fresh.dashboard() == dashboard
    with pytest.raises(Unavailable, match="offline"):
        await fresh.meters()  # never shown: refused, not sent without a session
    assert await fresh.probe() is False

    # a session copy that claims to be an operator's is not adopted
    folder = root / scope_name(server.url, "100001")
    for path in files_of(folder):
        content = path.read_bytes()
        if b'"role":"customer"' in content and b'"token":""' in content:
            path.write_bytes(content.replace(b'"role":"customer"', b'"role":"operator"'))
    assert await offline_backend(server, root, clock).resume_offline("100001", "t") is None
