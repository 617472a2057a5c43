"""`[keys]`: the binding ids a user may rebind, their check, and the README's list of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ibok_tui import config as cfg
from ibok_tui.cli import main
from ibok_tui.keymap import BINDING_IDS, declared_bindings, key_problem, keys_table

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IBOK_CONFIG_DIR", str(tmp_path))
    return tmp_path / "config.toml"


def test_the_readme_lists_every_binding_id_as_ibok_keys_prints_them(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keys"]) == 0
    printed = capsys.readouterr().out.rstrip("\n")
    assert printed == keys_table()
    found = re.search(r"<!-- keys: [^\n]*-->\n(.*?)\n<!-- /keys -->", README.read_text(), re.S)
    assert found is not None
    assert found[1] == printed, "README is out of date: paste the output of `ibok keys`"


def test_every_binding_a_user_sees_has_an_id() -> None:
    declared = declared_bindings()
    assert set(declared) == BINDING_IDS, "keymap.BINDING_IDS differs from the declared ids"
    assert declared["faktury.pdf"] == ("p", "Pobierz PDF")
    assert declared["button.press"].keys == "enter,space"  # several keys, as declared
    assert {"nav.faktury", "app.palette", "desk.return", "button.press"} <= set(declared)
    # every key is one Textual can bind, so the list is a fair example of what `[keys]` takes
    assert [key for key, _d in declared.values() if key_problem(key)] == []


def test_the_readmes_example_config_is_valid(tmp_path: Path) -> None:
    example = re.search(r"```toml\n(\[settings\]\nlanguage.*?)```", README.read_text(), re.S)
    assert example is not None
    path = tmp_path / "config.toml"
    path.write_text(example[1], encoding="utf-8")
    loaded = cfg.load(path)
    assert loaded.keys == {"faktury.pdf": "ctrl+d", "tab.refresh": "r,f5"}


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ('"faktury.pfd" = "d"', "keys.'faktury.pfd': not a binding id (ibok keys lists them)"),
        ('"faktury.pdf" = "ctrl+"', "keys.'faktury.pdf': 'ctrl+' has no key after its modifiers"),
        ('"faktury.pdf" = "strg+d"', "keys.'faktury.pdf': 'strg+d': a modifier is one of ctrl,"),
        ('"faktury.pdf" = "pdf"', "keys.'faktury.pdf': 'pdf' is not a key"),  # U+202C's alias
        ('"faktury.pdf" = "ctrl+enterr"', "keys.'faktury.pdf': 'ctrl+enterr' is not a key"),
        ('"faktury.pdf" = "d,"', "keys.'faktury.pdf': 'd,' has an empty key"),
        ('"faktury.pdf" = ""', "keys.'faktury.pdf': '' has an empty key"),
    ],
)
def test_a_wrong_binding_id_or_key_stops_the_console_with_the_file_and_key(
    config_file: Path, capsys: pytest.CaptureFixture[str], keys: str, message: str, english: None
) -> None:
    config_file.write_text(f"[keys]\n{keys}\n", encoding="utf-8")
    assert main(["--profile", "nie-ma"]) == 2  # checked before the profile: never starts
    assert capsys.readouterr().err.startswith(f"ibok: {config_file}: {message}")


def test_keys_textual_can_bind_are_accepted() -> None:
    for keys in ("d", "ctrl+d", "f5", "r,f5", "escape", "slash", "question_mark", "ctrl+shift+f1"):
        assert key_problem(keys) is None, keys
    for keys in ("ą", "?", "space", "delete", "alt+enter"):
        assert key_problem(keys) is None, keys
