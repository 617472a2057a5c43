"""#15's check: the README's daily script, run as it stands by a user's shell against a real
`ibok serve`, reads invoices and readings as JSON, submits a reading, and exits with the
documented codes on a wrong password, a refused reading and a stopped server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import jsonschema

from ibok_tui.commands.exits import Exit
from tests.server.conftest import API, sign_in
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess

from .conftest import ROOT, User, schema

METER = "WK-2209-11873"


def readme_script() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- tested: the script -->\n```sh\n(.*?)```", text, re.S)
    assert found, "README.md lost its tested script"
    return found.group(1)


def test_the_readme_script_against_a_real_server(
    user: User, fresh_server: ServerProcess, tmp_path: Path
) -> None:
    script = tmp_path / "ibok-daily"
    script.write_text(readme_script())
    script.chmod(0o755)
    added = user.ibok("profile", "add", "dom", "--server", fresh_server.url, "--customer", "100001")
    assert added.status == 0, added.err
    good = {"IBOK_PASSWORD": PASSWORDS["100001"]}
    work = tmp_path / "work"
    work.mkdir()

    before = user.ibok("--profile", "dom", "readings", METER, "--json", env=good)
    assert before.status == 0, before.err
    last = max(r["index"] for r in before.json())  # type: ignore[union-attr]
    index = f"{(last + 4321) // 1000},{(last + 4321) % 1000:03d}"

    done = user.run(str(script), index, env=good, cwd=work)
    assert done.status == Exit.OK, done.err
    invoices = json.loads((work / "invoices.json").read_text())
    readings = json.loads((work / "readings.json").read_text())
    reading = json.loads((work / "reading.json").read_text())
    jsonschema.validate(invoices, schema(user, "invoices"))
    jsonschema.validate(readings, schema(user, "readings"))
    jsonschema.validate(reading, schema(user, "submit-reading"))
    with httpx.Client(base_url=fresh_server.url + API, timeout=30) as http:
        headers = sign_in(http, "100001")
        assert invoices == http.get("/me/invoices", headers=headers).json()  # the API's shape
        api_readings = http.get(f"/me/meters/M-{METER}/readings", headers=headers).json()
    assert readings == api_readings[: len(readings)]
    assert invoices and all(isinstance(i["gross"], int) for i in invoices)  # grosze
    assert reading["index"] == last + 4321 and reading["read_on"] == "2026-11-21"
    after = user.ibok("--profile", "dom", "readings", METER, "--json", env=good)
    assert reading["id"] in {r["id"] for r in after.json()}  # type: ignore[union-attr]

    wrong = user.run(str(script), index, env={"IBOK_PASSWORD": "Nie!ToHaslo1"}, cwd=work)
    assert wrong.status == Exit.AUTHENTICATION, wrong.err
    assert "Nieprawidłowy kod nabywcy lub hasło" in wrong.err

    refused = user.run(str(script), "1", env=good, cwd=work)
    assert refused.status == Exit.VALIDATION, refused.err
    assert "value: " in refused.err and "ibok-daily: reading 1 refused" in refused.err

    fresh_server.stop()
    down = user.run(str(script), index, env=good, cwd=work)
    assert down.status == Exit.UNAVAILABLE, down.err
    assert "Traceback" not in down.err and down.err.startswith("ibok: ")
