"""Pulpit's one-widget panels (widgets/panel.py, widgets/sparkline_panel.py) draw what the
widgets they replaced drew: Textual's sparkline bars, a Rich table's lines."""

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
from textual.renderables.sparkline import Sparkline
from textual.style import Style
from textual.visual import RichVisual

from ibok_tui.widgets.panel import DrawnOnce, Panel
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


def _contact() -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim")
    table.add_column()
    table.add_row("Adres", Text("ul. Źródlana 12, 05-540 Zalesie Górne, a line that wraps"))
    table.add_row("Godziny", Text("pon. 8:00–18:00; wt.–pt. 7:30–15:30"))
    return table


async def test_a_panel_draws_its_title_then_its_content() -> None:
    async with Panels().run_test(size=(60, 20)) as pilot:
        table = pilot.app.query_one("#table", Panel)
        table.update(_contact())
        use = pilot.app.query_one("#use", SparklinePanel)
        use.data = [1.0, 3.0, 2.0]
        use.update(Text("razem 6 m³"))
        await pilot.pause()
        lines = [strip.text for strip in table.render_lines(table.region.reset_offset)]
        assert lines[1].startswith("│ Kontakt ")
        assert lines[2].startswith("│ Adres   ul. Źródlana 12")
        rows = Console(width=36).render_lines(_contact(), pad=False)  # the content's width
        assert len(lines) == table.outer_size.height == 2 + 1 + len(rows)  # border, title
        assert len(rows) > 2  # a value wrapped: its lines are all there
        use_lines = [strip.text for strip in use.render_lines(use.region.reset_offset)]
        assert use_lines[1].startswith("│ Zużycie")
        assert use_lines[-2].startswith("│ razem 6 m³")
        assert len(use_lines) == 2 + 1 + 3 + 1
        table.title = "Kontakt z wodociągami"
        await pilot.pause()
        assert "Kontakt z wodociągami" in table.render_lines(table.region.reset_offset)[1].text
        assert table.content is not None and isinstance(table.content, Table)


async def test_a_rich_table_is_drawn_once_as_textual_draws_it() -> None:
    async with Panels().run_test(size=(60, 20)) as pilot:
        panel = pilot.app.query_one("#table", Panel)
        table = _contact()
        style: Style = panel.visual_style
        for width in (20, 36, 58):
            ours = DrawnOnce(panel, table)
            theirs = RichVisual(panel, table)
            options: Any = None  # neither reads its options
            drawn = ours.render_strips(width, None, style, options)
            assert [list(s) for s in drawn] == [
                list(s) for s in theirs.render_strips(width, None, style, options)
            ]
            rules = panel.styles
            assert ours.get_height(rules, width) == theirs.get_height(rules, width)
