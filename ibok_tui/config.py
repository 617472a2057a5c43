"""Profiles and settings: one TOML file under platformdirs' config directory.

```toml
[settings]
language = "pl"
theme = "textual-dark"

[profiles.dom]
server = "https://ibok.example.pl"
customer = "100001"

[remembered]
dom = "100001"

[keys]
"faktury.pdf" = "ctrl+d"
```

A profile says where the console connects (`server`, or `demo = true`) and which
customer signs in there; passwords and tokens never go to this file (see
`credentials.py`). `[remembered]` names, per profile, the customer whose session the
keyring holds after "remember me": the console then opens on Pulpit at once and resumes
behind it, instead of drawing the login screen first (a customer number, no secret).
`[keys]` rebinds keys by their binding id (`ibok keys` lists them; Textual's keymap).
`IBOK_CONFIG_DIR` moves the file (tests, portable set-ups).

`load` checks every value (see `_parse`); `save` writes with tomli-w. A key or table this
version does not know is refused, not skipped: the console rewrites the file when a setting
changes, so a skipped key (a typo, or one of a newer version) would be silently lost.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from .domain.text import codepoint, unsafe_character
from .i18n import LANGUAGES, N_, translated

CONFIG_FILE = "config.toml"
DEFAULT_PROFILE = "default"
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}")  # whole: `$` would let a final newline in
_NAME_CHARACTERS = "A-Z a-z 0-9 _ . -"


class ConfigError(ValueError):
    """The configuration file or a profile is not usable."""


# NamedTuples, not frozen dataclasses: this module is read before the first frame, and a
# frozen dataclass costs about 1 ms to create (start-up time).
class ProfileConfig(NamedTuple):
    name: str
    server: str = ""
    demo: bool = False
    customer: str = ""
    ca_file: str = ""
    kiosk: bool = False


class Settings(NamedTuple):
    language: str = "pl"
    theme: str = "textual-dark"


class KioskSettings(NamedTuple):
    """`[kiosk]`: seconds of idleness before logout; the hash of the PIN that closes it."""

    idle_seconds: int = 120
    pin_hash: str = ""  # made by `ibok kiosk-pin`; never the PIN itself


_NONE: Mapping[str, str] = MappingProxyType({})  # a shared default must not be mutable
_NO_PROFILES: Mapping[str, ProfileConfig] = MappingProxyType({})


class Config(NamedTuple):
    settings: Settings = Settings()
    profiles: Mapping[str, ProfileConfig] = _NO_PROFILES
    kiosk: KioskSettings = KioskSettings()
    remembered: Mapping[str, str] = _NONE  # profile -> customer number
    keys: Mapping[str, str] = _NONE  # binding id -> keys, comma-separated (Textual's keymap)


def first_key(keys: Mapping[str, str], binding_id: str | None) -> str:
    """The first key `[keys]` binds `binding_id` to, or "" when the user did not rebind it
    (for lists of keys drawn from the declarations: the header, Pomoc)."""
    return keys.get(binding_id or "", "").split(",")[0].strip()


def config_dir() -> Path:
    override = os.environ.get("IBOK_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("ibok", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def valid_profile_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def load(path: Path | None = None) -> Config:
    """The configuration in `path`, checked: a value of the wrong type or outside what is
    allowed, an unknown table or key, or a text with a control character is a `ConfigError`
    naming the file, the key and what is allowed; nothing is coerced."""
    path = path or config_path()
    if not path.exists():
        return Config()
    import tomllib  # only when a file is read (start-up time)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        unreadable = translated(N_("nie można odczytać pliku TOML: {error}"))
        raise ConfigError(f"{path}: {unreadable.format(error=error)}") from error
    try:
        return _parse(data)
    except _Invalid as error:
        raise ConfigError(f"{path}: {error}") from None  # the key says it all: no chain


class _Invalid(ValueError):
    """One wrong value: the dotted key and what is allowed (the file is added by `load`),
    worded by the catalogue in the console's language."""

    def __init__(self, key: tuple[str, ...], problem: str, **params: object) -> None:
        super().__init__(f"{_dotted(key)}: {worded(problem, **params)}")


def worded(problem: str, **params: object) -> str:
    """A configuration problem (an `N_` message) with its params, in the console's language."""
    return translated(problem).format(**params)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def invalid(path: Path, key: tuple[str, ...], problem: str) -> ConfigError:
    """The error for one wrong value: `<file>: <dotted key>: <what is wrong or allowed>`
    (`problem` already `worded`)."""
    return ConfigError(f"{path}: {_dotted(key)}: {problem}")


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(part if _BARE_KEY.match(part) else repr(part) for part in key)


