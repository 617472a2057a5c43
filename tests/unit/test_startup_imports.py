"""What the first frame imports: a remembered session opens on Pulpit, so what Pulpit's
module imports is start-up time (benchmarks/startup_instructions.py counts it). The heavy
domain modules it only needs once data arrives are imported then, not with the module."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("ibok_tui.domain.analytics", "ibok_tui.domain.billing", "ibok_tui.domain.readings")


def test_pulpit_and_the_app_import_no_analytics_before_data() -> None:
    script = (
        "import sys, ibok_tui.app, ibok_tui.screens.customer.pulpit\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
