"""i18n: Polish formats through babel, and English complete for every console message."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ibok_tui.domain.models import InvoiceStatus
from ibok_tui.i18n import _, cubic_metres, day, label, moment, money, set_language
from ibok_tui.i18n.en import ENGLISH
from ibok_tui.i18n.labels import LABELS

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"
CONSOLE_MODULES = [
    "app.py",
    "screens/base.py",
    "screens/login.py",
    "screens/dialogs.py",
    "screens/reauth.py",
    "screens/register.py",
    "screens/password_reset.py",
    "screens/change_password.py",
    "screens/keys_help.py",
    "screens/placeholder.py",
    "screens/pulpit.py",
    "screens/invoices.py",
    "screens/invoice_detail.py",
    "screens/payment.py",
    "screens/consents.py",
    "screens/settlements.py",
    "screens/contracts.py",
    "screens/documents.py",
    "screens/customer.py",
    "screens/settings.py",
    "screens/help.py",
    "screens/file_picker.py",
    "widgets/header.py",
    "widgets/password_rules.py",
]


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("pl")


def messages() -> Iterator[str]:
    """Every literal the console translates: `_("…")`, binding descriptions, tab titles."""
    for module in CONSOLE_MODULES:
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = node.args
            if node.func.id == "_" and args and isinstance(args[0], ast.Constant):
                yield str(args[0].value)
            if node.func.id == "Binding" and len(args) >= 3 and isinstance(args[2], ast.Constant):
                yield str(args[2].value)


def test_every_console_message_has_an_english_translation() -> None:
    found = set(messages()) | set(LABELS.values())
    assert len(found) > 250
    missing = sorted(m for m in found if m not in ENGLISH)
    assert missing == []


def test_translations_keep_their_parameters() -> None:
    for polish, english in ENGLISH.items():
        assert sorted(_params(polish)) == sorted(_params(english)), polish


def _params(text: str) -> list[str]:
    import string

    return [name for _t, name, _f, _c in string.Formatter().parse(text) if name]


def test_polish_formats() -> None:
    assert money(123456) == "1\xa0234,56\xa0zł"
    assert money(-5) == "-0,05\xa0zł"
    assert day(date(2026, 11, 21)) == "21.11.2026"
    assert cubic_metres(1012814) == "1\xa0012,814 m³"
    assert moment(datetime(2026, 11, 21, 9, 15, tzinfo=UTC)) == "21.11.2026 10:15"
    assert label(InvoiceStatus.OVERDUE) == "zaległa"
    assert _("dane na dzień {date}", date="20.11.2026") == "dane na dzień 20.11.2026"


def test_english_formats(english: None) -> None:
    assert money(123456) == "PLN1,234.56"
    assert day(date(2026, 11, 21)) == "21/11/2026"
    assert label(InvoiceStatus.OVERDUE) == "overdue"
    assert _("dane na dzień {date}", date="20/11/2026") == "data as of 20/11/2026"