def _table(
    data: object, key: tuple[str, ...], allowed: tuple[str, ...] | None
) -> dict[str, object]:
    """A TOML table whose keys are all in `allowed` (None: any key, checked by the caller)."""
    if not isinstance(data, dict):
        raise _Invalid(key, N_("{value} nie jest tabelą"), value=repr(data))
    if allowed is not None:
        for name in data:
            if name not in allowed:
                raise _Invalid(
                    (*key, name),
                    N_("nieznany klucz (dozwolone: {allowed})"),
                    allowed=", ".join(allowed),
                )
    return data


def _text(data: dict[str, object], key: tuple[str, ...], default: str = "") -> str:
    value = data.get(key[-1], default)
    if not isinstance(value, str):
        raise _Invalid(key, N_("{value} nie jest tekstem"), value=repr(value))
    return _checked(value, key)


def _checked(value: str, key: tuple[str, ...]) -> str:
    """`value` if it holds no control, bidi or other unsafe character (domain/text.py)."""
    found = unsafe_character(value)
    if found is not None:
        raise _Invalid(key, N_("znak {character} jest tu niedozwolony"), character=codepoint(found))
    return value


def _flag(data: dict[str, object], key: tuple[str, ...]) -> bool:
    value = data.get(key[-1], False)
    if not isinstance(value, bool):
        raise _Invalid(key, N_("{value} to nie true ani false"), value=repr(value))
    return value


