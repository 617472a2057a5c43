"""i18n: Polish formats through babel, and English complete for every console message."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from ibok_tui.domain.models import InvoiceStatus, RequestStatus
from ibok_tui.i18n import _, cubic_metres, day, label, moment, money, set_language
from ibok_tui.i18n.en import ENGLISH
from ibok_tui.i18n.labels import LABELS
from ibok_tui.widgets.reading_format import Messages

PACKAGE = Path(__file__).resolve().parents[2] / "ibok_tui"
CONSOLE_MODULES = [
    "app.py",
    "screens/forms/base.py",
    "screens/account/login.py",
    "screens/forms/dialogs.py",
    "screens/account/reauth.py",
    "screens/account/register.py",
    "screens/account/password_reset.py",
    "screens/account/change_password.py",
    "screens/forms/keys_help.py",
    "screens/customer/pulpit.py",
    "screens/customer/invoices.py",
    "screens/forms/invoice_detail.py",
    "screens/customer/payment.py",
    "screens/account/consents.py",
    "screens/customer/settlements.py",
    "screens/customer/contracts.py",
    "screens/customer/documents.py",
    "screens/customer/data.py",
    "screens/customer/settings.py",
    "screens/customer/help.py",
    "screens/forms/file_picker.py",
    "widgets/header.py",
    "widgets/password_rules.py",
    # metering, requests and analyses (their own text in `Messages` tables, see below)
    "screens/customer/readings.py",
    "screens/forms/reading_form.py",
    "screens/customer/meters.py",
    "screens/customer/requests.py",
    "screens/forms/request_form.py",
    "screens/customer/analyses.py",
    "widgets/chart.py",
    "widgets/chart_data.py",
    "widgets/reading_format.py",
    "widgets/reading_series.py",
    "widgets/reading_confirm.py",
    # the clerk's console and the kiosk
    "screens/clerk/operator.py",
    "session/desk.py",
    "screens/clerk/operator_dialogs.py",
    "screens/clerk/operator_kiosk.py",
    "screens/clerk/customers.py",
    "screens/clerk/queue.py",
    "screens/clerk/audit.py",
    "widgets/banner.py",
    "session/kiosk.py",
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
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "TAB_TITLE" for t in node.targets)
                and isinstance(node.value, ast.Constant)
            ):
                yield str(node.value.value)
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


def test_tables_translated_through_the_catalogue_have_english() -> None:
    """Text kept in module constants and passed to `_()` by name, not as a literal."""
    from ibok_tui.screens.clerk.audit import ACTIONS
    from ibok_tui.screens.clerk.operator import OPERATOR_TABS
    from ibok_tui.screens.clerk.operator_kiosk import REFUSED

    tables = [*ACTIONS.values(), *(title for _key, _pane, title in OPERATOR_TABS), REFUSED]
    assert [text for text in tables if text not in ENGLISH] == []


def message_tables() -> Iterator[tuple[str, Messages[Any]]]:
    """The `Messages` tables (Polish and English side by side) of the console modules."""
    seen: set[int] = set()
    for module in CONSOLE_MODULES:
        name = "ibok_tui." + module.removesuffix(".py").replace("/", ".")
        for attribute, value in vars(importlib.import_module(name)).items():
            if isinstance(value, Messages) and id(value) not in seen:
                seen.add(id(value))
                yield f"{name}.{attribute}", value


def test_every_polish_table_entry_has_english() -> None:
    tables = dict(message_tables())
    assert len(tables) >= 15
    missing = {name: table.untranslated() for name, table in tables.items()}
    assert {name: keys for name, keys in missing.items() if keys} == {}


def test_table_translations_keep_their_parameters() -> None:
    for name, table in message_tables():
        for key, polish, english in table.pairs():
            assert english is not None, (name, key)
            assert sorted(_params(polish)) == sorted(_params(english)), (name, key)


def test_tables_follow_the_language(english: None) -> None:
    from ibok_tui.widgets.reading_format import REQUEST_STATUS

    assert REQUEST_STATUS[RequestStatus.CLOSED] == "closed"
    set_language("pl")
    assert REQUEST_STATUS[RequestStatus.CLOSED] == "zamknięte"


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
    assert money(123456) == "PLN\xa01,234.56"
    assert money(-5) == "-PLN\xa00.05"
    assert day(date(2026, 11, 21)) == "21/11/2026"
    assert label(InvoiceStatus.OVERDUE) == "overdue"
    assert _("dane na dzień {date}", date="20/11/2026") == "data as of 20/11/2026"


def _descriptions(node: Any) -> set[str]:
    return {b.description for bs in node._bindings.key_to_bindings.values() for b in bs}


def test_dialog_and_widget_keys_follow_the_language(english: None) -> None:
    """Modal forms and widgets translate their own keys (they are not tab screens)."""
    from ibok_tui.screens.forms.reading_form import ReadingForm
    from ibok_tui.screens.forms.request_form import RequestForm
    from ibok_tui.widgets.reading_confirm import ConfirmDialog
    from ibok_tui.widgets.reading_series import ReadingSeries

    assert {"Cancel", "Send"} <= _descriptions(ReadingForm())
    assert {"Cancel", "Send"} <= _descriptions(RequestForm())
    assert "Back" in _descriptions(ReadingSeries())
    dialog = ConfirmDialog("?")
    assert {"Yes", "No"} <= _descriptions(dialog)
    assert (dialog._yes, dialog._no) == ("Yes", "No")
    set_language("pl")
    assert {"Tak", "Nie"} <= _descriptions(ConfirmDialog("?"))


def test_metering_formats_follow_the_language() -> None:
    from ibok_tui.widgets.reading_format import day as reading_day
    from ibok_tui.widgets.reading_format import editable_index, m3, zloty

    assert (m3(1234567), zloty(123456), reading_day(date(2026, 11, 21))) == (
        "1\xa0234,567",
        "1\xa0234,56\xa0zł",
        "21.11.2026",
    )
    assert editable_index(1234567) == "1 234,567"
    set_language("en")
    try:
        assert (m3(1234567), zloty(123456), reading_day(date(2026, 11, 21))) == (
            "1,234.567",
            "PLN\xa01,234.56",
            "21/11/2026",
        )
        assert editable_index(1234567) == "1234.567"
        assert zloty(-5) == money(-5) == "-PLN\xa00.05"
    finally:
        set_language("pl")


def test_domain_problems_are_shown_in_english(english: None) -> None:
    from ibok_tui.domain.readings import ReadingInputError, check_reading, parse_index
    from ibok_tui.widgets.reading_format import PROBLEMS_EN, editable_index, problem_text

    with pytest.raises(ReadingInputError) as raised:
        parse_index("abc")
    assert problem_text(raised.value.code, raised.value.message) == PROBLEMS_EN["not_a_number"]
    assert parse_index(editable_index(1234567)) == 1234567
    verdict = check_reading(1000, date(2026, 11, 22), [], today=date(2026, 11, 21))
    [error] = verdict.errors
    assert problem_text(error.code, error.message, error.params) == (
        "The reading date cannot be later than today."
    )
    set_language("pl")
    assert problem_text(error.code, error.message, error.params) == error.message


def test_every_reading_problem_of_the_domain_has_english() -> None:
    """The codes `parse_index` and `check_reading` can give (read from their source)."""
    from ibok_tui.widgets.reading_format import PROBLEMS_EN

    tree = ast.parse((PACKAGE / "domain/readings.py").read_text(encoding="utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            position = {"ReadingInputError": 0, "FieldError": 1}.get(node.func.id)
            if position is not None and isinstance(node.args[position], ast.Constant):
                codes.add(node.args[position].value)
    assert len(codes) >= 10
    assert sorted(codes - set(PROBLEMS_EN)) == []
