"""Letting go of closed widgets that Textual would keep alive, with the data on them.

Textual internals this relies on (Textual 8.2; tests/ui/test_kiosk.py's test that nothing
of one customer survives for the next fails if they change):

- `Signal._subscriptions`: a `WeakKeyDictionary` of subscriber to callbacks, but each
  callback is a closure over its subscriber, so an entry goes only when the signal next
  publishes. Until then a closed tab's widgets stay alive: the app's theme signal kept
  Analizy's chart (a meter's serial), a login screen's selection signal its fields.
- `App._compose_screen`: the app's first screen (here a login, with the first customer's
  number typed in), kept for the app's life, also as a local of Textual's message loop;
  its `_nodes` (a `NodeList`, with caches) still hold its widgets after it is removed.

If an internal is not there any more, nothing is done (a logout must not fail on it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from textual.app import App
from textual.screen import Screen


def release_closed_nodes(app: App[Any], installed: Sequence[Screen[Any]]) -> None:
    """Drop every signal subscription of a node no longer attached, on the app and on the
    `installed` screens; empty the app's first screen when it is no longer installed."""
    from textual.signal import Signal

    owners: list[object] = [app, *installed]
    with contextlib.suppress(AttributeError, ImportError):
        first = app._compose_screen
        if first is not None and all(first is not owner for owner in owners):
            from textual._node_list import NodeList

            owners.append(first)
            first._nodes = NodeList(first)  # its widgets (the typed number), caches and all
            app._compose_screen = None  # then `default_screen` is the current screen
    for owner in owners:
        for value in vars(owner).values():
            if not isinstance(value, Signal):
                continue
            with contextlib.suppress(AttributeError):
                for node in list(value._subscriptions):
                    if not node.is_attached or node._pruning:
                        value.unsubscribe(node)
