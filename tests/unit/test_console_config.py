"""Profiles and settings in TOML, and `ibok profile add / list / remove`."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibok_tui import config as cfg
from ibok_tui.cli import main
from ibok_tui.domain.text import unsafe_character


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


@pytest.mark.parametrize(
    "server",
    [
        "ftp://ibok.example.pl",
        "file:///etc/passwd",
        "file:ibok",
        "ibok.example.pl",
        "https://",
        "https:///ibok",
        "http://:8443",
        "https://ibok example.pl",
        "https://ibok.example.pl/ iBOK",
        " https://ibok.example.pl",
        "https://ibok.example.pl\u00a0",
        "https://ibok.example.pl:99999",
        "https://ibok.example.pl:0",
        "https://ibok.example.pl:x",
        "https://ibok.example.pl/?a=1",
        "https://ibok.example.pl/#top",
        "https://ibok_\\evil.pl",
        "javascript:alert(1)",
        "https://jan:Woda!Kowalski1@ibok.example.pl",
    ],
)
def test_a_profile_with_a_non_http_address_is_refused_when_added(
    config_dir: Path, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    """#14.6: a profile with ftp:// (or no host, spaces, a password) was accepted and failed
    at the first sign-in; now `ibok profile add` refuses it, saying what an address needs,
    and writes nothing (a password in the address never reaches the file)."""
    assert main(["profile", "add", "dom", "--server", server]) == 2
    error = capsys.readouterr().err
    assert error.startswith("ibok: profiles.dom.server: ")
    assert "http://" in error or "użytkownika ani hasła" in error or "znak U+" in error
    assert "Kowalski1" not in error
    assert not (config_dir / "config.toml").exists()


@pytest.mark.parametrize(
    "server",
    [
        "https://ibok.example.pl",
        "http://127.0.0.1:8000",
        "HTTPS://IBOK.EXAMPLE.PL/api/",
        "https://[::1]:8443",
        "https://ibok.wodociągi.pl",
        "https://ibok.example.pl./ibok",
    ],
)
def test_good_server_addresses_are_kept(config_dir: Path, server: str) -> None:
    assert main(["profile", "add", "dom", "--server", server]) == 0
    assert cfg.load().profiles["dom"].server == server


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[settings]\nlanguage = "de"\n', "settings.language: 'de' is not one of pl, en"),
        ("[settings]\ntheme = 5\n", "settings.theme: 5 is not a text"),
        (
            '[settings]\nlangauge = "en"\n',
            "settings.langauge: unknown key (allowed: language, theme)",
        ),
        (
            '[profiles.dom]\ndemo = "false"\n',
            "profiles.dom.demo: 'false' is not one of true, false",
        ),
        (
            "[profiles.dom]\nkiosk = 1\ndemo = true\n",
            "profiles.dom.kiosk: 1 is not one of true, false",
        ),
        ('[profiles.dom]\nserver = "https://a"\nport = 1\n', "profiles.dom.port: unknown key"),
        ('[profiles.dom]\ncustomer = "100001"\n', "profiles.dom: a profile needs a server"),
        ('[profiles."z a"]\ndemo = true\n', "profiles.'z a': a profile name is 1 to 40 of"),
        ('profiles = "dom"\n', "profiles: 'dom' is not a table"),
        ('[profiles]\ndom = "https://a"\n', "profiles.dom: 'https://a' is not a table"),
        ('[kiosk]\nidle_seconds = "120"\n', "kiosk.idle_seconds: '120' is not a whole number"),
        ("[kiosk]\nidle_seconds = 0\n", "kiosk.idle_seconds: 0 is not a whole number"),
        ("[kiosk]\nidle_seconds = true\n", "kiosk.idle_seconds: True is not a whole number"),
        ("[remembered]\ndom = 100001\n", "remembered.dom: 100001 is not a text"),
        ('[keys]\n"faktury.pdf" = ["d"]\n', "keys.'faktury.pdf': ['d'] is not a text"),
        ('[colours]\nx = "y"\n', "colours: unknown key (allowed: settings, profiles, kiosk"),
        (
            '[profiles.dom]\nserver = "https://ibok\\u001b]8;;x\\u0007.pl"\n',
            "profiles.dom.server: U+001B is not allowed in a text here",
        ),
        (
            '[profiles.dom]\ndemo = true\ncustomer = "1000\\u202e01"\n',
            "profiles.dom.customer: U+202E is not allowed in a text here",
        ),
        (
            '[profiles.dom]\nserver = "https://a\\nb"\n',
            "profiles.dom.server: U+000A is not allowed",
        ),
        ('[remembered]\n"a\\u009bb" = "1"\n', "remembered.'a\\x9bb': U+009B is not allowed"),
    ],
)
def test_a_wrong_value_is_an_error_naming_the_file_the_key_and_what_is_allowed(
    tmp_path: Path, text: str, message: str, english: None
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(cfg.ConfigError) as refused:
        cfg.load(path)
    assert str(refused.value).startswith(f"{path}: {message}")
    assert unsafe_character(str(refused.value)) is None  # safe to print as it is


def test_the_console_prints_a_wrong_value_and_exits_2_without_a_traceback(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('[settings]\nlanguage = "de"\n', encoding="utf-8")
    assert main(["--profile", "nie-ma"]) == 2  # checked before the profile: never starts
    error = capsys.readouterr().err
    # in Polish, the console's language before a configuration names one
    assert error == (
        f"ibok: {config_dir / 'config.toml'}: settings.language: 'de' nie jest żadną z"
        " wartości: pl, en\n"
    )
    assert gc.isenabled()  # the console's start turns collection off; a refusal turns it on


# what a hostile hand (or a server address pasted from anywhere) may put in one-line texts
# that are allowed: quotes, backslashes, TOML's own syntax, any printable unicode
_SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=40
).filter(lambda text: unsafe_character(text) is None)
_NAMES = st.from_regex(r"[A-Za-z0-9_.-]{1,40}", fullmatch=True)


@given(
    name=_NAMES,
    # a server's path may hold anything printable but spaces, a query and a fragment
    server=_SAFE_TEXT.map(
        lambda text: (
            "https://ibok.example.pl/"
            + "".join(c for c in text if c.isprintable() and not c.isspace() and c not in "?#")
        )
    ),
    customer=_SAFE_TEXT,
    theme=_SAFE_TEXT,
    binding=_SAFE_TEXT,
    keys=_SAFE_TEXT,
)
@settings(max_examples=60, deadline=None)
def test_hostile_values_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    server: str,
    customer: str,
    theme: str,
    binding: str,
    keys: str,
) -> None:
    path = tmp_path_factory.mktemp("c") / "c.toml"
    config = cfg.with_profile(
        cfg.Config(), cfg.ProfileConfig(name, server=server, customer=customer)
    )
    config = cfg.with_settings(config, theme=theme)
    config = cfg.with_remembered(config, server, customer)
    config = config._replace(keys={binding: keys}, kiosk=cfg.KioskSettings(300, '"\\x'))
    cfg.save(config, path)
    assert cfg.load(path) == config


@pytest.mark.parametrize("hostile", ["\x1b[2J", "\n", "\u202e", "\x7f", "\x9b", "\u2028", "\t"])
def test_a_control_character_is_refused_at_input(
    config_dir: Path, capsys: pytest.CaptureFixture[str], hostile: str
) -> None:
    for command in (
        ["profile", "add", "dom", "--server", f"https://ibok{hostile}.pl"],
        ["profile", "add", "dom", "--demo", "--customer", f"1{hostile}"],
        ["profile", "add", f"d{hostile}", "--demo"],
    ):
        assert main(command) == 2
        error = capsys.readouterr().err
        assert (
            error.startswith("ibok: profiles.") and unsafe_character(error, multiline=True) is None
        )
    assert not (config_dir / "config.toml").exists()
    with pytest.raises(cfg.ConfigError, match=r"settings\.theme: znak U\+"):
        cfg.with_settings(cfg.Config(), theme=f"nord{hostile}")
    with pytest.raises(cfg.ConfigError, match=r"settings\.language: 'de' nie jest żadną z"):
        cfg.with_settings(cfg.Config(), language="de")


def test_tomli_w_is_imported_only_to_write(tmp_path: Path) -> None:
    """Reading the file (before the first frame) leaves tomli-w unloaded; a write loads it."""
    path = tmp_path / "c.toml"
    path.write_text('[settings]\nlanguage = "en"\n', encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from ibok_tui import config\n"
        f"loaded = config.load(Path({str(path)!r}))\n"
        "print('read', 'tomli_w' in sys.modules)\n"
        "config.save(loaded, Path(sys.argv[1]))\n"
        "print('written', 'tomli_w' in sys.modules)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "out.toml")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["read False", "written True"]


def test_an_unknown_theme_stops_the_console_naming_the_themes(
    config_dir: Path, capsys: pytest.CaptureFixture[str], english: None
) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('[settings]\ntheme = "nrod"\n', encoding="utf-8")
    assert main(["--profile", "nie-ma"]) == 2  # checked before the profile: never starts
    error = capsys.readouterr().err
    assert error.startswith(
        f"ibok: {config_dir / 'config.toml'}: settings.theme: unknown theme 'nrod' (allowed: "
    )
    assert "nord" in error and "textual-dark" in error
    (config_dir / "config.toml").write_text('[settings]\ntheme = "nord"\n', encoding="utf-8")
    assert main(["--profile", "nie-ma"]) == 2
    assert "nie ma profilu 'nie-ma'" in capsys.readouterr().err  # the theme passed


def test_the_commands_speak_the_configured_language(
    config_dir: Path, capsys: pytest.CaptureFixture[str], english: None
) -> None:
    """`ibok`'s own help and messages come from the catalogue, in `[settings] language`."""
    from ibok_tui.i18n import set_language

    set_language("pl")
    assert main(["profile", "list"]) == 0
    assert capsys.readouterr().out == "Brak profili. Dodaj: ibok profile add NAZWA --server URL\n"
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('[settings]\nlanguage = "en"\n', encoding="utf-8")
    assert main(["profile", "list"]) == 0
    assert capsys.readouterr().out == "No profiles. Add one: ibok profile add NAME --server URL\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "demo data, no server" in help_text and "dane demonstracyjne" not in help_text
    assert main(["--profile", "nie-ma"]) == 2
    assert "no such profile: 'nie-ma' (ibok profile list)" in capsys.readouterr().err
