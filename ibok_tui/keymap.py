"""The keys a user may rebind: every binding the console declares with an id, and the
check of a config file's `[keys]` table against them before the console starts.

`[keys]` maps a binding id to one key or several separated by commas, as Textual's
`App.set_keymap` takes them (`"faktury.pdf" = "ctrl+d"`, `"tab.refresh" = "r,f5"`).
`declared_bindings` finds the ids in the classes themselves (app, screens, widgets);
`ibok keys` prints them and the README's copy is checked by a test. Importing every screen
to find them takes 0.5-0.7 s here, too much for each start with a `[keys]` table, so the
start checks against `BINDING_IDS`, a copy that a test keeps equal to what is declared.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from .config import invalid, worded
from .i18n import N_

# every binding id the console declares (tests/unit/test_keymap.py keeps it equal to
# `declared_bindings()`: a new binding with an id fails there until it is added here)
BINDING_IDS = frozenset(
    (
        "analyses.next_kind",
        "analyses.next_range",
        "app.keys_help",
        "app.logout",
        "app.outbox",
        "app.palette",
        "app.property",
        "app.quit",
        "button.press",
        "customers.audit",
        "customers.block",
        "customers.contract_end",
        "customers.more",
        "customers.open_key",
        "customers.password",
        "customers.unblock",
        "dane.save",
        "desk.audit",
        "desk.reading",
        "desk.request",
        "desk.return",
        "dialog.close",
        "dialog.enter",
        "dialog.send",
        "dokumenty.download",
        "dokumenty.scan_status",
        "dokumenty.sort",
        "faktury.archive",
        "faktury.e_invoice",
        "faktury.open",
        "faktury.pay",
        "faktury.pdf",
        "faktury.sort",
        "invoice.pay",
        "invoice.pdf",
        "login.activate",
        "login.enter",
        "login.forgot",
        "login.register",
        "login.terms",
        "meters.garden_install",
        "meters.garden_remove",
        "meters.garden_replace",
        "nav.analizy",
        "nav.dane",
        "nav.dokumenty",
        "nav.faktury",
        "nav.odczyty",
        "nav.pomoc",
        "nav.pulpit",
        "nav.rozrachunki",
        "nav.umowy",
        "nav.ustawienia",
        "nav.wodomierze",
        "nav.zgloszenia",
        "operator.customers",
        "operator.logout",
        "operator.queue",
        "operator.terms",
        "outbox.close",
        "outbox.edit",
        "outbox.send",
        "outbox.withdraw",
        "pin.cancel",
        "pulpit.invoice_archive",
        "pulpit.pay",
        "pulpit.submit_reading",
        "queue.activate",
        "queue.all",
        "queue.close",
        "queue.import",
        "queue.next",
        "queue.notice",
        "queue.prev",
        "queue.reject",
        "queue.reply",
        "queue.status",
        "queue.toggle",
        "readings.days",
        "readings.edit",
        "readings.months",
        "readings.sort",
        "readings.submit",
        "readings.withdraw",
        "requests.new",
        "requests.sort",
        "rozrachunki.all",
        "rozrachunki.open",
        "rozrachunki.paid",
        "rozrachunki.pay",
        "rozrachunki.unpaid",
        "series.up",
        "switch.flip",
        "tab.copy_tsv",
        "tab.export_csv",
        "tab.filter",
        "tab.leave_field",
        "tab.refresh",
        "terms.accept",
        "terms.decline",
        "terms_admin.publish",
        "umowy.document",
        "umowy.open",
        "umowy.upload",
        "umowy.withdraw",
        "ustawienia.consents",
        "ustawienia.export",
        "ustawienia.notices",
        "ustawienia.password",
    )
)
# the modifiers Textual's key names carry (`ctrl+shift+f1`)
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_PACKAGES = ("ibok_tui.screens", "ibok_tui.widgets")
# Textual's key names (its `Keys` without their modifiers) and the names it gives
# characters whose Unicode name it shortens ("slash", "minus")
_NAMED_KEYS = {key.value.rpartition("+")[2] for key in Keys} | set(KEY_NAME_REPLACEMENTS.values())


def _modules() -> Iterator[str]:
    yield "ibok_tui.app"
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        for found in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            yield found.name


class Declared(NamedTuple):
    keys: str  # the default keys, comma-separated as declared
    description: str  # Polish, as declared (the UI translates it)


def declared_bindings() -> dict[str, Declared]:
    """Every binding id that the console's classes declare, sorted; an id declared in two
    classes (a logout on the app and on the clerk's screen) is one entry, its first keys."""
    from textual.binding import Binding

    found: dict[str, Declared] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name or "BINDINGS" not in vars(cls):
                continue
            for binding in vars(cls)["BINDINGS"]:
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, Declared(binding.key, binding.description))
    return dict(sorted(found.items()))


def key_problem(keys: str) -> str | None:
    """Why `keys` (comma-separated) is not a list of keys Textual can bind, or None."""
    for key in (part.strip() for part in keys.split(",")):
        if not key:
            return worded(
                N_("{keys} ma pusty klawisz (klawisze oddziela przecinek)"), keys=repr(keys)
            )
        *modifiers, name = key.split("+") if len(key) > 1 else [key]
        wrong = [modifier for modifier in modifiers if modifier not in MODIFIERS]
        if wrong:
            return worded(
                N_("{key}: modyfikator to jeden z {modifiers}, łączony znakiem +"),
                key=repr(key),
                modifiers=", ".join(MODIFIERS),
            )
        if not name:
            return worded(N_("{key} nie ma klawisza po modyfikatorach"), key=repr(key))
        if len(name) == 1 and name.isprintable():
            continue
        character = None if name in _NAMED_KEYS else key_to_character(name)
        # a Unicode name of a printable character ("question_mark"); not an alias of an
        # invisible one ("pdf" is U+202C's)
        if name not in _NAMED_KEYS and not (character and character.isprintable()):
            return worded(
                N_("{key} to nie klawisz (znak albo nazwa, np. f5, escape, slash)"), key=repr(key)
            )
    return None


def check_keymap(keys: Mapping[str, str], path: Path) -> None:
    """A `ConfigError` naming the file and the key for a binding id the console does not
    declare or keys Textual could not bind."""
    for binding_id, keys_text in keys.items():
        if binding_id not in BINDING_IDS:
            unknown = worded(N_("to nie id wiązania (listę podaje ibok keys)"))
            raise invalid(path, ("keys", binding_id), unknown)
        problem = key_problem(keys_text)
        if problem is not None:
            raise invalid(path, ("keys", binding_id), problem)


def check_theme(theme: str, path: Path) -> None:
    """A `ConfigError` for a `[settings] theme` that is none of Textual's themes."""
    from textual.theme import BUILTIN_THEMES

    if theme not in BUILTIN_THEMES:
        problem = worded(
            N_("nieznany motyw {value} (dozwolone: {allowed})"),
            value=repr(theme),
            allowed=", ".join(sorted(BUILTIN_THEMES)),
        )
        raise invalid(path, ("settings", "theme"), problem)


def keys_table() -> str:
    """The rebindable keys as a Markdown table: `ibok keys` prints it; the README has it."""
    rows = ["| binding id | default key | what it does |", "| --- | --- | --- |"]
    for binding_id, declared in declared_bindings().items():
        rows.append(f"| `{binding_id}` | `{declared.keys}` | {declared.description} |")
    return "\n".join(rows)
