"""What the `ibok` command prints itself (profiles, configuration errors) cannot steer the
terminal: a hostile configuration file or environment is shown with visible stand-ins."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibok_tui.cli import main

RAW = ("\x1b", "\x9b", "\x07", "\u202e")
TITLE = "\\u001b]0;PWNED\\u0007"  # as TOML writes ESC and BEL


def written(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.parametrize(
    ("profiles", "key"),
    [
        (f'[profiles.dom]\nserver = "https://x{TITLE}\\u009b2J"\n', "profiles.dom.server"),
        ('[profiles.dom]\ndemo = true\ncustomer = "1\\u202e0"\n', "profiles.dom.customer"),
        (f'[profiles."z{TITLE}"]\ndemo = true\n', "profiles.'z\\x1b]0;PWNED\\x07'"),
    ],
)
def test_a_hostile_profile_is_refused_and_its_text_never_printed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    profiles: str,
    key: str,
) -> None:
    """A control character in the file is an error naming the key (it would have reached
    the console's screens too), not a profile listed with stand-ins."""
    monkeypatch.setenv("IBOK_CONFIG_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text(profiles, encoding="utf-8")
    assert main(["profile", "list"]) == 2
    out = written(capsys)
    assert [raw for raw in RAW if raw in out] == []
    assert f"config.toml: {key}: " in out


def test_a_configuration_error_names_a_hostile_path_harmlessly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "c\x1b]0;PWNED\x07"
    folder.mkdir()
    (folder / "config.toml").write_text("[settings\n", encoding="utf-8")
    monkeypatch.setenv("IBOK_CONFIG_DIR", str(folder))
    assert main(["profile", "list"]) == 2
    assert main(["--demo"]) == 2  # the console's start reads the same file first
    out = written(capsys)
    assert [raw for raw in RAW if raw in out] == []
    assert out.count("c␛]0;PWNED␇") == 2
