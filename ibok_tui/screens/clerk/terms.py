"""The clerk's view of the e-service terms: every version kept (which is in force, which is
to come, which are past) and publishing a new one (version, effective day, what changed,
the whole text). Customers who consented to e-mail notices are told (Krapkowice §10.3); from
the effective day each must accept the version at sign-in (Będzin §1.5)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Static, TextArea

from ...backends.base import Backend
from ...domain.models import Terms, TermsDraft, TermsPublished
from ...i18n import _, day, moment
from ...widgets.forms import parse_day
from ...widgets.literal import literal
from ...widgets.tables import ListTable
from ...widgets.terms_text import terms_text
from ..forms.dialogs import Dialog, TextDialog
from ..forms.workers import guarded
from .operator_dialogs import FORM_CSS
from .queue import office_today


def state_of(terms: Terms, in_force: str | None, today: date) -> str:
    if terms.version == in_force:
        return _("obowiązuje")
    if terms.effective_from > today:
        return _("od {date}", date=day(terms.effective_from))
    return _("archiwalna")


class TermsDialog(Dialog):
    """Every version of the terms, the latest effective first; `n` publishes a new one."""

    DEFAULT_CSS = """
    TermsDialog #terms-dialog { width: 100; }
    TermsDialog #terms-table { height: auto; max-height: 14; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "publish", "Nowa wersja", id="terms_admin.publish"),
    ]
    SENDS = False  # a list to read: its button opens another dialog

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.versions: list[Terms] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="terms-dialog"):
            yield Label(_("Regulamin iBOK: wersje"), classes="title")
            table: DataTable[Any] = ListTable(id="terms-table", cursor_type="row")
            table.add_column(_("Wersja"), key="version")
            table.add_column(_("Obowiązuje od"), key="from")
            table.add_column(_("Opublikowano"), key="published")
            table.add_column(_("Stan"), key="state")
            table.add_column(_("Co się zmienia"), key="changes")
            yield table
            yield Static(id="terms-note", classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(_("Zamknij"), id="close")
                yield Button(_("Nowa wersja (n)"), id="publish", variant="primary")

    def on_mount(self) -> None:
        self.load()

    @guarded("terms-admin")
    async def load(self) -> None:
        versions = await self.backend.terms_versions()
        in_force = (await self.backend.terms()).version
        self.show(versions, in_force)

    def show(self, versions: list[Terms], in_force: str | None) -> None:
        self.versions = versions
        today = office_today(self)
        table = self.query_one("#terms-table", DataTable)
        table.clear()
        for terms in versions:
            first_line = terms.changes.strip().splitlines()[0] if terms.changes.strip() else ""
            table.add_row(
                Text(terms.version),
                day(terms.effective_from),
                moment(terms.published_at),
                state_of(terms, in_force, today),
                literal(first_line[:60]),
                key=terms.version,
            )
        self.query_one("#terms-note", Static).update(
            _("Wersji: {count}. Enter: pełny tekst.", count=len(versions))
        )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        chosen = [t for t in self.versions if t.version == event.row_key.value]
        if chosen:
            body = terms_text(chosen[0], with_changes=True)
            self.app.push_screen(TextDialog(_("Regulamin iBOK"), body))

    def action_publish(self) -> None:
        def published(result: TermsPublished | None) -> None:
            if result is None:
                return
            self.notify(
                _(
                    "Opublikowano regulamin {version} (od {date}); powiadomiono e-mailem: {count}.",
                    version=result.terms.version,
                    date=day(result.terms.effective_from),
                    count=result.notified,
                ),
                markup=False,
            )
            self.load()

        self.app.push_screen(PublishTermsDialog(self.backend, office_today(self)), published)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "publish":
            self.action_publish()
        else:
            self.leave()


class PublishTermsDialog(Dialog):
    """A new version; the dialog sends it itself, so a refusal keeps everything typed."""

    AUTO_FOCUS = "#terms-version"
    DEFAULT_CSS = (
        FORM_CSS
        + "#publish-terms { width: 100; height: 90%; } #terms-from { width: 14; }"
        + " #publish-terms #publish-fields { height: 1fr; max-height: 100%; }"
        + " #publish-terms #terms-changes-input { height: 4; }"
        + " #publish-terms #terms-text-input { height: 12; }"
    )

    def __init__(self, backend: Backend, today: date) -> None:
        super().__init__()
        self.backend = backend
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="publish-terms"):
            yield Label(_("Nowa wersja regulaminu iBOK"), classes="title")
            with VerticalScroll(id="publish-fields"):  # the buttons stay in sight at 80×24
                yield Label(_("Numer wersji"))
                yield Input(id="terms-version", compact=True, max_length=50)
                yield Label(_("Obowiązuje od (dd.mm.rrrr, najwcześniej dziś)"))
                yield Input(day(self.today + timedelta(days=14)), id="terms-from", compact=True)
                yield Label(_("Co się zmienia (w e-mailu do klientów i przy akceptacji)"))
                yield TextArea(id="terms-changes-input")
                yield Label(_("Pełny tekst"))
                yield TextArea(id="terms-text-input")
            yield Static(id="terms-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Opublikuj (ctrl+s)"), id="send", variant="primary")

    def action_publish(self) -> None:
        error = self.query_one("#terms-error", Static)
        try:
            effective = parse_day(self.query_one("#terms-from", Input).value)
        except ValueError:
            effective = None
        if effective is None:
            error.update(_("Podaj datę w postaci dd.mm.rrrr."))
            return
        draft = TermsDraft(
            version=self.query_one("#terms-version", Input).value.strip(),
            effective_from=effective,
            text=self.query_one("#terms-text-input", TextArea).text.strip(),
            changes=self.query_one("#terms-changes-input", TextArea).text.strip(),
        )
        if not draft.version or not draft.text:
            error.update(_("Podaj numer wersji i pełny tekst regulaminu."))
            return
        error.update(_("Publikowanie…"))
        self._send(draft)

    @guarded("terms-publish")
    async def _send(self, draft: TermsDraft) -> None:
        from ...domain.errors import Conflict, ValidationFailed
        from ...i18n.problems import error_text

        try:
            published = await self.backend.publish_terms(draft)
        except (ValidationFailed, Conflict) as refused:  # said here: the form stays as typed
            self.query_one("#terms-error", Static).update(Text(error_text(refused)))
            return
        self.dismiss(published)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "send":
            self.action_publish()
        else:
            self.leave()
