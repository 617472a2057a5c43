"""The clerk's lists on a narrow terminal: Klienci and each section of Kolejka keep their
columns of the highest priority at 80×24 (the account's status, a registration's deadline,
a request's due date and status), and the note under the lists names the hidden columns of
the list in front, never those of a pane or section left behind: on switching panes and
sections, and on a resize."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ibok_tui.app import IbokApp
from ibok_tui.widgets.tables import ListTable
from tests.ui.console_support import SIZE, SMALL, Console, settle
from tests.ui.test_narrow_columns import note, shown_headers, unmarked
from tests.ui.test_operator import office_app, search, sign_in_operator

# what each list keeps at 80 columns
KEPT = {
    "customers-table": ["Kod", "Klient", "Status"],
    "registrations-table": ["Kod", "Imię i nazwisko", "Aktywować do"],
    "requests-table": ["Termin", "Numer", "Status"],
    "readings-table": ["✓", "Stan (m³)"],
    "notices-table": ["Tytuł"],
}


def displayed(widget: Any) -> bool:
    return all(node.display for node in (widget, *widget.ancestors_with_self))


def front_table(app: IbokApp) -> ListTable[Any]:
    [table] = [t for t in app.screen.query(ListTable) if displayed(t)]
    return table


def hidden_of(table: ListTable[Any]) -> list[str]:
    headers = shown_headers(table)
    return [unmarked(c.label.plain) for c in table.ordered_columns if c.label.plain not in headers]


def assert_note_of_front(app: IbokApp) -> list[str]:
    """The note names exactly the hidden columns of the list in front (none: no note)."""
    table = front_table(app)
    hidden = hidden_of(table)
    if hidden:
        assert note(app).startswith("Ukryte kolumny: " + ", ".join(hidden) + " ("), (
            table.id,
            note(app),
        )
    else:
        assert note(app) == "", (table.id, note(app))
    headers = shown_headers(table)
    assert all(name in headers for name in KEPT[table.id or ""]), (table.id, headers)
    assert table.virtual_size.width <= table.scrollable_content_region.width
    return hidden


async def queue_section(pilot: Pilot[Any], key: str = "right_square_bracket") -> None:
    await pilot.press(key)
    await settle(pilot)


async def test_each_pane_and_section_says_which_of_its_columns_are_hidden(
    console: Console,
) -> None:
    app = office_app(console)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in_operator(pilot)
        table = await search(pilot, "Kow")
        table.focus()
        await settle(pilot)
        klienci = assert_note_of_front(app)
        assert klienci  # the address and the meters do not fit beside the name at 80
        await pilot.press("2")
        await settle(pilot)
        seen = {front_table(app).id: assert_note_of_front(app)}
        for _section in range(3):
            await queue_section(pilot)
            seen[front_table(app).id] = assert_note_of_front(app)
        assert set(seen) == {
            "registrations-table",
            "requests-table",
            "readings-table",
            "notices-table",
        }
        assert seen["requests-table"]  # seven columns are too many for 80
        await pilot.press("1")
        await settle(pilot)
        assert front_table(app).id == "customers-table"
        assert assert_note_of_front(app) == klienci
        # wider: the note follows, for the pane in front and then for the one left behind
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        wide = assert_note_of_front(app)
        assert len(wide) < len(klienci)
        await pilot.press("escape", "2")  # "1" put the focus in the search field
        await settle(pilot)
        assert front_table(app).id == "notices-table"  # the section left last
        assert assert_note_of_front(app) == []
        await queue_section(pilot, "left_square_bracket")
        assert front_table(app).id == "readings-table"
        assert_note_of_front(app)
        await queue_section(pilot, "left_square_bracket")
        assert front_table(app).id == "requests-table"
        assert len(assert_note_of_front(app)) < len(seen["requests-table"])
        # and narrow again while in Kolejka
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert assert_note_of_front(app) == seen["requests-table"]
        await pilot.press("1")
        await settle(pilot)
        assert assert_note_of_front(app) == klienci
