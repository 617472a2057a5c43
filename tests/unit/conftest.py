from __future__ import annotations

from collections.abc import Iterator

import pytest

from ibok_tui.i18n import set_language


@pytest.fixture
def english() -> Iterator[None]:
    """The console's language English for one test, Polish (the default) again after it."""
    set_language("en")
    yield
    set_language("pl")
