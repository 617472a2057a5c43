"""A new request (zgłoszenie): category, subject, body and an optional meter.

Opened from Zgłoszenia (`n`) and Wodomierze (garden meter actions)::

    app.push_screen(RequestForm(category=RequestCategory.COMPLAINT), callback)

`callback` gets the created `ServiceRequest`, or None when cancelled. Validation
errors are shown beside their fields and what was typed stays. One idempotency key is
made for the first attempt and reused on retries, so a request is never filed twice.

A request that could not be sent also waits in the outbox (backends/outbox.py) with that
key, sent when the server answers again; one the server refused at sending time opens here
again with its values and the refusal beside its fields:
`RequestForm(draft=draft, problem=error, replaces=item_id)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ...backends.base import (
    AuthenticationRequired,
    Backend,
    Conflict,
    IbokError,
    Unavailable,
    ValidationFailed,
)
from ...domain.deadlines import DEFAULT_DEADLINES
from ...domain.models import Meter, RequestCategory, RequestDraft
from ...host import host_of
from ...i18n import N_, Messages, n_
from ...i18n.problems import error_text, field_text
from ...widgets.reading_format import REQUEST_CATEGORY
from .dialogs import Dialog
from .outbox_queue import delivered, keep_unsent
from .workers import report_failure, run_guarded

TEXT: Messages[str] = Messages(
    {
        "title": N_("Nowe zgłoszenie"),
        "category": N_("Rodzaj sprawy"),
        "subject": N_("Temat"),
        "body": N_("Treść"),
        "meter": N_("Wodomierz (opcjonalnie)"),
        "no_meter": N_("bez wodomierza"),
        "send": N_("Wyślij zgłoszenie"),
        "retry": N_("Ponów wysyłkę"),
        "cancel": N_("Anuluj"),
        "sending": N_("Wysyłanie…"),
        "complaint": N_("Reklamację rozpatrujemy w ciągu 14 dni od jej złożenia."),
        "unavailable": N_(
            "Nie można połączyć się z iBOK. Treść została zachowana: spróbuj ponownie "
            "(zgłoszenie nie zostanie wysłane dwa razy)."
        ),
        "queued": N_(
            "Nie można połączyć się z iBOK. Zgłoszenie czeka w kolejce do wysłania (Ctrl+O) "
            "i zostanie wysłane, gdy iBOK odpowie, także po zamknięciu programu. Możesz też "
            "ponowić teraz: zgłoszenie nie zostanie wysłane dwa razy."
        ),
    },
)
FIELDS = ("category", "subject", "body", "meter_id")


class RequestForm(Dialog):
    """Dismisses with the created `ServiceRequest`, or None."""

    DEFAULT_CSS = """
    RequestForm > #request-dialog { width: 84; padding: 0 2; }
    RequestForm #request-title { margin-bottom: 0; }
    RequestForm TextArea { height: 7; }
    RequestForm .field-error { color: $error; height: auto; display: none; }
    RequestForm .field-error.shown { display: block; }
    RequestForm #deadline { color: $text-muted; }
    RequestForm #request-problem { color: $error; height: auto; }
    RequestForm #request-buttons { margin-top: 0; }
    """

    def __init__(
        self,
        *,
        category: RequestCategory = RequestCategory.FAILURE,
        meter_id: str | None = None,
        subject: str = "",
        backend: Backend | None = None,
        draft: RequestDraft | None = None,
        problem: IbokError | None = None,
        replaces: str | None = None,
    ) -> None:
        super().__init__(id="request-form")
        self._backend = backend
        self._category = draft.category if draft else category
        self._meter_id = draft.meter_id if draft else meter_id
        # what the form was opened for (its draft's name): a meter's replacement and its
        # removal are two drafts, not one restored over the other's category
        self._opened_for = f"{meter_id}:{category.value}" if meter_id else None
        self._subject = draft.subject if draft else subject
        self._body = draft.body if draft else ""
        self._refusal = problem  # why the server refused the outbox item `replaces`
        self._replaces = replaces
        self._idempotency_key: str | None = None
        self._busy = False

    @property
    def backend(self) -> Backend:
        return self._backend or host_of(self).backend

    @property
    def idempotency_key(self) -> str | None:
        return self._idempotency_key

    def compose(self) -> ComposeResult:
        with Vertical(id="request-dialog", classes="dialog"):
            yield Label(TEXT["title"], id="request-title", classes="title")
            yield Label(TEXT["category"])
            yield Select[RequestCategory](
                [(label, category) for category, label in REQUEST_CATEGORY.items()],
                value=self._category,
                allow_blank=False,
                id="category",
            )
            yield Static(id="deadline")
            yield Static(classes="field-error", id="error-category")
            yield Label(TEXT["subject"])
            yield Input(self._subject, id="subject")
            yield Static(classes="field-error", id="error-subject")
            yield Label(TEXT["body"])
            yield TextArea(self._body, id="body")
            yield Static(classes="field-error", id="error-body")
            yield Label(TEXT["meter"])
            yield Select[str]([], prompt=TEXT["no_meter"], id="meter")
            yield Static(classes="field-error", id="error-meter_id")
            yield Static(id="request-problem")
            with Horizontal(id="request-buttons", classes="buttons"):
                yield Button(TEXT["cancel"], id="cancel")
                yield Button(TEXT["send"], id="send", variant="primary")

    def on_mount(self) -> None:
        self._show_deadline(self._category)
        self.query_one("#subject", Input).focus()
        if self._refusal is not None:
            self._show_refusal(self._refusal)
        run_guarded(self, self._load_meters, group="request-form-meters", on_error=self._not_loaded)

    def _not_loaded(self, error: BaseException) -> bool:
        """The meters did not come: the form still works without one; say why."""
        self._problem(error_text(error))
        return not isinstance(error, AuthenticationRequired)  # that one: the app asks too

    async def _load_meters(self) -> None:
        meters: list[Meter] = await self.backend.meters()
        select = self.query_one("#meter", Select)
        select.set_options([(f"{m.serial}, {m.location}", m.id) for m in meters])
        if self._meter_id and any(m.id == self._meter_id for m in meters):
            select.value = self._meter_id

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "category" and isinstance(event.value, RequestCategory):
            self._show_deadline(event.value)

    def _show_deadline(self, category: RequestCategory) -> None:
        text = (
            TEXT["complaint"]
            if category is RequestCategory.COMPLAINT
            else n_(
                "Odpowiemy w ciągu {count} dnia od złożenia.",
                "Odpowiemy w ciągu {count} dni od złożenia.",
                DEFAULT_DEADLINES[category],
            )
        )
        self.query_one("#deadline", Static).update(text)

    def draft(self) -> RequestDraft:
        category = self.query_one("#category", Select).value
        meter = self.query_one("#meter", Select).value
        return RequestDraft(
            category=cast(RequestCategory, category),
            subject=self.query_one("#subject", Input).value,
            body=self.query_one("#body", TextArea).text,
            meter_id=meter if isinstance(meter, str) else None,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.action_send()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self._busy:
            self.leave()

    def action_dismiss_dialog(self) -> None:
        self.action_cancel()

    def draft_key(self) -> str | None:
        """One draft of a new request, and one per meter and kind a request is about (an
        outbox item reopened is kept by the outbox)."""
        if self._replaces is not None:
            return None
        return "request" + (f":{self._opened_for}" if self._opened_for else "")

    def draft_backend(self) -> Backend:
        return self.backend

    def draft_restored(self, values: Mapping[str, object]) -> None:
        meter = values.get("meter")
        if isinstance(meter, str):
            self._meter_id = meter  # chosen once the meters come

    def action_send(self) -> None:
        if self._busy:
            return
        if self._idempotency_key is None:
            self._idempotency_key = uuid.uuid4().hex
        self._busy = True
        self.query_one("#send", Button).disabled = True
        self._problem(TEXT["sending"])
        draft = self.draft()
        run_guarded(self, lambda: self._send(draft), group="request-form-send")

    async def _send(self, draft: RequestDraft) -> None:
        for field in FIELDS:
            self._field_error(field, "")
        try:
            created = await self.backend.create_request(
                draft, idempotency_key=self._idempotency_key
            )
        except Exception as error:  # shown in the form; what was typed stays
            kept = None
            if isinstance(error, Unavailable):
                kept = await keep_unsent(
                    self, self.backend, draft, key=self._idempotency_key, replaces=self._replaces
                )
            self._busy = False
            self.query_one("#send", Button).disabled = False
            self._show_refusal(error)
            if kept is not None:
                self._replaces = None  # the outbox holds this form's request now
                self._problem(TEXT["queued"])
            if isinstance(error, IbokError) and error.status == 401:
                report_failure(self, error, self.action_send)
            return
        await delivered(self, self.backend, key=self._idempotency_key, replaces=self._replaces)
        self.dismiss(created)

    def _show_refusal(self, error: BaseException) -> None:
        """Why the request was not filed, beside its fields when it names them."""
        send = self.query_one("#send", Button)
        if isinstance(error, ValidationFailed):
            self._problem("")
            for item in error.errors:
                if item.field in FIELDS:
                    self._field_error(item.field, field_text(item))
                else:
                    self._problem(field_text(item))
            named = [f for f in FIELDS if any(item.field == f for item in error.errors)]
            if named:  # the first refused field, in the form's order, focused and in view
                field = named[0]
                widget = self.query_one(f"#{'meter' if field == 'meter_id' else field}")
                self.reveal_error(widget, self.query_one(f"#error-{field}"))
        elif isinstance(error, Unavailable):
            self._problem(TEXT["unavailable"])
            send.label = TEXT["retry"]
        elif isinstance(error, Conflict):  # the same again would be refused the same way
            self._problem(error_text(error))
        else:
            self._problem(error_text(error))
            send.label = TEXT["retry"]

    def _field_error(self, field: str, message: str) -> None:
        box = self.query_one(f"#error-{field}", Static)
        box.update(Text(message))
        box.set_class(bool(message), "shown")

    def _problem(self, message: str) -> None:
        self.query_one("#request-problem", Static).update(Text(message))
