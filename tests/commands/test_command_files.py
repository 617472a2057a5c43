"""The commands that write files: an invoice's PDF and the payment QR code as a PNG are
written whole or not at all; a refusal leaves nothing behind."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ibok_tui.cli import main
from ibok_tui.commands.exits import Exit
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess
from tests.ui.console_support import MemoryKeyring

from .inprocess import ring

__all__ = ["ring"]


@pytest.fixture(scope="module")
def server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    db = tmp_path_factory.mktemp("files") / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with ServerProcess(db) as process:
        yield process


@pytest.fixture
def where(server: ServerProcess, ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("IBOK_PASSWORD", PASSWORDS["100001"])
    return ["--server", server.url, "--customer", "100001"]


def test_invoice_pdf_is_written_whole(where: list[str], tmp_path: Path) -> None:
    target = tmp_path / "faktura.pdf"
    assert main(["invoice", "pdf", "FV/100001/035", "-o", str(target), *where]) == Exit.OK
    content = target.read_bytes()
    assert content.startswith(b"%PDF-") and b"%%EOF" in content[-32:]
    assert [p.name for p in tmp_path.iterdir()] == ["faktura.pdf"]  # no temporary left


def test_an_unknown_or_foreign_invoice_leaves_no_file(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in ("FV/999999/001", "FV/100002/001"):  # none, and another customer's
        target = tmp_path / "faktura.pdf"
        assert main(["invoice", "pdf", number, "-o", str(target), *where]) == Exit.NOT_FOUND
        assert not target.exists() and list(tmp_path.iterdir()) == []
        assert capsys.readouterr().err.startswith("ibok: ")


def test_a_folder_that_cannot_be_written_is_a_usage_error(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "faktura.pdf"
    assert main(["invoice", "pdf", "FV/100001/035", "-o", str(target), *where]) == Exit.USAGE
    assert "missing" in capsys.readouterr().err


def test_pay_writes_the_qr_code_as_a_png_and_prints_the_details(
    where: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "przelew.png"
    assert main(["pay", "FV/100001/036", "--qr-png", str(png), *where]) == Exit.OK
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    out = capsys.readouterr().out
    assert "30 8001 2345 0000 0000 0010 0001" in out  # the customer's account, grouped
    assert "▀" not in out  # the code went to the file, not the terminal
