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
```

A profile says where the console connects (`server`, or `demo = true`) and which
customer signs in there; passwords and tokens never go to this file (see
`credentials.py`). `[remembered]` names, per profile, the customer whose session the
keyring holds after "remember me": the console then opens on Pulpit at once and resumes
behind it, instead of drawing the login screen first (a customer number, no secret).
`IBOK_CONFIG_DIR` moves the file (tests, portable set-ups).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

CONFIG_FILE = "config.toml"
DEFAULT_PROFILE = "default"
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


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


def config_dir() -> Path:
    override = os.environ.get("IBOK_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("ibok", appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def valid_profile_name(name: str) -> bool:
    return bool(_NAME.match(name))


def load(path: Path | None = None) -> Config:
    import tomllib  # only when a file is read (start-up time)

    path = path or config_path()
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    raw_settings = data.get("settings", {})
    settings = Settings(
        language=str(raw_settings.get("language", "pl")),
        theme=str(raw_settings.get("theme", "textual-dark")),
    )
    profiles = {}
    for name, raw in data.get("profiles", {}).items():
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: profile {name!r} is not a table")
        profiles[name] = ProfileConfig(
            name=name,
            server=str(raw.get("server", "")),
            demo=bool(raw.get("demo", False)),
            customer=str(raw.get("customer", "")),
            ca_file=str(raw.get("ca_file", "")),
            kiosk=bool(raw.get("kiosk", False)),
        )
    raw_kiosk = data.get("kiosk", {})
    try:
        kiosk = KioskSettings(
            idle_seconds=int(raw_kiosk.get("idle_seconds", 120)),
            pin_hash=str(raw_kiosk.get("pin_hash", "")),
        )
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{path}: [kiosk] {error}") from error
    if kiosk.idle_seconds <= 0:
        raise ConfigError(f"{path}: [kiosk] idle_seconds must be positive")
    remembered = {str(k): str(v) for k, v in data.get("remembered", {}).items() if v}
    return Config(settings=settings, profiles=profiles, kiosk=kiosk, remembered=remembered)


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def dumps(config: Config) -> str:
    lines = [
        "[settings]",
        f"language = {_quote(config.settings.language)}",
        f"theme = {_quote(config.settings.theme)}",
    ]
    for name, profile in sorted(config.profiles.items()):
        lines += ["", f"[profiles.{_quote(name)}]"]
        if profile.server:
            lines.append(f"server = {_quote(profile.server)}")
        if profile.demo:
            lines.append("demo = true")
        if profile.customer:
            lines.append(f"customer = {_quote(profile.customer)}")
        if profile.ca_file:
            lines.append(f"ca_file = {_quote(profile.ca_file)}")
        if profile.kiosk:
            lines.append("kiosk = true")
    if config.kiosk != KioskSettings():
        lines += ["", "[kiosk]", f"idle_seconds = {config.kiosk.idle_seconds}"]
        if config.kiosk.pin_hash:
            lines.append(f"pin_hash = {_quote(config.kiosk.pin_hash)}")
    if config.remembered:
        lines += ["", "[remembered]"]
        lines += [f"{_quote(k)} = {_quote(v)}" for k, v in sorted(config.remembered.items())]
    return "\n".join(lines) + "\n"


def save(config: Config, path: Path | None = None) -> Path:
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(dumps(config), encoding="utf-8")
    temporary.replace(path)
    return path


def with_profile(config: Config, profile: ProfileConfig) -> Config:
    if not valid_profile_name(profile.name):
        raise ConfigError(f"invalid profile name: {profile.name!r}")
    if not profile.server and not profile.demo:
        raise ConfigError("a profile needs a server address or demo")
    return config._replace(profiles={**config.profiles, profile.name: profile})


def without_profile(config: Config, name: str) -> Config:
    if name not in config.profiles:
        raise ConfigError(f"no such profile: {name!r}")
    return config._replace(profiles={k: v for k, v in config.profiles.items() if k != name})


def with_settings(config: Config, **changes: str) -> Config:
    return config._replace(settings=config.settings._replace(**changes))


def with_remembered(config: Config, profile: str, customer: str | None) -> Config:
    """Note (or forget, with None) whose session the profile resumes at start."""
    remembered = {k: v for k, v in config.remembered.items() if k != profile}
    if customer:
        remembered[profile] = customer
    return config._replace(remembered=remembered)
