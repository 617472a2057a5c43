"""A bordered panel with its title: one widget where a container, a title Label and a
Static were.

Pulpit's panels were each three widgets (a Vertical with the border, a Label, a Static):
on a resumed start, mounting, laying out and painting those was most of what came
between Pulpit's first frame and its data. A `Panel` draws the same: the border, the
title on its first line (bold, the theme's accent), the content below it. Its `content`
is what was given to `update` (the title is `title`), as a Static's is.

Labels beside their values (the utility's contact details) are a `Labelled` visual
rather than a Rich table, which Textual draws once to count its lines for the layout and
again to paint them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, ClassVar

from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.visual import Visual, VisualType
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import RenderResult
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


class Stacked(Visual):
    """Visuals one below the other, each given the whole width."""

    def __init__(self, parts: Sequence[Visual]) -> None:
        self._parts = parts

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for part in self._parts:
            left = None if height is None else height - len(strips)
            if left is not None and left <= 0:
                break
            strips.extend(part.render_strips(width, left, style, options))
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(part.get_optimal_width(rules, container_width) for part in self._parts)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max(part.get_minimal_width(rules) for part in self._parts)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(part.get_height(rules, width) for part in self._parts)


_BREAK_AFTER = frozenset("@-/_")  # a long address's line may end after these
_BREAK_BEFORE = frozenset(".")  # or before these


def _wrapped(value: Content, room: int) -> list[Content]:
    """`value`'s lines in `room` cells: wrapped at its spaces; a value of one word longer
    than the room (an e-mail or web address) broken at its parts, after "@", "-", "/" or
    "_" or before a ".", and cut mid-part only where a part alone is longer than the room."""
    text = value.plain
    if value.cell_length <= room or any(ch.isspace() for ch in text):
        return value.wrap(room)
    from rich.cells import split_graphemes

    # by what a terminal shows as one character: an accent stays on its letter, a family
    # of emoji joined by zero-width joiners stays one
    graphemes, left = split_graphemes(text)  # (start, end, cells) each; all the cells
    shown = [text[start:end] for start, end, _ in graphemes]
    cuts: list[int] = []
    first = 0  # the grapheme a line begins with
    while left > room:
        fits = first + 1  # at least one a line, even one wider than the room
        best: int | None = None
        used = graphemes[first][2]
        for end in range(first + 1, len(graphemes)):
            if used > room:
                break
            fits = end
            if shown[end - 1] in _BREAK_AFTER or shown[end] in _BREAK_BEFORE:
                best = end
            used += graphemes[end][2]
        cut = best if best is not None else fits
        left -= sum(cells for _, _, cells in graphemes[first:cut])
        first = cut
        if first < len(graphemes):  # (the last line's end is the text's)
            cuts.append(graphemes[first][0])
    return value.divide(cuts)


class Labelled(Visual):
    """Rows of a dim label and its value, as a Rich grid table of two columns draws them
    (`Table.grid(padding=(0, 1))`, the first column dim): the labels in a column as wide as
    the longest, one space, each value wrapped in the width left (its next lines under
    it). Pulpit's contact details: a Rich table measured and drew every cell twice, for
    the layout and for the paint, about a fiftieth of the bare app's first frame."""

    def __init__(self, rows: Sequence[tuple[str, Content]]) -> None:
        self._pairs = [(Content.styled(label, "dim"), value) for label, value in rows]
        self._indent = max((label.cell_length for label, _ in self._pairs), default=0) + 1
        self._drawn: tuple[int, list[Content]] | None = None

    @property
    def plain(self) -> str:
        """The rows as text, a label and its value a line (as a Content's `plain`)."""
        return "\n".join(
            " ".join(part for part in (label.plain, value.plain) if part)
            for label, value in self._pairs
        )

    def lines(self, width: int) -> list[Content]:
        """The lines at `width` (made once a width)."""
        if self._drawn is not None and self._drawn[0] == width:
            return self._drawn[1]
        room = max(width - self._indent, 1)
        under = Content(" " * self._indent)
        lines: list[Content] = []
        for label, value in self._pairs:
            for row, line in enumerate(_wrapped(value, room) or [Content("")]):
                lines.append(
                    (label.pad_right(self._indent - label.cell_length) if row == 0 else under)
                    + line
                )
        self._drawn = (width, lines)
        return lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for line in islice(self.lines(width), None, height):
            strips.extend(line.render_strips(width, 1, style, options))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._indent + max((value.cell_length for _, value in self._pairs), default=0)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self._indent + max(
            (value.get_minimal_width(rules) for _, value in self._pairs), default=0
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


class Panel(Static):
    """A bordered box: `title` on its first line, its content below."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"panel--title"}
    DEFAULT_CSS = """
    Panel { border: round $primary; padding: 0 1; height: auto; }
    Panel > .panel--title { text-style: bold; color: $accent; }
    """

    def __init__(
        self,
        title: str,
        content: VisualType = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(content, id=id, classes=classes, markup=False)
        self._heading = title

    @property
    def title(self) -> str:
        return self._heading

    @title.setter
    def title(self, title: str) -> None:
        if title != self._heading:
            self._heading = title
            self.refresh(layout=True)

    def body(self) -> Visual:
        """The content's visual."""
        return self.visual

    def parts(self) -> list[Visual]:
        """What is drawn below the title (a subclass adds its own)."""
        return [self.body()]

    def render(self) -> RenderResult:
        return Stacked([Content.styled(self._heading, ".panel--title"), *self.parts()])


class TitledBox(Vertical):
    """A bordered box of widgets with a title on its first line, drawn by the box itself
    (its first child keeps that line free with `margin-top: 1`): a Panel for a widget that
    cannot be a Static's content (Pulpit's meters table), without a Label of its own."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"panel--title"}
    DEFAULT_CSS = """
    TitledBox { border: round $primary; padding: 0 1; height: auto; }
    TitledBox > .panel--title { text-style: bold; color: $accent; }
    TitledBox > * { margin-top: 1; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title

    def render(self) -> RenderResult:
        return Content.styled(self.title, ".panel--title")