def _one_of(data: dict[str, object], key: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    value = data.get(key[-1], allowed[0])
    if value not in allowed:
        raise _Invalid(
            key,
            N_("{value} nie jest żadną z wartości: {allowed}"),
            value=repr(value),
            allowed=", ".join(allowed),
        )
    return str(value)


def _positive(data: dict[str, object], key: tuple[str, ...], default: int) -> int:
    value = data.get(key[-1], default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _Invalid(
            key, N_("{value} nie jest całkowitą liczbą sekund większą od 0"), value=repr(value)
        )
    return value


def _profile(name: str, data: object) -> ProfileConfig:
    key = ("profiles", name)
    if not valid_profile_name(name):
        raise _Invalid(
            key,
            N_("nazwa profilu to od 1 do 40 znaków spośród: {characters}"),
            characters=_NAME_CHARACTERS,
        )
    raw = _table(data, key, ProfileConfig._fields[1:])
    profile = ProfileConfig(
        name=name,
        server=_text(raw, (*key, "server")),
        demo=_flag(raw, (*key, "demo")),
        customer=_text(raw, (*key, "customer")),
        ca_file=_text(raw, (*key, "ca_file")),
        kiosk=_flag(raw, (*key, "kiosk")),
    )
    if not profile.server and not profile.demo:
        raise _Invalid(key, N_("profil potrzebuje adresu serwera albo demo = true"))
    if profile.server:
        problem = server_address_problem(profile.server)
        if problem:
            raise _Invalid((*key, "server"), problem)
    return profile


def server_address_problem(address: str) -> str | None:
    """Why `address` cannot be an iBOK server's (an `N_` message), or None: only http:// or
    https:// with a host name, no spaces or control characters, no user or password in it
    (a profile is a file: a password never goes there), a valid port. The message never
    repeats the address: it could hold a password."""
    import re
    from urllib.parse import urlsplit  # only when a profile names a server

    wrong = N_(
        "to nie jest adres serwera iBOK: potrzebny http:// albo https:// i nazwa serwera,"
        " bez spacji, np. https://ibok.wodociagi.pl"
    )
    if not address.isprintable() or any(c.isspace() for c in address):
        return wrong
    try:
        parts = urlsplit(address)
        if "@" in parts.netloc:
            return N_("adres serwera nie może zawierać użytkownika ani hasła")
        port = parts.port
    except ValueError:
        return wrong
    host = parts.hostname or ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.strip("@:"):
        return wrong
    if not re.fullmatch(r"[\w-]+(\.[\w-]+)*\.?|[0-9a-f:.]*:[0-9a-f:.]*", host):
        return wrong
    if port == 0 or parts.query or parts.fragment:
        return wrong
    return None


def _mapping(data: object, key: tuple[str, ...]) -> dict[str, str]:
    """A table of texts to texts (`[remembered]`, `[keys]`)."""
    found = {}
    for name, value in _table(data, key, None).items():
        _checked(name, (*key, name))
        if not isinstance(value, str):
            raise _Invalid((*key, name), N_("{value} nie jest tekstem"), value=repr(value))
        found[name] = _checked(value, (*key, name))
    return found


def _settings(data: object) -> Settings:
    raw = _table(data, ("settings",), Settings._fields)
    return Settings(
        language=_one_of(raw, ("settings", "language"), LANGUAGES),
        theme=_text(raw, ("settings", "theme"), Settings().theme),
    )


def _parse(data: dict[str, object]) -> Config:
    _table(data, (), Config._fields)
    settings = _settings(data.get("settings", {}))
    raw_profiles = _table(data.get("profiles", {}), ("profiles",), None)
    profiles = {name: _profile(name, raw) for name, raw in raw_profiles.items()}
    raw_kiosk = _table(data.get("kiosk", {}), ("kiosk",), KioskSettings._fields)
    kiosk = KioskSettings(
        idle_seconds=_positive(raw_kiosk, ("kiosk", "idle_seconds"), KioskSettings().idle_seconds),
        pin_hash=_text(raw_kiosk, ("kiosk", "pin_hash")),
    )
    remembered = _mapping(data.get("remembered", {}), ("remembered",))
    return Config(
        settings=settings,
        profiles=profiles,
        kiosk=kiosk,
        remembered={k: v for k, v in remembered.items() if v},
        keys=_mapping(data.get("keys", {}), ("keys",)),  # checked against the app: keymap.py
    )


def _document(config: Config) -> dict[str, object]:
    """The configuration as TOML's tables, leaving out what is at its default."""
    document: dict[str, object] = {"settings": config.settings._asdict()}
    profiles = {}
    for name, profile in sorted(config.profiles.items()):
        fields = profile._asdict()
        del fields["name"]
        profiles[name] = {k: v for k, v in fields.items() if v}
    if profiles:
        document["profiles"] = profiles
    if config.kiosk != KioskSettings():
        document["kiosk"] = {k: v for k, v in config.kiosk._asdict().items() if v}
    if config.remembered:
        document["remembered"] = dict(sorted(config.remembered.items()))
    if config.keys:
        document["keys"] = dict(config.keys)
    return document


def dumps(config: Config) -> str:
    import tomli_w  # only when the file is written (start-up time)

    return tomli_w.dumps(_document(config))


def save(config: Config, path: Path | None = None) -> Path:
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(dumps(config), encoding="utf-8")
    temporary.replace(path)
    return path


def with_profile(config: Config, profile: ProfileConfig) -> Config:
    """`config` with `profile` added or replaced: refused, as `load` would refuse it."""
    fields = profile._asdict()
    del fields["name"]
    try:
        checked = _profile(profile.name, {k: v for k, v in fields.items() if v})
    except _Invalid as error:
        raise ConfigError(str(error)) from None
    return config._replace(profiles={**config.profiles, profile.name: checked})


def without_profile(config: Config, name: str) -> Config:
    if name not in config.profiles:
        raise ConfigError(worded(N_("nie ma profilu {name}"), name=repr(name)))
    return config._replace(profiles={k: v for k, v in config.profiles.items() if k != name})


def with_settings(config: Config, **changes: str) -> Config:
    """`config` with settings changed: refused, as `load` would refuse them."""
    try:
        settings = _settings({**config.settings._asdict(), **changes})
    except _Invalid as error:
        raise ConfigError(str(error)) from None
    return config._replace(settings=settings)


class Chosen(NamedTuple):
    """What `--profile`, `--demo` and `--server` choose: the profile, and the demo or server
    it talks to (given options win over the profile's)."""

    profile: ProfileConfig
    demo: bool
    server: str


def chosen_profile(config: Config, name: str | None, *, demo: bool, server: str) -> Chosen | None:
    """The profile `name` names (None when there is none such), or one made of `--demo` or
    `--server`; the console and the commands choose alike."""
    if name:
        found = config.profiles.get(name)
        if found is None:
            return None
        if not demo and not server:
            demo, server = found.demo, found.server
        return Chosen(found, demo, server)
    label = "demo" if demo else (server or DEFAULT_PROFILE)
    return Chosen(ProfileConfig(name=label, demo=demo, server=server), demo, server)


def with_remembered(config: Config, profile: str, customer: str | None) -> Config:
    """Note (or forget, with None) whose session the profile resumes at start."""
    remembered = {k: v for k, v in config.remembered.items() if k != profile}
    if customer:
        remembered[profile] = customer
    return config._replace(remembered=remembered)
