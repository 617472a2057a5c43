"""The demo works from an installed wheel, outside the checkout: the fixtures and the
fonts travel inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_carries_the_demo_and_runs_it_outside_the_checkout(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next((tmp_path / "dist").glob("ibok_tui-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ibok_tui/_fixtures/demo.json" in names
    assert "ibok_tui/portal/fonts/DejaVuSans.ttf" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import ibok_tui, sys\n"
        "from pathlib import Path\n"
        "from ibok_tui.backends.local import open_demo_service\n"
        f"assert Path(ibok_tui.__file__).is_relative_to({str(site)!r}), ibok_tui.__file__\n"
        f"service = open_demo_service(Path({str(tmp_path / 'data')!r}))\n"
        "session = service.login('100001', 'Woda!Kowalski1')\n"
        "print(service.dashboard(session.token).customer.name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Jan Kowalski"
