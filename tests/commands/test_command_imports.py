"""The commands never import Textual (#15): a command run in a fresh process, through the
same entry point as `ibok`, leaves no `textual` module behind; the import contract in
pyproject.toml holds the same statically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.accounts import PASSWORDS
from tests.support.clock import PINNED_NOW

from .conftest import ROOT


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


PROBE = """
import sys
from ibok_tui.cli import main
status = main(sys.argv[1:])
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "textual_plotext"})
print("LOADED", loaded, status, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["pay"],  # the table and the QR code drawn with rich
        ["invoices", "--csv"],
        ["status", "--json"],
        ["readings", "--resolution", "month", "WK-2209-11873"],
    ],
    ids=["pay-qr", "invoices-csv", "status-json", "readings-table"],
)
def test_a_command_imports_no_textual(args: list[str], demo_data: Path, tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "IBOK_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "IBOK_CLOCK": PINNED_NOW.isoformat(),
        "IBOK_PASSWORD": PASSWORDS["100001"],
        "TZ": "Europe/Warsaw",
    }
    given = [*args, "--demo", "--data-dir", str(demo_data), "--customer", "100001"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *given], capture_output=True, text=True, env=env, timeout=120
    )
    assert "LOADED []" in done.stderr, done.stderr  # status: 1, 100001 has an overdue invoice
    assert done.stdout.strip(), "the command printed nothing"
