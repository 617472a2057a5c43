"""The keys of the screen in front of the user, on one line at the bottom.

It does what Textual's `Footer` does for this console (the shown bindings of the focused
chain, dimmed when disabled, the command palette's key on the right, a click presses the
key) as one widget that repaints when the bindings change. `Footer` re-creates a child
widget per key on every focus change, which made it the dearest part of the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from textual import events
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

KEY = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION = "$footer-description-foreground"
DISABLED = "dim"


KEEP = {"keys_help"}  # F1: every key of the screen, in a dialog
GROUP_JOIN = "/"  # between the keys of a binding group: "⏎/^s Wyślij"


def _width(entry: tuple[str, str, str, bool]) -> int:
    _key, display, description, _enabled = entry
    return len(display) + 2 + (len(description) + 1 if description else 0)


class KeyZone(NamedTuple):
    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._zones: list[KeyZone] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Any) -> None:
        self.refresh()

    def keys(
        self, active: dict[str, ActiveBinding] | None = None
    ) -> list[tuple[str, str, str, bool]]:
        """(key, how it is shown, description, enabled) of every key to show, in order;
        one entry per action (the first key of several bound to the same action), and one
        per `Binding.Group`, as Textual's footer does: the keys of the group's bindings
        shown together with the first one's description (a dialog's "⏎/^s Wyślij").

        When they do not fit, the screen's own keys win: the app's (quit, help, logout…)
        give way, except the one that lists every key (`KEEP`).

        `active`: the screen's active bindings, if the caller has them (Textual works
        them out anew at each read, asking every binding's `check_action`)."""
        active = self.screen.active_bindings if active is None else active
        shown: dict[str, tuple[str, str, str, bool]] = {}
        shell: set[str] = set()
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        for key, found in active.items():
            binding = found.binding
            entry = binding.action if binding.group is None else f"group:{id(binding.group)}"
            if not binding.show or key == palette:
                continue
            display = app.get_key_display(binding)
            if entry in shown:
                first, keys, description, enabled = shown[entry]
                if binding.group is not None:
                    joined = f"{keys}{GROUP_JOIN}{display}"
                    shown[entry] = (first, joined, description, enabled or found.enabled)
                continue
            shown[entry] = (key, display, binding.description, found.enabled)
            if found.node is app and binding.action not in KEEP:
                shell.add(entry)
        palette_entry = self._palette(active)
        room = self.size.width - (_width(palette_entry) + 1 if palette_entry else 0)
        if sum(_width(entry) for entry in shown.values()) > room:
            shown = {action: entry for action, entry in shown.items() if action not in shell}
        return list(shown.values())

    def _palette(self, active: dict[str, ActiveBinding]) -> tuple[str, str, str, bool] | None:
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return None
        # by its action, not its key: `[keys]` may have moved it off ctrl+p
        found = [one for one in active.values() if one.binding.action == "command_palette"]
        if not found:
            return None
        palette = found[0]
        display = app.get_key_display(palette.binding)
        return (palette.binding.key, display, palette.binding.description, palette.enabled)

    def render(self) -> Content:
        parts: list[tuple[str, str] | str] = []
        zones: list[KeyZone] = []
        x = 0

        def add(key: str, display: str, description: str, enabled: bool) -> None:
            nonlocal x
            start = x
            chunk = [(f" {display} ", KEY if enabled else f"{KEY} {DISABLED}")]
            if description:
                chunk.append((f"{description} ", DESCRIPTION if enabled else DISABLED))
            for text, style in chunk:
                parts.append((text, style))
                x += len(text)
            zones.append(KeyZone(start, x, key, enabled))

        active = self.screen.active_bindings
        for entry in self.keys(active):
            add(*entry)
        palette = self._palette(active)
        if palette is not None:
            gap = self.size.width - x - (_width(palette) + 1)  # "│", then the key
            if gap >= 1:
                parts.append(" " * gap + "│")
                x += gap + 1
                add(*palette)
        self._zones = zones
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        for zone in self._zones:
            if zone.start <= event.x < zone.end:
                event.stop()
                if zone.enabled:
                    self.app.simulate_key(zone.key)
                else:
                    self.app.bell()
                return
