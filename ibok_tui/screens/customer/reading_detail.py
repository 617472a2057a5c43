"""A reading's detail (Enter in Odczyty): its facts and its history, as a request's: each
step with when, what (submitted, corrected from one index to another, withdrawn, taken
into billing, recorded by the utility) and by whom (the customer, the clerk at the desk,
the billing system), and whether the outbox sent it later."""

from __future__ import annotations

from rich.text import Text

from ...domain.models import (
    CUSTOMER_AUTHOR,
    SYSTEM_AUTHOR,
    DocumentEvent,
    Meter,
    Reading,
    ReadingEvent,
    ReadingEventKind,
)
from ...i18n import N_, P_, Messages, enum_labels
from ...widgets.reading_format import READING_STATUS, READING_TYPE, day, m3, stamp
from ..forms.dialogs import TextDialog

TEXT: Messages[str] = Messages(
    {
        "title": N_("Odczyt z {date}"),
        "meter": N_("Wodomierz"),
        "index": P_("meter index", "Stan"),
        "consumption": N_("Zużycie"),
        "type": P_("reading type", "Rodzaj"),
        "status": N_("Status"),
        "meter_change": N_("wymiana wodomierza lub przekręcenie licznika"),
        "note": N_("Uwagi"),
        "history": N_("Historia"),
        "no_history": N_("Brak zapisanej historii."),
        "customer": N_("klient"),
        "system": N_("system rozliczeniowy wodociągów"),
        "desk": N_("BOK"),
        "outbox": N_("wysłany później z kolejki"),
    }
)
EVENT_KIND = enum_labels(ReadingEventKind)


def author_text(author: str) -> str:
    """Who a step is by, in words: the codes worded, a clerk's name as the server gave it."""
    if author == CUSTOMER_AUTHOR:
        return TEXT["customer"]
    if author == SYSTEM_AUTHOR or author.startswith(f"{SYSTEM_AUTHOR}:"):
        return TEXT["system"]
    if author == "BOK":
        return TEXT["desk"]
    return author


def when_text(event: ReadingEvent | DocumentEvent) -> str:
    """When a step happened: its day and time, or its day alone when only that is known
    (the utility's own reading, recorded on its day)."""
    return day(event.at) if event.day_only else stamp(event.at)


def event_line(event: ReadingEvent) -> Text:
    line = Text()
    line.append(f"{when_text(event)}  {EVENT_KIND[event.kind]}", style="bold")
    if event.previous_index is not None and event.index is not None:
        line.append(f"  {m3(event.previous_index)} → {m3(event.index)} m³")
    elif event.index is not None:
        line.append(f"  {m3(event.index)} m³")
    line.append(f"  {author_text(event.author)}")
    if event.via == "outbox":
        line.append(f" ({TEXT['outbox']})", style="italic")
    return line


def reading_text(reading: Reading, meter: Meter | None) -> Text:
    out = Text()
    facts = [
        (TEXT["meter"], meter.serial if meter else reading.meter_id),
        (TEXT["index"], f"{m3(reading.index)} m³"),
        (TEXT["consumption"], f"{m3(reading.consumption)} m³"),
        (TEXT["type"], READING_TYPE[reading.type]),
        (TEXT["status"], READING_STATUS[reading.status]),
    ]
    if reading.note:
        facts.append((TEXT["note"], reading.note))
    for name, value in facts:
        out.append(f"{name}: ", style="bold")
        out.append(f"{value}\n")
    if reading.meter_change:
        out.append(TEXT["meter_change"] + "\n")
    return with_history(out, [event_line(event) for event in reading.history])


def with_history(out: Text, steps: list[Text], heading: str | None = None) -> Text:
    """`out` closed by a heading ("Historia" unless named) and a line per step, or that none
    was kept: a reading's and a document's detail end the same way."""
    out.append(f"\n{heading or TEXT['history']}\n", style="bold underline")
    for step in steps:
        out.append_text(step)
        out.append("\n")
    if not steps:
        out.append(TEXT["no_history"])
    out.rstrip()
    return out


class ReadingDetail(TextDialog):
    """A reading and its history, to read; closed with Esc or Enter."""

    def __init__(self, reading: Reading, meter: Meter | None) -> None:
        super().__init__(
            TEXT["title"].format(date=day(reading.read_on)), reading_text(reading, meter)
        )
        self.reading = reading
