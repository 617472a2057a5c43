"""The clerk's dialogs: a reason (reject, block, unblock), a reply to a request, a notice."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ...domain.models import NoticeDraft, NoticeKind, RequestStatus, ServiceRequest
from ...i18n import _, day, label
from ...widgets.forms import parse_day
from ...widgets.reading_format import REQUEST_CATEGORY, REQUEST_STATUS, route_cell
from ..forms.dialogs import Dialog
from ..forms.reason_dialog import FORM_CSS, ReasonDialog

__all__ = ["FORM_CSS", "NoticeDialog", "ReasonDialog", "ReplyDialog"]

REPLY_STATUSES = (
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING_FOR_CUSTOMER,
    RequestStatus.ANSWERED,
    RequestStatus.CLOSED,
    RequestStatus.REJECTED,
)


class ReplyDialog(Dialog):
    """A reply to a request and its new status; dismisses with (text, status), or None."""

    # the request's text scrolls in a part of the dialog's height of its own, so that the
    # status, the reply box and the buttons stay in view however long the request is
    DEFAULT_CSS = FORM_CSS + (
        "#reply-dialog #reply-body-scroll { height: auto; max-height: 35vh; }"
        " .-short #reply-dialog #reply-body-scroll { max-height: 30vh; }"
        " #reply-dialog #reply-body-scroll { border-left: blank; border-right: blank; }"
        " #reply-dialog #reply-body-scroll:focus { border-left: outer $accent;"
        " border-right: outer $accent; }"
    )

    def __init__(self, request: ServiceRequest, status: RequestStatus | None = None) -> None:
        super().__init__()
        self.request = request
        self.status = status or RequestStatus.ANSWERED

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical(classes="dialog", id="reply-dialog"):
            yield Label(
                Text(
                    _(
                        "Zgłoszenie {number}: {subject}",
                        number=request.number,
                        subject=request.subject,
                    )
                ),
                classes="title",
            )
            about = Text(
                f"{request.customer_number} · {REQUEST_CATEGORY[request.category]} · "
                + _("termin {date}", date=day(request.due_date))
            )
            if request.route is not None:  # where it went; in full under the queue's list
                about.append(" · " + _("przekazano: "))
                about.append_text(route_cell(request.route))
            yield Static(about, classes="muted", id="reply-about")
            with VerticalScroll(id="reply-body-scroll"):
                yield Static(Text(request.body), id="reply-body")
            yield Label(_("Nowy status"))
            yield Select(
                [(REQUEST_STATUS[s], s.value) for s in REPLY_STATUSES],
                value=self.status.value,
                allow_blank=False,
                id="reply-status",
                compact=True,
            )
            yield Label(_("Odpowiedź dla klienta (w iBOK; e-mailem, jeśli się zgodził)"))
            yield TextArea(id="reply-text")
            yield Static(id="reply-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Wyślij (ctrl+s)"), id="send", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#reply-text", TextArea).focus()

    def action_send(self) -> None:
        text = self.query_one("#reply-text", TextArea).text.strip()
        if not text:
            self.query_one("#reply-error", Static).update(_("Wpisz treść odpowiedzi."))
            return
        status = RequestStatus(str(self.query_one("#reply-status", Select).value))
        self.finish((text, status))

    def draft_key(self) -> str | None:
        return f"reply:{self.request.id}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "send":
            self.action_send()
        else:
            self.leave()


class NoticeDialog(Dialog):
    """A notice for every customer (a failure, planned works, information)."""

    AUTO_FOCUS = "#notice-title"

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="notice-dialog"):
            yield Label(_("Nowy komunikat"), classes="title")
            yield Select(
                [(label(k), k.value) for k in NoticeKind],
                value=NoticeKind.FAILURE.value,
                allow_blank=False,
                id="notice-kind",
                compact=True,
            )
            yield Label(_("Tytuł"))
            yield Input(id="notice-title", compact=True)
            yield Label(_("Treść"))
            yield TextArea(id="notice-body")
            with Horizontal(id="notice-dates"):
                yield Label(_("Od "))
                yield Input(day(self.today), id="notice-from", compact=True)
                yield Label(_(" do "))
                yield Input(id="notice-to", placeholder=_("dd.mm.rrrr"), compact=True)
            yield Label(_("Obszar (ulice, miejscowość)"))
            yield Input(id="notice-area", compact=True)
            yield Static(id="notice-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Opublikuj (ctrl+s)"), id="publish", variant="primary")

    DEFAULT_CSS = (
        FORM_CSS
        + "#notice-dates { height: 1; } #notice-dates Input { width: 14; }"
        + "#notice-dialog TextArea { height: 4; }"
    )

    def action_publish(self) -> None:
        error = self.query_one("#notice-error", Static)
        try:
            valid_from = parse_day(self.query_one("#notice-from", Input).value) or self.today
            valid_to = parse_day(self.query_one("#notice-to", Input).value)
        except ValueError:
            error.update(_("Podaj daty w postaci dd.mm.rrrr."))
            return
        draft = NoticeDraft(
            kind=NoticeKind(str(self.query_one("#notice-kind", Select).value)),
            title=self.query_one("#notice-title", Input).value.strip(),
            body=self.query_one("#notice-body", TextArea).text.strip(),
            valid_from=valid_from,
            valid_to=valid_to,
            area=self.query_one("#notice-area", Input).value.strip(),
        )
        if not draft.title or not draft.body:
            error.update(_("Podaj tytuł i treść komunikatu."))
            return
        self.finish(draft)

    def draft_key(self) -> str | None:
        return "notice"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "publish":
            self.action_publish()
        else:
            self.leave()
