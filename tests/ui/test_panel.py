"""Pulpit's one-widget panels (widgets/panel.py, widgets/sparkline_panel.py) draw what the
widgets they replaced drew: Textual's sparkline bars, a Rich grid table's lines."""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.renderables.sparkline import Sparkline
from textual.style import Style

from ibok_tui.widgets.panel import Labelled, Panel
from ibok_tui.widgets.sparkline_panel import Bars, SparklinePanel

LOW, HIGH = Color.from_rgb(10, 40, 90), Color.from_rgb(1, 120, 212)
BASE = RichStyle(bgcolor="#121212", color="#e0e0e0")


def cells(lines: list[list[Segment]]) -> list[list[tuple[str, RichStyle | None]]]:
    """Each line's cells: a character and its style."""
    return [[(ch, seg.style) for seg in line for ch in seg.text] for line in lines]


class _Base:
    rich_style = BASE


@pytest.mark.parametrize(
    "data",
    [
        [],
        [4.0],
        [0.0, 0.0],
        [5.0, 1.0, 9.0, 9.0, 2.0, 7.5, 3.0, 8.0, 6.0, 0.0, 4.0, 3.0],
        [float(v % 7) for v in range(200)],
    ],
)
@pytest.mark.parametrize("width", [3, 7, 12, 40, 114])
def test_the_bars_are_textual_s_sparkline(data: list[float], width: int) -> None:
    """Cell for cell, Textual's renderable (base style under it and padded with it, as a
    widget paints it) inside a column of margin each side."""
    inner = width - 2
    renderable = Sparkline(data, width=inner, height=3, min_color=LOW, max_color=HIGH)
    segments = Console(width=inner).render(renderable)
    theirs = []
    for line in Segment.split_lines(segments):
        drawn = [Segment(s.text, BASE + s.style if s.style else BASE) for s in line]
        pad = Segment(" " * (inner - Segment.get_line_length(drawn)), BASE)
        theirs.append([Segment(" ", BASE), *drawn, pad, Segment(" ", BASE)])
    ours = Bars(data, LOW, HIGH, 3).render_strips(width, None, _Base(), None)  # type: ignore[arg-type]
    assert cells([list(strip) for strip in ours]) == cells(theirs)
    assert all(strip.cell_length == width for strip in ours)


class Panels(App[None]):
    CSS = "Panel { width: 40; }"

    def compose(self) -> ComposeResult:
        yield Panel("Kontakt", id="table")
        yield SparklinePanel("Zużycie", id="use")


CONTACT = [
    ("", "Wodociągi Miejskie „Zdrój” Sp. z o.o.", "bold"),
    ("Adres", "ul. Źródlana 12, 05-540 Zalesie Górne, a line that wraps", ""),
    ("Telefon", "22 123 45 67", ""),
    ("Pogotowie", "994", "bold"),
    ("E-mail", "bok@zdroj.example.pl", ""),
    ("Godziny", "pon. 8:00–18:00; wt.–pt. 7:30–15:30", ""),
    ("Puste", "", ""),
]


def _labelled() -> Labelled:
    return Labelled([(label, Content.styled(value, style)) for label, value, style in CONTACT])


