"""Key descriptions in the current language, for the app, screens and widgets alike (kept
out of `screens.forms.base`, so the login screen and the shell need not import the tab
machinery before the first frame)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .textual_internals import key_description, own_bindings


def translate_bindings(node: Any) -> None:
    """Put the node's binding descriptions into the current language (Polish is the key).

    The first call remembers the node's bindings as they are, Polish, including those
    Textual adds at run time (the command palette's ctrl+p): a later call, after the
    language changed, translates from them again rather than from the class's list."""
    original: dict[str, list[Any]] | None = node.__dict__.get("_polish_bindings")
    if original is None:
        original = {key: list(found) for key, found in own_bindings(node).items()}
        node._polish_bindings = original
    for key, bindings in original.items():
        own_bindings(node)[key] = [
            replace(binding, description=key_description(binding.description))
            if binding.description
            else binding
            for binding in bindings
        ]
