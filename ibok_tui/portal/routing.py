"""Which of the utility's addresses a request reaches (Kartuzy: a request goes to a defined
group of recipients): groups of addresses, each request category routed to one group, and
the group that gets the digest of new readings.

The routing is read from a TOML file (`ibok serve --routing FILE`) or, without one, from
the `routing` entry of the utility's settings in the store (the demo data sets one). It
is checked whole before the server starts: a bad entry stops the start with an error that
names it (`RoutingError`: the entry, a code and its params; the words are the caller's).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..domain.models import RequestCategory
from .checks import email_error

GROUP_NAME = re.compile(r"[\w.-]{1,40}")
MAX_ADDRESSES = 50  # in one group
DIGEST_MINUTES = (5, 1440)  # how often the readings' digest may go: 5 minutes to a day
DEFAULT_DIGEST_MINUTES = 60
_TOP = frozenset({"groups", "categories", "readings", "digest_minutes"})


class RoutingError(ValueError):
    """A routing entry that cannot be used: `entry` names it (`groups.dispatcher[2]`),
    `code` says what is wrong with it."""

    def __init__(self, entry: str, code: str, **params: str) -> None:
        super().__init__(f"{entry}: {code} {params or ''}".strip())
        self.entry = entry
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Routing:
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    categories: Mapping[RequestCategory, str] = field(default_factory=dict)
    readings: str | None = None  # the group that gets the digest of new readings
    digest_every: timedelta = timedelta(minutes=DEFAULT_DIGEST_MINUTES)

    def group_of(self, category: RequestCategory) -> tuple[str, tuple[str, ...]] | None:
        """The group a request of `category` goes to and its addresses; None if unrouted."""
        name = self.categories.get(category)
        return None if name is None else (name, self.groups[name])

    @property
    def readings_group(self) -> tuple[str, tuple[str, ...]] | None:
        return None if self.readings is None else (self.readings, self.groups[self.readings])


NO_ROUTING = Routing()


def parse_routing(data: Any) -> Routing:
    """A routing from its TOML or JSON form; RoutingError naming the first bad entry."""
    if not isinstance(data, dict):
        raise RoutingError("routing", "not_a_table")
    for key in data:
        if key not in _TOP:
            raise RoutingError(str(key), "unknown_entry")
    groups = _groups(data.get("groups"))
    categories = _categories(data.get("categories"), groups)
    readings = data.get("readings")
    if readings is not None and (not isinstance(readings, str) or readings not in groups):
        raise RoutingError("readings", "unknown_group", group=str(readings))
    minutes = data.get("digest_minutes", DEFAULT_DIGEST_MINUTES)
    low, high = DIGEST_MINUTES
    if type(minutes) is not int or not low <= minutes <= high:
        raise RoutingError("digest_minutes", "out_of_range", min=str(low), max=str(high))
    return Routing(groups, categories, readings, timedelta(minutes=minutes))


def _groups(data: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict) or not data:
        raise RoutingError("groups", "required")
    groups: dict[str, tuple[str, ...]] = {}
    for name, addresses in data.items():
        entry = f"groups.{name}"
        if not GROUP_NAME.fullmatch(str(name)):
            raise RoutingError(entry, "invalid_group_name")
        if isinstance(addresses, str):
            addresses = [addresses]
        if not isinstance(addresses, list) or not addresses:
            raise RoutingError(entry, "required")
        if len(addresses) > MAX_ADDRESSES:
            raise RoutingError(entry, "too_many", max=str(MAX_ADDRESSES))
        checked = []
        for index, address in enumerate(addresses, start=1):
            if not isinstance(address, str) or email_error("email", address) is not None:
                raise RoutingError(f"{entry}[{index}]", "invalid_email", value=str(address))
            checked.append(address.strip())
        groups[str(name)] = tuple(dict.fromkeys(checked))
    return groups


def _categories(data: Any, groups: Mapping[str, tuple[str, ...]]) -> dict[RequestCategory, str]:
    """Each category's group: every category named, or `default` for those not named."""
    if not isinstance(data, dict):
        raise RoutingError("categories", "required")
    known = {c.value for c in RequestCategory}
    for key, group in data.items():
        entry = f"categories.{key}"
        if key != "default" and key not in known:
            raise RoutingError(entry, "unknown_category")
        if not isinstance(group, str) or group not in groups:
            raise RoutingError(entry, "unknown_group", group=str(group))
    default = data.get("default")
    routed = {}
    for category in RequestCategory:
        group = data.get(category.value, default)
        if group is None:
            raise RoutingError(f"categories.{category.value}", "required")
        routed[category] = group
    return routed


def load_routing(path: Path) -> Routing:
    """The routing in a TOML file; RoutingError naming the file's bad entry (or the file)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RoutingError(str(path), "unreadable", error=type(error).__name__) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RoutingError(str(path), "not_toml", error=str(error)) from None
    return parse_routing(data)


def stored_routing(text: str | None) -> Routing:
    """The routing of the utility's settings (JSON), or none when there is no entry."""
    return NO_ROUTING if text is None else parse_routing(json.loads(text))
