"""Key descriptions in the current language, for the app, screens and widgets alike (kept
out of `screens.base`, so the login screen and the shell need not import the tab
machinery before the first frame)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..i18n import _


def translate_bindings(node: Any) -> None:
    """Put the node's binding descriptions into the current language (Polish is the key)."""
    if node._merged_bindings is not None:
        node._bindings = node._merged_bindings.copy()
    for key, bindings in list(node._bindings.key_to_bindings.items()):
        node._bindings.key_to_bindings[key] = [
            replace(binding, description=_(binding.description)) if binding.description else binding
            for binding in bindings
        ]
