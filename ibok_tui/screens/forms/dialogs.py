"""Small modal dialogs: an error with details, a confirmation, a text to read, a choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.errors import IbokError, ValidationFailed
from ...i18n import _
from ...i18n.problems import error_text, field_text, unexpected_text
from ...widgets.dialog_frame import DIALOG_BREAKPOINTS, frame_css
from ...widgets.literal import literal
from .base import translate_bindings
from .workers import ShowsWorkerFailures


class Dialog(ShowsWorkerFailures, ModalScreen[Any]):
    """A modal dialog in the shared frame (widgets/dialog_frame.py): compose a `.dialog`
    container with a `.title` and a `.buttons` row, and the buttons stay on screen while
    the rest scrolls."""

    DEFAULT_CSS = frame_css("Dialog")
    VERTICAL_BREAKPOINTS = DIALOG_BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_dialog", "Zamknij", id="dialog.close")
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(None)

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

    def __init__(self, title: str, message: str, confirm: str, *, danger: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm = confirm
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            yield Static(literal(self.message))
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(
                    self.confirm, id="confirm", variant="error" if self.danger else "primary"
                )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")


class PasswordConfirmDialog(ConfirmDialog):
    """A confirmation that needs the password (block access, terminate); dismisses with it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="title")
            yield Static(literal(self.message))
            yield Label(_("Hasło"))
            yield Input(password=True, id="confirm-password", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(
                    self.confirm, id="confirm", variant="error" if self.danger else "primary"
                )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        event.prevent_default()  # not ConfirmDialog's handler as well
        if event.button.id == "confirm":
            self.dismiss(self.query_one("#confirm-password", Input).value)
        else:
            self.dismiss(None)


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
