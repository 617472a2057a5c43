"""What every tab shares: access to the backend, backend calls in workers with errors
shown (never swallowed, never a crash), refresh and filter keys.

Contract for tab modules (one module per tab under `ibok_tui/screens/`):

- subclass `TabScreen`, set `TAB_ID` (the mode name, e.g. "odczyty") and `TAB_TITLE`;
- put the tab's own widgets in `compose_body()`; the shell adds the session header and
  the footer around them;
- load data in `load()` (called when the tab is first shown, on `r`, and after a write of
  a kind of record in `SHOWS`, made anywhere in the console: `records_changed`), through
  `self.call(...)`, which runs the backend call in an exclusive worker of a group and
  hands the result to a callback on the UI thread; failures go to the app's error
  handling (an error dialog; a sign-in prompt when the session expired);
- reach the backend only as `self.backend` (the `Backend` protocol), never a concrete one,
  and the console only as `self.host` (ibok_tui/host.py), never by reading `self.app`;
- an action that writes a file, reads the disk or fills the clipboard starts with
  `if self.policy_takes("<action>"): return` (a kiosk refuses it, or does it its own way);
- data that belongs to a property (posesja): show only `self.of_property(...)` of it and
  override `property_changed()` to show it again when the user chooses another property
  (key `w`); `show_property_note(shown, total)` says how many rows that choice hides.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ...domain.changes import Change
from ...host import Host, host_of
from ...i18n import _, n_
from ...widgets.bindings import translate_bindings
from ...widgets.key_bar import KeyBar
from ...widgets.tables import ListTable, table_content, write_csv
from ...widgets.textual_internals import css_update_count
from ...widgets.visibility import shown
from .workers import ShowsWorkerFailures, guarded, run_guarded

__all__ = ["TabScreen", "guarded", "run_guarded", "translate_bindings"]

if TYPE_CHECKING:
    from textual.widgets import TabbedContent
    from textual.worker import Worker

    from ...backends.base import Backend

T = TypeVar("T")


class TabScreen(ShowsWorkerFailures, Screen[None]):
    TAB_ID: ClassVar[str] = ""
    TAB_TITLE: ClassVar[str] = ""
    # the kinds of record the tab shows: a change of one is shown at once (records_changed)
    SHOWS: ClassVar[frozenset[Change]] = frozenset()
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Odśwież", id="tab.refresh"),
        Binding("slash", "filter", "Filtruj", id="tab.filter"),
        Binding("e", "export_csv", "Eksport CSV", id="tab.export_csv"),
        Binding("c", "copy_tsv", "Kopiuj", id="tab.copy_tsv"),
        Binding("escape", "leave_field", "Wyjdź z pola", id="tab.leave_field", show=False),
    ]
    NEEDS_SERVER: ClassVar[frozenset[str]] = frozenset()
    """The tab's actions that the offline copy cannot do (a download, a change that the
    outbox does not keep for later): dimmed in the key bar while the server is out of
    reach. A reading, a request and a contact change wait in the outbox instead."""
    DEFAULT_CSS = """
    TabScreen #property-note { display: none; height: auto; padding: 0 1; color: $warning; }
    TabScreen #property-note.-shown { display: block; }
    TabScreen #columns-note { display: none; height: auto; padding: 0 1; color: $text-muted; }
    TabScreen #columns-note.-shown { display: block; }
    """

    def __init__(self) -> None:
        self._left_with: tuple[object, ...] | None = None  # see _on_screen_resume
        self._styled_with: tuple[object, ...] | None = None  # see _on_screen_resume
        super().__init__(id=f"tab-{self.TAB_ID}" if self.TAB_ID else None)
        self._loaded = False
        self.made_ahead = False  # made before its first visit (tabs.py): see `call`
        self.laid_out_ahead = False  # and laid out then (tabs.py)
        self.drawn_ahead = False  # and drawn once then, for the caches (tabs.py)
        translate_bindings(self)

    @property
    def host(self) -> Host:
        """The console (ibok_tui/host.py): all a tab may ask of it."""
        return host_of(self)

    @property
    def backend(self) -> Backend:
        return self.host.backend

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static(id="property-note", markup=False)
        yield from self.compose_body()
        yield Static(id="columns-note", markup=False)
        yield KeyBar()

    def compose_header(self) -> ComposeResult:
        """The session header, as the host makes it (the clerk's desk: a banner)."""
        header = self.host.make_header()
        if header is not None:
            header.add_class("shell")
            yield header

    def compose_body(self) -> ComposeResult:
        yield from ()

    # Textual calls a class's `_on_x` instead of its `on_x`, then Screen's own handlers.
    def on_mount(self) -> None:
        # Textual calls this as well as a subclass's own `on_mount` (one per class)
        self._styled_with = self._style_inputs(sized=False)

    def _on_screen_suspend(self) -> None:
        self._left_with = self._style_inputs()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual re-applies every CSS rule to every widget of a screen each time it comes
        back, and every table then drops its rendered rows: that was most of a tab switch
        (Faktury, Odczyty: 50–100 ms). It is needed only when the stylesheet, the theme or
        the terminal's focus changed while the tab was away; changes inside the tab restyle
        their widgets at once, suspended or not.

        A new tab is resumed twice on its first visit (`App._init_mode`, then
        `switch_mode`) right after its widgets were mounted, each one styled as it was
        mounted: restyling them all again was a third of the first visit. So until it is
        first left, it is restyled only when the stylesheet, theme or focus changed since
        it was mounted (its size, 0×0 before the first layout, does not count then)."""
        if self._left_with is not None:
            current = self._left_with == self._style_inputs()
        else:
            current = self._styled_with == self._style_inputs(sized=False)
        if current:
            event.refresh_styles = False  # Screen's handler, called after this one, reads it
        if self.made_ahead and self.is_current:
            self.made_ahead = False  # shown: its failures are shown from now on
        self.ensure_loaded()

    def _style_inputs(self, *, sized: bool = True) -> tuple[object, ...]:
        app = self.app
        inputs = (css_update_count(app), app.theme, app.app_focus)
        return (*inputs, self.size) if sized else inputs

    def ensure_loaded(self) -> None:
        """Load on the first visit; while a remembered session still resumes (the app
        opens on Pulpit at once), wait with a loading indicator until it is there."""
        if self._loaded:
            return
        waiting = self.backend.session is None and self.host.resuming
        for child in self.children:  # the body, not the header and the keys
            if not child.has_class("shell") and not isinstance(child, KeyBar):
                child.loading = waiting
        if not waiting:
            self._loaded = True
            self.load()

    def reload_when_shown(self) -> None:
        """The server answers again after the offline view: the tab in front loads its data
        afresh now, a loaded one in the background when it is next shown."""
        if not self._loaded:
            return
        if self.is_attached and self.is_current:
            self.load()
        else:
            self._loaded = False

    # --- the chosen property (posesja, key `w` of the shell) ------------------------------

    @property
    def chosen_property(self) -> str | None:
        """The id of the property the user chose, or None for all of them."""
        return self.host.selected_property

    def of_property(self, items: Iterable[T], property_of: Callable[[T], str | None]) -> list[T]:
        """The items of the chosen property; those of no property (the account's) stay."""
        chosen = self.chosen_property
        return [i for i in items if chosen is None or property_of(i) in (None, chosen)]

    def property_chosen(self) -> None:
        """Called by the app when the chosen property changes (a loaded tab shows its data
        again). The app calls its tabs rather than each tab watching the app: a watcher
        would keep a closed tab, and the data on it, alive after logout."""
        if self._loaded and self.is_attached:
            self.property_changed()

    def property_changed(self) -> None:
        """The user chose another property: show the loaded data again. Override."""

    def records_changed(self, kinds: frozenset[Change]) -> None:
        """Called by the app after a write changed these kinds of record (any tab, dialog,
        the outbox or the clerk's desk: backends/changes.py): a loaded tab that shows one of
        them (`SHOWS`) loads afresh, at once when in front (or under a dialog of its own),
        else when it is next shown."""
        if not self._loaded or not (kinds & self.SHOWS):
            return
        if self.is_attached and self in self.app.screen_stack:
            self.load()
        else:
            self._loaded = False

    @property
    def property_narrowed(self) -> bool:
        """One property of several is chosen: figures of the whole account must say so."""
        profile = self.host.profile_data
        return (
            self.chosen_property is not None and profile is not None and len(profile.properties) > 1
        )

    def property_label(self) -> str:
        """The chosen property's name as the customer's profile gives it."""
        chosen = self.chosen_property
        profile = self.host.profile_data
        for place in profile.properties if profile is not None else ():
            if place.id == chosen:
                return str(place.label)
        return chosen or ""

    def show_property_note(self, shown: int, total: int) -> None:
        """Say above the tab's content when the chosen property hides some of `total` rows."""
        note = self.query_one("#property-note", Static)
        hidden = self.chosen_property is not None and shown < total
        if hidden:
            note.update(
                _(
                    "Posesja {name}: pokazano {shown} z {total}",
                    name=self.property_label(),
                    shown=shown,
                    total=total,
                )
            )
        note.set_class(hidden, "-shown")

    def on_list_table_columns_hidden(self, event: ListTable.ColumnsHidden) -> None:
        self.show_columns_note()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Another section of the tab in front: its lists' hidden columns, not the last."""
        self.show_columns_note()

    def show_columns_note(self) -> None:
        """Say which columns the lists in front of the user left out, too narrow for all of
        them (a wider window shows them; the export and the copy have them all). Only the
        lists shown count: a tab of several panes or sections (the clerk's) calls this
        again when another one comes to the front."""
        names = [
            name for table in self.query(ListTable) if shown(table) for name in table.hidden_labels
        ]
        note = self.query_one("#columns-note", Static)
        if names:
            note.update(
                _(
                    "Ukryte kolumny: {names} (za wąskie okno; eksport ma wszystkie)",
                    names=", ".join(names),
                )
            )
        note.set_class(bool(names), "-shown")

    def load(self) -> None:
        """Fetch what the tab shows. Override; use `self.call`."""

    def action_refresh(self) -> None:
        self.load()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a filter field goes back to the list it filters."""
        if event.input.has_class("filter"):
            event.stop()
            table = self._list_table()
            if table is not None:
                table.focus()

    def action_leave_field(self) -> None:
        """Esc in a text field: back to the list (or the screen), so that the keys of the
        tab and the shell (1…0, u, /…) work again; what was typed stays."""
        if isinstance(self.focused, Input):
            table = self._list_table()
            if table is not None:
                table.focus()
            else:
                self.set_focus(None)

    def action_filter(self) -> None:
        """Focus the tab's filter input (an `Input` with class `filter`), if it has one."""
        for widget in self.query(".filter"):
            widget.focus()
            return

    def _list_table(self) -> DataTable[Any] | None:
        """The list in front of the user: the focused table, else the first one shown."""
        focused = self.focused
        if isinstance(focused, DataTable):
            return focused
        for table in self.query(DataTable):
            if shown(table):
                return table
        return None

    def policy_takes(self, action: str) -> bool:
        """Called first by every action that writes a file, reads the disk or fills the
        clipboard: True when the host's policy (a kiosk) refused it or did it its own way,
        and the action must stop there. So a key, the palette and a direct call from the
        screen's own code all meet the policy."""
        policy = self.host.screen_policy
        return policy is not None and policy.takes_screen_action(self, action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        policy = self.host.screen_policy
        if policy is not None and not policy.allows_screen_action(action):
            return False
        if action in self.NEEDS_SERVER and self.host.offline:
            return None  # shown dimmed: the offline copy cannot do it
        if action in ("export_csv", "copy_tsv"):
            return self._list_table() is not None
        if action == "leave_field":  # else Esc goes on to whoever else wants it
            return isinstance(self.focused, Input)
        return True

    def action_export_csv(self) -> None:
        """Write the list in front of the user to a CSV file in the downloads directory."""
        if self.policy_takes("export_csv"):
            return
        table = self._list_table()
        if table is None:
            return
        headers, rows = table_content(table)
        folder = self.host.downloads_dir
        try:
            path = write_csv(folder, self.TAB_ID or "lista", headers, rows)
        except OSError as error:
            self.notify(str(error), title=_("Nie zapisano pliku"), severity="error", markup=False)
            return
        self.notify(str(path), title=_("Zapisano CSV"), markup=False)

    def action_copy_tsv(self) -> None:
        """Copy the list in front of the user as tab-separated text."""
        if self.policy_takes("copy_tsv"):
            return
        table = self._list_table()
        if table is None:
            return
        from ...widgets.export import tsv_text

        headers, rows = table_content(table)
        self.app.copy_to_clipboard(tsv_text(headers, rows))
        self.notify(n_("Skopiowano {count} wiersz.", "Skopiowano {count} wierszy.", len(rows)))

    def call(
        self,
        request: Callable[[], Awaitable[T]],
        done: Callable[[T], Any],
        *,
        group: str = "load",
        on_error: Callable[[BaseException], bool] | None = None,
    ) -> Worker[None]:
        """Run `request()` in an exclusive worker of `group`; pass its result to `done`
        (awaited when it is a coroutine function, e.g. one that mounts widgets).

        `on_error` may handle a failure itself (return True); otherwise the app shows it,
        with Retry. A failure of `done` is shown the same way (`run_guarded`).
        """

        async def job() -> None:
            shown = done(await request())
            if inspect.isawaitable(shown):
                await shown

        def failed(error: BaseException) -> bool:
            """A tab made ahead of the user (tabs.py) and not shown yet says nothing of a
            failure: it loads again when shown, and says it then."""
            if self.made_ahead and not (self.is_attached and self.is_current):
                self._loaded = False
                return True
            return on_error is not None and on_error(error)

        return run_guarded(
            self,
            job,
            group=group,
            on_error=failed,
            retry=lambda: self.call(request, done, group=group, on_error=on_error),
        )


class BlankScreen(Screen[None]):
    """An empty screen: in front while another is made again, or after a kiosk's wipe."""

    def compose(self) -> ComposeResult:
        yield Static("")
