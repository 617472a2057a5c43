"""Small modal dialogs: an error with details, a confirmation, a text to read, a choice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Self

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.errors import AuthenticationRequired, IbokError, ValidationFailed
from ...host import host_of
from ...i18n import N_, _
from ...i18n.problems import error_text, field_text, fields_text, unexpected_text
from ...widgets.bindings import translate_bindings
from ...widgets.dialog_frame import DIALOG_BREAKPOINTS, frame_css
from ...widgets.forms import (
    FOCUS_CSS,
    field_values,
    restore_fields,
    sends_on_enter,
    shown,
    typed_differs,
    typed_values,
)
from ...widgets.literal import literal
from .workers import ShowsWorkerFailures, run_guarded

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete
    from textual.widget import Widget

    from ...backends.base import Backend
    from ...host import Drafts

SENDING_VARIANTS = ("primary", "error", "success", "warning")
DRAFT_TEXT = {
    "question": N_("Formularz zawiera wpisane dane. Co z nimi zrobić?"),
    "keep": N_("Zachowaj jako szkic (do wylogowania)"),
    "discard": N_("Odrzuć wpisane dane"),
    "back": N_("Wróć do formularza"),
}
SEND_KEYS = Binding.Group()
"""Enter and ctrl+s, the two keys that send a dialog: one entry of its key bar."""


class Dialog(ShowsWorkerFailures, ModalScreen[Any]):
    """The base of every dialog: its frame, its keys, its focus, its drafts, its refusals.

    - Frame (widgets/dialog_frame.py): compose a `.dialog` container with a `.title` and a
      `.buttons` row, and the buttons stay on screen while the rest scrolls.
    - Keys (shown in the dialog's key bar): `ctrl+s` sends from anywhere, Enter sends from
      a one-line field or a tick box (widgets/forms.py's `sends_on_enter`), Esc leaves.
      Sending presses the dialog's default button (the last shown, enabled button of a
      primary, error, success or warning variant); override `action_submit` otherwise.
      Enter is caught before the focused field sees it: keys typed after it, while the
      dialog closes, reach the screen below and never this dialog's fields.
    - Leaving (Esc, or a cancel button calling `leave()`) a form with something typed asks
      to keep it as a draft, discard it or go back; `draft_key()` names the drafts the
      session keeps (in memory, wiped at logout), restored when the form opens again.
    - `send_with(call)`: the dialog sends its result itself and closes only once `call`
      succeeded; a refusal is shown in the dialog (`show_refusal`) with nothing lost.
    """

    DEFAULT_CSS = frame_css("Dialog") + FOCUS_CSS
    VERTICAL_BREAKPOINTS = DIALOG_BREAKPOINTS
    SENDS: ClassVar[bool] = True  # False: a dialog to read, whose buttons only lead on
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_dialog", "Zamknij", id="dialog.close"),
        # one entry in the key bar, "⏎/^s Wyślij" (⏎ only where Enter sends: a field)
        Binding(
            "enter", "submit_field", "Wyślij", id="dialog.enter", priority=True, group=SEND_KEYS
        ),
        Binding("ctrl+s", "submit", "Wyślij", id="dialog.send", priority=True, group=SEND_KEYS),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self._leaving = False
        self._in_flight = False
        self._sender: Callable[[Any], Awaitable[Any]] | None = None
        self._entered: dict[str, object] = {}
        self._refocus: Widget | None = None

    # --- focus ---------------------------------------------------------------------------
    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """Focus a widget and scroll the dialog only as far as needed to show it.

        Textual centres a newly focused widget that it cannot see whole, and before the
        dialog's first layout it sees nothing: at 80×24 a dialog opened scrolled by a row
        or two, its first label under the docked title. Here the scroll waits for the
        layout and is the least that shows the widget; one taller than the dialog's view
        whose top is in view (a text to read) moves nothing."""
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
        if scroll_visible and widget is not None and self.focused is widget:
            self.call_after_refresh(self._show_focused, widget)

    def _show_focused(self, widget: Widget) -> None:
        if self.focused is not widget or not widget.is_attached:
            return
        if not _top_of_tall_in_view(widget):
            widget.scroll_visible(animate=False)

    # --- keys ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        from ...widgets.key_bar import KeyBar

        self.mount(KeyBar())
        key = self.draft_key()
        kept = self._drafts.get(self.draft_owner(), key) if key else None
        if kept:
            restore_fields(self, kept)
            self.draft_restored(kept)
        self._entered = typed_values(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._leaving:
            return False
        if action == "submit_field":  # as ctrl+s does, where Enter sends
            return (
                self.check_action("submit", parameters) if sends_on_enter(self.focused) else False
            )
        if action == "submit":
            button = self.default_button(enabled=False)
            if button is None:
                return False
            return None if button.disabled or self._in_flight else True
        return True

    def default_button(self, *, enabled: bool = True) -> Button | None:
        """The button that sends the dialog: the last shown one of a sending variant (a
        close button does not send)."""
        found = None
        if not self.SENDS:
            return None
        for button in self.query(Button):
            if button.id in ("close", "cancel"):
                continue
            sends = button.variant in SENDING_VARIANTS and shown(button, self)
            if sends and (not enabled or not button.disabled):
                found = button
        return found

    def action_submit(self) -> None:
        """Press the default button. Until the dialog has handled the press, no field has
        the focus: keys typed meanwhile (the dialog may be closing) reach no field."""
        button = self.default_button()
        if button is None:
            return
        self._refocus = self.focused
        self.set_focus(None)
        button.press()

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        """After the dialog's own handler: a dialog that stays open gets its focus back
        (unless the handler put it somewhere itself)."""
        refocus, self._refocus = self._refocus, None
        stays = refocus is not None and refocus.is_attached and not self._leaving
        if stays and self.focused is None:
            self.set_focus(refocus)

    def action_submit_field(self) -> None:
        self.action_submit()

    def action_dismiss_dialog(self) -> None:
        self.leave()

    def dismiss(self, result: Any = None) -> AwaitComplete:
        """Close (once): focus leaves the fields, a sent form's draft goes."""
        self._leaving = True
        self.set_focus(None)
        key = self.draft_key()
        if result is not None and result is not False and key:
            self._drafts.drop(self.draft_owner(), key)
        return super().dismiss(result)

    # --- drafts --------------------------------------------------------------------------
    @property
    def _drafts(self) -> Drafts:
        return host_of(self).drafts

    def draft_key(self) -> str | None:
        """The name under which the session keeps this form's draft (None: none kept)."""
        return None

    def draft_backend(self) -> Backend:
        """The backend the form sends to (a clerk's desk: the customer's)."""
        return host_of(self).backend

    def draft_owner(self) -> str:
        """Whose draft it is: the signed-in subject of the form's backend."""
        session = self.draft_backend().session
        return session.subject if session is not None else ""

    def draft_restored(self, values: Mapping[str, object]) -> None:
        """A kept draft was put back into the fields; a form whose choices load later
        takes what it needs of `values` here."""

    def entered(self) -> bool:
        """Whether something was typed or ticked since the dialog opened."""
        return typed_differs(self._entered, typed_values(self))

    def leave(self, result: Any = None) -> None:
        """Close without sending: asks first when something was typed."""
        if self._leaving:
            return
        if self._in_flight or not self.entered():
            if not self._in_flight:
                self.dismiss(result)
            return
        key = self.draft_key()
        values = field_values(self)
        options = [("keep", _(DRAFT_TEXT["keep"]))] if key else []
        options += [("discard", _(DRAFT_TEXT["discard"])), ("back", _(DRAFT_TEXT["back"]))]

        def chosen(choice: str | None) -> None:
            if choice not in ("keep", "discard") or self._leaving:
                return
            if key:
                if choice == "keep":
                    self._drafts.keep(self.draft_owner(), key, values)
                else:
                    self._drafts.drop(self.draft_owner(), key)
            self._leaving = True  # not `dismiss`: that would drop the draft just kept
            self.set_focus(None)
            ModalScreen.dismiss(self, result)

        self.app.push_screen(ChoiceDialog(_(DRAFT_TEXT["question"]), options), chosen)

    # --- sending -------------------------------------------------------------------------
    def send_with(self, call: Callable[[Any], Awaitable[Any]]) -> Self:
        """The dialog sends its result with `call` and closes with what `call` returned
        (or the result, when that is None) only once it succeeded."""
        self._sender = call
        return self

    def finish(self, value: Any) -> None:
        """The form is complete: send it (`send_with`) or close with it."""
        send = self._sender
        if send is None:
            self.dismiss(value)
            return
        if self._in_flight or self._leaving:
            return
        self._in_flight = True
        self.refresh_bindings()

        async def job() -> None:
            answer = await send(value)
            self._in_flight = False
            self.dismiss(value if answer is None else answer)

        def refused(error: BaseException) -> bool:
            self._in_flight = False
            self.refresh_bindings()
            if isinstance(error, IbokError) and not isinstance(error, AuthenticationRequired):
                self.show_refusal(error)
                return True
            return False  # the app's error dialog (a new sign-in); this one stays

        run_guarded(self, job, group="dialog-send", on_error=refused)

    def show_refusal(self, error: IbokError) -> None:
        """Why the server refused: in the dialog's first `.error` box, the field it names
        focused; what was entered stays."""
        text = fields_text(error.errors) if isinstance(error, ValidationFailed) else None
        boxes = self.query(".error")
        if boxes:
            box = boxes.first(Static)
            box.update(Text(text or error_text(error)))
            box.display = True
        else:
            self.notify(text or error_text(error), severity="error", markup=False)
        if isinstance(error, ValidationFailed):
            for item in error.errors:
                fields = self.query(f"#{item.field}") or self.query(f"#confirm-{item.field}")
                if fields and fields.first().focusable:
                    fields.first().focus()
                    break

    def reveal_error(self, field: Widget | None, message: Widget) -> None:
        """A refused form: focus the field of its first error and scroll the dialog so
        that the field and the message under it are in view (at 80×24 they may be far
        below the dialog's fold)."""
        if field is not None and field.focusable:
            field.focus(scroll_visible=False)
        target = field if field is not None else message

        def show() -> None:
            target.scroll_visible(animate=False)
            message.scroll_visible(animate=False)

        self.call_after_refresh(show)


def _top_of_tall_in_view(widget: Widget) -> bool:
    """The widget is taller than the view of the dialog frame that scrolls it, and its top
    row is in that view (below the frame's docked title, above its buttons)."""
    child: Any = widget
    while child.parent is not None and not child.parent.has_class("dialog"):
        child = child.parent
    frame = child.parent
    if frame is None or not isinstance(frame, Widget):
        return False
    window = frame.scrollable_content_region.shrink(child.dock_gutter)
    region = widget.region
    return region.height > window.height and window.y <= region.y < window.bottom


def describe(error: BaseException) -> tuple[str, str]:
    """A title and a message for people, in the current language where we know the error."""
    if isinstance(error, IbokError):
        titles = {
            "unavailable": _("Serwer niedostępny"),
            "forbidden": _("Brak dostępu"),
            "not_found": _("Nie znaleziono"),
            "conflict": _("Operacja niemożliwa"),
            "rate_limited": _("Zbyt wiele prób"),
            "bad_answer": _("Nieoczekiwana odpowiedź serwera"),
        }
        if isinstance(error, ValidationFailed):
            title = _("Popraw dane")
        elif error.code.startswith("bad_answer"):  # the HTTP client's bad_answer_… codes
            title = titles["bad_answer"]
        else:
            title = titles.get(error.code) or titles.get(error.kind, _("Błąd"))
        return title, error_text(error)
    if isinstance(error, TimeoutError | ConnectionError):
        return _("Serwer niedostępny"), unexpected_text(error)
    return _("Nieoczekiwany błąd"), unexpected_text(error)


def _details(error: BaseException) -> str:
    """An unexpected error's type and the start of its text, for a report."""
    text = str(error)
    text = text if len(text) <= 300 else text[:299] + "…"
    return f"{type(error).__module__}.{type(error).__qualname__}: {text}"


class ErrorDialog(Dialog):
    """A failure: what happened, its details, and Retry when the action can be repeated."""

    def __init__(self, error: BaseException, retry: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.error = error
        self.retry = retry

    def compose(self) -> ComposeResult:
        title, message = describe(self.error)
        with Vertical(classes="dialog", id="error-dialog"):
            yield Label(literal(title), classes="title")
            yield Static(literal(message), id="error-message")
            with Collapsible(title=_("Szczegóły"), collapsed=True):
                code = getattr(self.error, "code", "")
                details = f"{type(self.error).__name__} ({code})" if code else _details(self.error)
                if isinstance(self.error, ValidationFailed):
                    details += "\n" + "\n".join(
                        f"{e.field}: {field_text(e)}" for e in self.error.errors
                    )
                yield Static(literal(details), id="error-details")
            with Horizontal(classes="buttons"):
                if self.retry is not None:
                    yield Button(_("Ponów"), id="retry", variant="primary")
                yield Button(_("Zamknij"), id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
        if event.button.id == "retry" and self.retry is not None:
            self.retry()


class ConfirmDialog(Dialog):
    """A yes/no question; `dismiss(True)` when confirmed."""

    def __init__(
        self,
        title: str,
        message: str,
        confirm: str,
        *,
        danger: bool = False,
        cancel: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm = confirm
        self.danger = danger
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            yield Static(literal(self.message))
            with Horizontal(classes="buttons"):
                yield Button(self.cancel or _("Anuluj"), id="cancel")
                yield Button(
                    self.confirm, id="confirm", variant="error" if self.danger else "primary"
                )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.answer(event.button.id == "confirm")

    def answer(self, confirmed: bool) -> None:
        self.dismiss(confirmed)


class PasswordConfirmDialog(ConfirmDialog):
    """A confirmation that needs the password (block access, terminate); dismisses with it,
    or, with `send_with(call)`, with what `call(password)` returned once the server took
    it (a wrong password is said beside the field and the dialog stays)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            yield Static(literal(self.message))
            yield Label(_("Hasło"))
            yield Input(password=True, id="confirm-password", compact=True)
            yield Static(id="confirm-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.cancel or _("Anuluj"), id="cancel")
                yield Button(
                    self.confirm, id="confirm", variant="error" if self.danger else "primary"
                )

    def answer(self, confirmed: bool) -> None:
        if confirmed:
            password = self.query_one("#confirm-password", Input).value
            if not password:
                self.query_one("#confirm-error", Static).update(_("Podaj hasło."))
                self.query_one("#confirm-password", Input).focus()
                return
            self.finish(password)
        else:
            self.leave()


class TextDialog(Dialog):
    """Text to read (terms, a notice, a help page, a table of facts); text shown literally."""

    def __init__(self, title: str, body: str | Text | RenderableType) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            with VerticalScroll():
                body = self.body
                yield Static(literal(body) if isinstance(body, str | Text) else body)
            with Horizontal(classes="buttons"):
                yield Button(_("Zamknij"), id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class ChoiceDialog(Dialog):
    """Pick one of several options; dismisses with the chosen option's id."""

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            yield OptionList(
                *[Option(literal(text), id=key) for key, text in self.options], id="choices"
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
