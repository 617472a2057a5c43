import pytest

from ibok_tui.backends.base import Backend, LoginFailed


async def test_sign_in_and_see_the_dashboard(backend: Backend) -> None:
    session = await backend.login("100001", "Woda!Kowalski1")
    assert session.subject == "100001"
    dashboard = await backend.dashboard()
    assert dashboard.customer.name == "Jan Kowalski"
    assert str(dashboard.data_as_of) == "2026-11-20"


async def test_wrong_password_is_refused(backend: Backend) -> None:
    with pytest.raises(LoginFailed):
        await backend.login("100001", "wrong")
