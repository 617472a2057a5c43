"""Profiles and settings in TOML, and `ibok profile add / list / remove`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ibok_tui import config as cfg
from ibok_tui.cli import main


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("IBOK_CONFIG_DIR", str(folder))
    return folder


def test_round_trip_with_awkward_text(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    config = cfg.with_profile(
        cfg.Config(),
        cfg.ProfileConfig(name="dom", server='https://ibok.example.pl/"x"\\y', customer="100001"),
    )
    config = cfg.with_settings(config, language="en", theme="nord")
    cfg.save(config, path)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["settings"]["theme"] == "nord"
    assert cfg.load(path) == config


def test_remembered_sessions_round_trip_and_are_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    config = cfg.with_remembered(cfg.Config(), "https://ibok.example.pl:8443", "100001")
    config = cfg.with_remembered(config, "demo", "200001")
    cfg.save(config, path)
    loaded = cfg.load(path)
    assert loaded.remembered == {"https://ibok.example.pl:8443": "100001", "demo": "200001"}
    forgotten = cfg.with_remembered(loaded, "demo", None)
    assert forgotten.remembered == {"https://ibok.example.pl:8443": "100001"}
    text = path.read_text(encoding="utf-8")
    assert "Woda" not in text and "token" not in text  # a customer number, never a secret


def test_bad_profiles_are_refused() -> None:
    with pytest.raises(cfg.ConfigError):
        cfg.with_profile(cfg.Config(), cfg.ProfileConfig(name="bez serwera"))
    with pytest.raises(cfg.ConfigError):
        cfg.with_profile(cfg.Config(), cfg.ProfileConfig(name="zła nazwa", demo=True))
    with pytest.raises(cfg.ConfigError):
        cfg.without_profile(cfg.Config(), "nie-ma")


def test_broken_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[settings\n", encoding="utf-8")
    with pytest.raises(cfg.ConfigError):
        cfg.load(path)


def test_profile_commands(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "add", "dom", "--server", "https://ibok.example.pl"]) == 0
    assert main(["profile", "add", "demo", "--demo", "--customer", "100001"]) == 0
    capsys.readouterr()
    assert main(["profile", "list"]) == 0
    listed = capsys.readouterr().out
    assert "dom\thttps://ibok.example.pl" in listed
    assert "demo\tdemo (kod nabywcy 100001)" in listed
    assert main(["profile", "remove", "dom"]) == 0
    assert set(cfg.load().profiles) == {"demo"}
    assert main(["profile", "remove", "dom"]) == 2
    assert main(["--profile", "nie-ma"]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("ibok ")


def test_the_subcommands_are_built_when_a_word_asks_for_them(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console's own start skips them (start-up time); a mistyped command still gets
    argparse's list of the right ones, and help lists them all."""
    with pytest.raises(SystemExit) as stopped:
        main(["prfile", "list"])
    assert stopped.value.code == 2
    assert "invalid choice: 'prfile'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "demo-reset" in capsys.readouterr().out
    # an option's value is no command: this is the console, which wants --demo or --server
    assert main(["--data-dir", str(config_dir), "--profile", "nie-ma"]) == 2
    assert "nie ma profilu 'nie-ma'" in capsys.readouterr().err
