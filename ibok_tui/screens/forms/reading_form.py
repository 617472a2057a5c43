"""The reading submission dialog: choose the meter, type the index, confirm if asked.

Reusable from anywhere. The shell (Pulpit, the command palette) opens it with::

    from ibok_tui.screens.forms.reading_form import ReadingForm

    app.push_screen(ReadingForm(meter_id=None), callback)

`callback` receives the accepted `Reading` (status PENDING: waiting for import) or None
when the dialog was cancelled. `ReadingForm(editing=reading)` corrects a pending
reading instead. A clerk acting for a customer passes that customer's backend:
`ReadingForm(backend=customer_backend)`.

The rules are checked as the index is typed (`check_reading` against the meter's
readings) and again by the backend. Questions (a lower index: meter change or roll-over;
an implausible jump) become check boxes; a refusal (a second reading in the period) says
from when the next one is possible. When the backend is unreachable or the session
expired, what was typed stays and the button turns into a retry. One idempotency key is
made for the first attempt and reused on every retry, so a retry never submits twice.

A new reading that could not be sent also waits in the outbox (backends/outbox.py) with
that key, sent when the server answers again, even after the console is quit; the form's own
retry and the outbox's never both arrive. An item the server refused at sending time opens
here again with its values and the refusal shown as the form shows it:
`ReadingForm(draft=submission, problem=error, replaces=item_id)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...backends.base import (
    AuthenticationRequired,
    Backend,
    Conflict,
    IbokError,
    NeedsConfirmation,
    Unavailable,
    ValidationFailed,
)
from ...domain.errors import FieldError
from ...domain.models import Meter, MeterStatus, Reading, ReadingStatus, ReadingSubmission
from ...domain.readings import ReadingInputError, check_reading, parse_index
from ...host import host_of
from ...i18n import N_, Messages
from ...i18n.problems import error_text, field_text, render, unexpected_text
from ...widgets.reading_format import (
    READING_TYPE,
    day,
    editable_index,
    m3,
)
from .dialogs import Dialog
from .outbox_queue import delivered, keep_unsent
from .workers import report_failure, run_guarded

TEXT: Messages[str] = Messages(
    {
        "title_new": N_("Podaj odczyt wodomierza"),
        "title_edit": N_("Popraw odczyt oczekujący na import"),
        "meter": N_("Wodomierz"),
        "index": N_("Stan licznika (m³, np. 1 234,567)"),
        "last": N_("Ostatni odczyt: {date}, {index} m³ ({type})"),
        "no_last": N_("Brak wcześniejszych odczytów tego wodomierza."),
        "consumption": N_("Zużycie od ostatniego odczytu: {used} m³."),
        "confirm_change": N_("Wodomierz wymieniono albo licznik się przekręcił"),
        "confirm_jump": N_("Potwierdzam: zużycie jest prawidłowe"),
        "submit": N_("Wyślij odczyt"),
        "save": N_("Zapisz zmianę"),
        "retry": N_("Ponów wysyłkę"),
        "cancel": N_("Anuluj"),
        "loading": N_("Wczytywanie…"),
        "sending": N_("Wysyłanie…"),
        "unavailable": N_(
            "Nie można połączyć się z iBOK. Wpisany stan został zachowany: "
            "spróbuj ponownie (odczyt nie zostanie wysłany dwa razy)."
        ),
        "queued": N_(
            "Nie można połączyć się z iBOK. Odczyt czeka w kolejce do wysłania (Ctrl+O) i "
            "zostanie wysłany, gdy iBOK odpowie, także po zamknięciu programu. Możesz też "
            "ponowić teraz: odczyt nie zostanie wysłany dwa razy."
        ),
        "expired": N_(
            "Sesja wygasła. Zaloguj się ponownie i ponów wysyłkę: wpisany stan został zachowany."
        ),
        "confirm_needed": N_("Zaznacz potwierdzenie pod polem wskazania i wyślij ponownie."),
        "next_possible": N_("Kolejny odczyt można podać od {date}."),
        "no_meters": N_("Brak czynnych wodomierzy, dla których można podać odczyt."),
        "placeholder": N_("0,000"),
    },
)


CONFIRM_CODES = {"lower_than_previous": "confirm-change", "implausible_jump": "confirm-jump"}


class ReadingForm(Dialog):
    """Submit (or correct) one meter reading; dismissed with the stored reading or None."""

    DEFAULT_CSS = """
    ReadingForm > #reading-dialog { width: 76; }
    ReadingForm .hint { color: $text-muted; }
    ReadingForm #verdict { height: auto; margin: 1 0 0 0; }
    ReadingForm #problem { height: auto; color: $error; }
    ReadingForm Checkbox { display: none; }
    ReadingForm Checkbox.asked { display: block; }
    """

    def __init__(
        self,
        *,
        meter_id: str | None = None,
        editing: Reading | None = None,
        backend: Backend | None = None,
        draft: ReadingSubmission | None = None,
        problem: IbokError | None = None,
        replaces: str | None = None,
    ) -> None:
        super().__init__(id="reading-form")
        self._backend = backend
        self._meter_id = editing.meter_id if editing else draft.meter_id if draft else meter_id
        self._opened_for = meter_id  # the form opened for this meter (its draft's name)
        self._editing = editing
        self._draft = draft  # the values of an outbox item the server refused
        self._problem = problem  # and why, shown as the form shows its own refusals
        self._replaces = replaces  # that item's id: it goes once this form's reading does
        self._meters: list[Meter] = []
        self._history: dict[str, list[Reading]] = {}
        self._today: date | None = None
        self._billing_months = 1
        self._asked: dict[str, str] = {}  # confirmation code -> the value typed when asked
        if draft is not None:  # an outbox item's confirmations stay with its value
            ticked = (draft.confirm_meter_change, draft.confirm_jump)
            for code, confirmed in zip(CONFIRM_CODES, ticked, strict=True):
                if confirmed:
                    self._asked[code] = draft.value
        self._idempotency_key: str | None = None  # one per submission, reused on retry
        self._busy = False
        self.attempts = 0  # backend calls made to submit (for tests and diagnostics)

    @property
    def backend(self) -> Backend:
        return self._backend or host_of(self).backend

    @property
    def idempotency_key(self) -> str | None:
        return self._idempotency_key

    def compose(self) -> ComposeResult:
        editing = self._editing is not None
        with Vertical(id="reading-dialog", classes="dialog"):
            title = TEXT["title_edit" if editing else "title_new"]
            yield Label(title, id="reading-title", classes="title")
            yield Label(TEXT["meter"])
            yield Select[str]([], id="meter", prompt=TEXT["meter"], disabled=editing)
            yield Static(TEXT["loading"], id="last", classes="hint")
            yield Label(TEXT["index"])
            value = editable_index(self._editing.index) if self._editing else ""
            draft = self._draft
            yield Input(
                draft.value if draft else value, id="index", placeholder=TEXT["placeholder"]
            )
            yield Static(id="verdict")
            change = bool(draft and draft.confirm_meter_change)
            jump = bool(draft and draft.confirm_jump)
            yield Checkbox(TEXT["confirm_change"], change, id="confirm-change")
            yield Checkbox(TEXT["confirm_jump"], jump, id="confirm-jump")
            yield Static(id="problem")
            with Horizontal(id="reading-buttons", classes="buttons"):
                yield Button(TEXT["cancel"], id="cancel")
                label = TEXT["save" if editing else "submit"]
                yield Button(label, id="submit", variant="primary", disabled=True)

    # --- loading -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.query_one("#index", Input).focus()
        run_guarded(self, self._load, group="reading-form-load", on_error=self._load_failed)

    def _load_failed(self, error: BaseException) -> bool:
        """What the form needs did not come: say so in the form (what was typed stays)."""
        self._show_problem(error)  # an expired session: the app asks for the password too
        return True

    async def _load(self) -> None:
        profile = await self.backend.profile()
        meters = await self.backend.meters()
        self._today = profile.data_as_of + timedelta(days=1)
        self._billing_months = profile.customer.billing_months
        self._meters = [
            m for m in meters if m.status is MeterStatus.ACTIVE or m.id == self._meter_id
        ]
        select = self.query_one("#meter", Select)
        select.set_options([(f"{m.serial}, {m.location}", m.id) for m in self._meters])
        if not self._meters:
            self.query_one("#last", Static).update(TEXT["no_meters"])
            return
        chosen = self._meter_id if any(m.id == self._meter_id for m in self._meters) else None
        first = chosen or self._meters[0].id
        select.value = first
        await self._load_history(first)
        if self._problem is not None:  # an outbox item the server refused: say why
            for code, box in CONFIRM_CODES.items():
                if self._confirmed(box):
                    self._ask(code)
            self._show_problem(self._problem)
            self._problem = None

    async def _load_history(self, meter_id: str) -> None:
        if meter_id not in self._history:
            self._history[meter_id] = await self.backend.readings(meter_id)
        self._meter_id = meter_id
        self._show_last()
        self._recheck()

    def on_select_changed(self, event: Select.Changed) -> None:
        if (
            event.select.id == "meter"
            and isinstance(event.value, str)
            and (event.value != self._meter_id or event.value not in self._history)
        ):
            meter_id = event.value
            run_guarded(
                self,
                lambda: self._load_history(meter_id),
                group="reading-form-history",
                on_error=self._load_failed,
            )

    def _live_history(self) -> list[Reading]:
        return [
            r
            for r in self._history.get(self._meter_id or "", [])
            if r.status is not ReadingStatus.WITHDRAWN
            and (self._editing is None or r.id != self._editing.id)
        ]

    def _show_last(self) -> None:
        history = self._live_history()
        last = self.query_one("#last", Static)
        if not history:
            last.update(TEXT["no_last"])
            return
        latest = history[-1]
        last.update(
            Text(
                TEXT["last"].format(
                    date=day(latest.read_on), index=m3(latest.index), type=READING_TYPE[latest.type]
                )
            )
        )

    # --- checking as you type --------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "index":
            self._recheck()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._recheck()

    def _confirmed(self, box: str) -> bool:
        return self.query_one(f"#{box}", Checkbox).value

    def _recheck(self) -> None:
        """Apply the submission rules to what is typed; enable the button if it parses."""
        verdict_box = self.query_one("#verdict", Static)
        text = self.query_one("#index", Input).value
        submit = self.query_one("#submit", Button)
        if not text.strip() or self._today is None or self._meter_id is None:
            verdict_box.update("")
            submit.disabled = True
            self._keep_asked(set())
            return
        try:
            index = parse_index(text)
        except ReadingInputError as error:
            # worded by the code, as the server words the same refusal
            refusal = render(error.code, field="value")
            verdict_box.update(Text(refusal, style="red"))
            submit.disabled = True
            self._keep_asked(set())
            return
        read_on = self._editing.read_on if self._editing else self._today
        unconfirmed = check_reading(
            index,
            read_on,
            self._live_history(),
            today=self._today,
            billing_months=self._billing_months,
        )
        self._keep_asked({problem.code for problem in unconfirmed.confirmations})
        verdict = check_reading(
            index,
            read_on,
            self._live_history(),
            today=self._today,
            billing_months=self._billing_months,
            confirm_meter_change=self._confirmed("confirm-change"),
            confirm_jump=self._confirmed("confirm-jump"),
        )
        for problem in verdict.confirmations:
            self._ask(problem.code)
        self._show_verdict(list(verdict.errors), list(verdict.confirmations), verdict.consumption)
        submit.disabled = self._busy

    def _ask(self, code: str) -> None:
        box = CONFIRM_CODES.get(code)
        if box is not None:
            self._asked[code] = self.query_one("#index", Input).value
            self.query_one(f"#{box}", Checkbox).add_class("asked")

    def _focus_unticked(self) -> None:
        """The keys go to the first tick box asked for and not ticked: space ticks it and
        Enter sends again, without a Tab to find it."""
        for box in CONFIRM_CODES.values():
            checkbox = self.query_one(f"#{box}", Checkbox)
            if checkbox.has_class("asked") and not checkbox.value:
                checkbox.focus()
                return

    def _keep_asked(self, needed: set[str]) -> None:
        """A confirmation's tick box goes (unticked) once the value that asked for it is
        gone: kept while the typed value still needs it, or is the one the server asked
        about (it may know readings the form does not)."""
        typed = self.query_one("#index", Input).value
        for code, box in CONFIRM_CODES.items():
            if code in needed or self._asked.get(code) == typed:
                continue
            self._asked.pop(code, None)
            checkbox = self.query_one(f"#{box}", Checkbox)
            checkbox.remove_class("asked")
            checkbox.value = False

    def _show_verdict(
        self, errors: list[FieldError], questions: list[FieldError], used: int | None
    ) -> None:
        out = Text()
        for problem in errors:
            out.append(field_text(problem) + "\n", style="red")
        for question in questions:
            out.append(field_text(question) + "\n", style="yellow")
        if not errors and not questions and used is not None:
            out.append(TEXT["consumption"].format(used=m3(used)), style="green")
        out.rstrip()
        self.query_one("#verdict", Static).update(out)

    # --- submitting --------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self._busy:
            self.leave()

    def action_dismiss_dialog(self) -> None:
        self.action_cancel()

    def draft_key(self) -> str | None:
        """One draft of a new reading, one per meter it was opened for, one per pending
        reading corrected (an outbox item reopened is kept by the outbox)."""
        if self._replaces is not None or self._draft is not None:
            return None
        if self._editing is not None:
            return f"reading-edit:{self._editing.id}"
        return "reading" + (f":{self._opened_for}" if self._opened_for else "")

    def draft_backend(self) -> Backend:
        return self.backend

    def draft_restored(self, values: Mapping[str, object]) -> None:
        meter = values.get("meter")
        if isinstance(meter, str) and self._editing is None:
            self._meter_id = meter  # chosen once the meters come

    def action_submit(self) -> None:
        if self._busy or self._meter_id is None or self.query_one("#submit", Button).disabled:
            return
        submission = ReadingSubmission(
            meter_id=self._meter_id,
            value=self.query_one("#index", Input).value,
            read_on=self._editing.read_on if self._editing else None,
            confirm_meter_change=self._confirmed("confirm-change"),
            confirm_jump=self._confirmed("confirm-jump"),
        )
        if self._editing is None and self._idempotency_key is None:
            self._idempotency_key = uuid.uuid4().hex
        self._set_busy(True)
        run_guarded(self, lambda: self._send(submission), group="reading-form-submit")

    async def _send(self, submission: ReadingSubmission) -> None:
        self.attempts += 1
        try:
            if self._editing is not None:
                reading = await self.backend.edit_reading(self._editing.id, submission)
            else:
                reading = await self.backend.submit_reading(
                    submission, idempotency_key=self._idempotency_key
                )
        except Exception as error:  # every failure is shown in the form, never swallowed
            kept = None
            if isinstance(error, Unavailable) and self._editing is None:
                kept = await keep_unsent(
                    self,
                    self.backend,
                    submission,
                    key=self._idempotency_key,
                    replaces=self._replaces,
                )
            self._set_busy(False)
            self._show_problem(error)
            if kept is not None:
                self._replaces = None  # the outbox holds this form's reading now, not that one
                self.query_one("#problem", Static).update(Text(TEXT["queued"]))
            return
        if self._editing is None:
            await delivered(self, self.backend, key=self._idempotency_key, replaces=self._replaces)
        self._set_busy(False)
        self.dismiss(reading)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        submit = self.query_one("#submit", Button)
        submit.disabled = busy
        if busy:
            self.query_one("#problem", Static).update(Text(TEXT["sending"], style="dim"))

    def _show_problem(self, error: BaseException) -> None:
        problem = self.query_one("#problem", Static)
        submit = self.query_one("#submit", Button)
        if isinstance(error, NeedsConfirmation):
            for item in error.errors:
                self._ask(item.code)
            self._show_verdict([], list(error.errors), None)
            problem.update(Text(TEXT["confirm_needed"], style="yellow"))
            self._focus_unticked()
        elif isinstance(error, ValidationFailed):
            self._show_verdict(list(error.errors), [], None)
            nexts = [e.params["next_possible"] for e in error.errors if "next_possible" in e.params]
            message = (
                TEXT["next_possible"].format(date=day(date.fromisoformat(str(nexts[0]))))
                if nexts
                else ""
            )
            problem.update(Text(message))
        elif isinstance(error, AuthenticationRequired):
            problem.update(Text(TEXT["expired"]))
            submit.label = TEXT["retry"]
            report_failure(self, error, self.action_submit)  # the app asks for the password
        elif isinstance(error, Unavailable):
            problem.update(Text(TEXT["unavailable"]))
            submit.label = TEXT["retry"]
        elif isinstance(error, (Conflict, IbokError)):
            problem.update(Text(error_text(error)))
        else:
            problem.update(Text(unexpected_text(error)))
            submit.label = TEXT["retry"]