def _grid() -> Table:
    """The Rich table Pulpit's contact details were."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim")
    table.add_column()
    for label, value, style in CONTACT:
        table.add_row(label, Text(value, style=style))
    return table


async def test_a_panel_draws_its_title_then_its_content() -> None:
    async with Panels().run_test(size=(60, 20)) as pilot:
        table = pilot.app.query_one("#table", Panel)
        table.update(_labelled())
        use = pilot.app.query_one("#use", SparklinePanel)
        use.data = [1.0, 3.0, 2.0]
        use.update(Text("razem 6 m³"))
        await pilot.pause()
        lines = [strip.text for strip in table.render_lines(table.region.reset_offset)]
        assert lines[1].startswith("│ Kontakt ")
        assert lines[2].startswith("│           Wodociągi") and any(
            line.startswith("│ Adres     ul. Źródlana 12") for line in lines
        )
        rows = Console(width=36).render_lines(_grid(), pad=False)  # the content's width
        assert len(lines) == table.outer_size.height == 2 + 1 + len(rows)  # border, title
        assert len(rows) > len(CONTACT)  # values wrapped: their lines are all there
        use_lines = [strip.text for strip in use.render_lines(use.region.reset_offset)]
        assert use_lines[1].startswith("│ Zużycie")
        assert use_lines[-2].startswith("│ razem 6 m³")
        assert len(use_lines) == 2 + 1 + 3 + 1
        table.title = "Kontakt z wodociągami"
        await pilot.pause()
        assert "Kontakt z wodociągami" in table.render_lines(table.region.reset_offset)[1].text


def _drawn(strips: list[Any]) -> list[list[tuple[str, bool, bool]]]:
    """Each line's cells as a reader sees them: the character, bold, dim; trailing blanks
    dropped (a Rich table pads its cells, the panel pads the line)."""
    lines = []
    for strip in strips:
        line = [
            (ch, bool(seg.style and seg.style.bold), bool(seg.style and seg.style.dim))
            for seg in strip
            for ch in seg.text
        ]
        while line and line[-1][0] == " ":
            line.pop()
        lines.append([(ch, bold, dim and ch != " ") for ch, bold, dim in line])
    return lines


@pytest.mark.parametrize("width", [30, 36, 58, 114])
def test_labels_and_values_are_drawn_as_a_rich_grid_draws_them(width: int) -> None:
    """Labelled is what Pulpit's Rich grid table drew, cell for cell: the labels' column,
    one space, the values wrapped beside it."""
    theirs = Console(width=width).render_lines(_grid(), pad=False)
    style = Style()
    ours = _labelled().render_strips(width, None, style, options(style))
    assert _drawn(ours) == _drawn(theirs)
    assert _labelled().get_height(Panel("x").styles, width) == len(theirs)
    assert _labelled().plain.splitlines()[:2] == [
        "Wodociągi Miejskie „Zdrój” Sp. z o.o.",
        "Adres ul. Źródlana 12, 05-540 Zalesie Górne, a line that wraps",
    ]


def options(style: Style) -> Any:
    from textual.visual import RenderOptions

    return RenderOptions(
        lambda name: Style.parse(name) if isinstance(name, str) else name, Panel("x").styles
    )


def test_a_word_longer_than_the_room_is_folded_not_cut() -> None:
    """Where the Rich table cut a long e-mail address with "…", every character of it is
    shown, on as many lines as it takes, under the value's first line."""
    address = "bok@wodociagi-zalesie-gorne-i-okolice.example.pl"
    style = Style()
    strips = Labelled([("E-mail", Content(address)), ("Telefon", Content("994"))]).render_strips(
        24, None, style, options(style)
    )
    lines = [strip.text.rstrip() for strip in strips]
    assert lines[0].startswith("E-mail  bok@")
    assert "".join(line[8:] for line in lines[:-1]) == address
    assert all(line.startswith(" " * 8) for line in lines[1:-1])
    assert lines[-1] == "Telefon 994"
    # broken between its parts (after "@" or "-", before "."), not mid-word
    assert [line[8:] for line in lines[:-1]] == [
        "bok@wodociagi-",
        "zalesie-gorne-i-",
        "okolice.example",
        ".pl",
    ]


@pytest.mark.parametrize(
    ("value", "room", "expected"),
    [
        ("bok@wodociagi-zalesie.example.pl", 26, ["bok@wodociagi-zalesie", ".example.pl"]),
        ("https://ibok.example.pl/faktury", 14, ["https://ibok", ".example.pl/", "faktury"]),
        # a part longer than the room is cut where it must; every character is kept
        ("bok@wodociagizalesie.pl", 8, ["bok@", "wodociag", "izalesie", ".pl"]),
        ("żółć漢字漢字", 5, ["żółć", "漢字", "漢字"]),  # by cells, a wide letter never split
        ("a漢", 1, ["a", "漢"]),  # wider than the room: alone on its line, no empty line after
        ("a@\u0301bcdef", 2, ["a@\u0301", "bc", "de", "f"]),  # an accent stays on its letter
        (
            "x\U0001f468\u200d\U0001f469\u200d\U0001f467yz",
            2,
            ["x", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "yz"],
        ),
        ("....", 2, ["..", ".."]),
        ("ul. Źródlana 12", 9, ["ul.", "Źródlana", "12"]),  # words with spaces: as before
    ],
)
def test_a_long_address_breaks_between_its_parts(
    value: str, room: int, expected: list[str]
) -> None:
    from ibok_tui.widgets.panel import _wrapped

    lines = [line.plain.rstrip() for line in _wrapped(Content(value), room)]
    assert lines == expected
    assert all(Content(line).cell_length <= room for line in lines if len(line) > 1)
