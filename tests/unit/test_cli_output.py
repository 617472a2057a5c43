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


def test_a_hostile_profile_is_listed_with_visible_stand_ins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("IBOK_CONFIG_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text(
        f'[profiles.dom]\nserver = "https://x{TITLE}\\u009b2J"\ncustomer = "1\\u202e0"\n'
        f'[profiles."z{TITLE}"]\ndemo = true\n',
        encoding="utf-8",
    )
    assert main(["profile", "list"]) == 0
    out = written(capsys)
    assert [raw for raw in RAW if raw in out] == []
    assert "dom\thttps://x␛]0;PWNED␇\ufffd2J (kod nabywcy 1\ufffd0)" in out
    assert "z␛]0;PWNED␇\tdemo" in out


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
