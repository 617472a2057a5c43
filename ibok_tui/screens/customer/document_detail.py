"""A document's detail (Enter in Dokumenty): its facts and, for a customer's scan, where it
is in the utility's document workflow and how it got there (received, in review, accepted,
rejected with the clerk's reason, archived), each step with when and by whom."""

from __future__ import annotations

from rich.text import Text

from ...domain.models import SCAN_WITHDRAWABLE, Document, DocumentEvent, ScanStatus
from ...i18n import N_, Messages, day, enum_labels, label
from ..forms.dialogs import TextDialog
from .reading_detail import author_text, when_text, with_history

TEXT: Messages[str] = Messages(
    {
        "date": N_("Data"),
        "kind": N_("Rodzaj"),
        "file": N_("Plik"),
        "status": N_("Status"),
        "history": N_("Obieg dokumentu"),
        "withdrawable": N_("Możesz go jeszcze wycofać (Umowy)."),
        "kept": N_("Wodociągi przyjęły skan: zostaje w ich dokumentacji."),
        "reason": N_("powód"),
    }
)
SCAN_STATUS = enum_labels(ScanStatus)
STATUS_STYLE = {
    ScanStatus.SUBMITTED: "yellow",
    ScanStatus.IN_REVIEW: "bold yellow",
    ScanStatus.ACCEPTED: "green",
    ScanStatus.REJECTED: "bold red",
    ScanStatus.ARCHIVED: "dim",
}


def status_cell(document: Document) -> Text:
    """The Status column: a scan's state, or nothing for the utility's own documents."""
    if document.scan_status is None:
        return Text("—", style="dim")
    return Text(SCAN_STATUS[document.scan_status], style=STATUS_STYLE[document.scan_status])


def step_line(event: DocumentEvent) -> Text:
    line = Text()
    line.append(f"{when_text(event)}  {SCAN_STATUS[event.status]}", style="bold")
    line.append(f"  {author_text(event.author)}")
    if event.reason:
        line.append(f"\n    {TEXT['reason']}: {event.reason}")
    return line


def document_text(document: Document) -> Text:
    out = Text()
    for name, value in (
        (TEXT["date"], day(document.created_on)),
        (TEXT["kind"], label(document.kind)),
        (TEXT["file"], document.filename),
    ):
        out.append(f"{name}: ", style="bold")
        out.append(f"{value}\n")
    status = document.scan_status
    if status is None:
        out.rstrip()
        return out
    out.append(f"{TEXT['status']}: ", style="bold")
    out.append_text(status_cell(document))
    out.append("\n")
    if status in SCAN_WITHDRAWABLE:
        out.append(TEXT["withdrawable"] + "\n")
    elif status is ScanStatus.ACCEPTED:
        out.append(TEXT["kept"] + "\n")
    steps = [step_line(event) for event in document.history]
    return with_history(out, steps, heading=TEXT["history"])


class DocumentDetail(TextDialog):
    """A document and its workflow, to read; closed with Esc or Enter."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.title, document_text(document))
        self.document = document
