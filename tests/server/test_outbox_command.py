"""`ibok outbox list|send|withdraw` as a script runs it: against a real `ibok serve`, the
password from IBOK_PASSWORD, JSON on stdout, the documented exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ibok_tui.backends.http import HttpBackend
from ibok_tui.backends.outbox import Outbox
from ibok_tui.commands.exits import Exit
from ibok_tui.domain.models import (
    ReadingStatus,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
)
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ROOT, ServerProcess

JAN_METER = "M-WK-2209-11873"


def ibok(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    home = Path(os.environ["XDG_DATA_HOME"])  # the test's own (tests/conftest.py)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "IBOK_PASSWORD": password or "",
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    env.pop("IBOK_CLOCK", None)
    return subprocess.run(
        [sys.executable, "-m", "ibok_tui.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _pending(url: str) -> list[int]:
    import asyncio

    async def read() -> list[int]:
        backend = HttpBackend(url)
        try:
            await backend.login("100001", PASSWORDS["100001"])
            found = await backend.readings(JAN_METER)
            return [r.index for r in found if r.status is ReadingStatus.PENDING]
        finally:
            await backend.close()

    return asyncio.run(read())


def test_list_send_and_withdraw(fresh_server: ServerProcess) -> None:
    url = fresh_server.url
    box = Outbox.open(f"{url}|100001", kiosk=False)  # the console kept these
    reading = box.add(ReadingSubmission(JAN_METER, "1019,5"))
    request = box.add(RequestDraft(RequestCategory.OTHER, "Duplikat", "Proszę o duplikat."))
    where = ("--server", url, "--customer", "100001")

    listed = ibok("outbox", "list", *where, "--json")
    assert listed.returncode == Exit.OK, listed.stderr
    shown = json.loads(listed.stdout)
    assert [(i["id"], i["kind"], i["key"]) for i in shown] == [
        (reading.id, "reading", reading.key),
        (request.id, "request", request.key),
    ]
    assert shown[0]["reading"]["value"] == "1019,5"

    assert ibok("outbox", "withdraw", "nosuch", *where).returncode == Exit.NOT_FOUND
    gone = ibok("outbox", "withdraw", request.id, *where)
    assert gone.returncode == Exit.OK and request.id in gone.stdout
    assert [i.id for i in box.items()] == [reading.id]

    # a wrong password: nothing sent, nothing lost
    wrong = ibok("outbox", "send", *where, password="Zle!Haslo123")
    assert wrong.returncode == Exit.AUTHENTICATION
    assert len(box.items()) == 1

    fresh_server.stop()
    down = ibok("outbox", "send", *where, password=PASSWORDS["100001"])
    assert down.returncode == Exit.UNAVAILABLE
    assert len(box.items()) == 1
    fresh_server.start()

    sent = ibok("outbox", "send", *where, "--json", password=PASSWORDS["100001"])
    assert sent.returncode == Exit.OK, sent.stderr
    report = json.loads(sent.stdout)
    assert [i["id"] for i in report["sent"]] == [reading.id]
    assert report["sent"][0]["answer"]["index"] == 1019500
    assert report["refused"] == [] and report["waiting"] == [] and report["stopped"] is None
    assert box.items() == []
    again = ibok("outbox", "send", *where, password=PASSWORDS["100001"])
    assert again.returncode == Exit.OK
    assert _pending(url) == [1019500]


def test_a_refusal_at_sending_time_keeps_the_item(fresh_server: ServerProcess) -> None:
    url = fresh_server.url
    box = Outbox.open(f"{url}|100001", kiosk=False)
    item = box.add(ReadingSubmission(JAN_METER, "0,350"))  # lower than the last reading
    where = ("--server", url, "--customer", "100001")
    sent = ibok("outbox", "send", *where, "--json", password=PASSWORDS["100001"])
    assert sent.returncode == Exit.VALIDATION
    report = json.loads(sent.stdout)
    assert [i["id"] for i in report["refused"]] == [item.id]
    assert report["refused"][0]["error"]["errors"][0]["code"] == "lower_than_previous"
    kept = box.items()
    assert [i.id for i in kept] == [item.id] and kept[0].refusal is not None
    listed = ibok("outbox", "list", *where)
    assert listed.returncode == Exit.OK and item.id in listed.stdout


def test_the_outbox_of_another_customer_is_not_sent(fresh_server: ServerProcess) -> None:
    url = fresh_server.url
    box = Outbox.open(f"{url}|100001", kiosk=False)
    box.add(RequestDraft(RequestCategory.OTHER, "Duplikat", "Proszę o duplikat."))
    sent = ibok(
        "outbox",
        "send",
        "--server",
        url,
        "--customer",
        "100004",
        "--json",
        password=PASSWORDS["100004"],
    )
    assert sent.returncode == Exit.OK
    assert json.loads(sent.stdout)["sent"] == []  # Maria's own outbox is empty
    assert len(box.items()) == 1


def test_list_needs_a_customer(tmp_path: Path) -> None:
    found = ibok("outbox", "list", "--server", "http://127.0.0.1:9")
    assert found.returncode == Exit.USAGE and "--customer" in found.stderr
