"""One version of the e-service terms as text to read: its version and effective day, what
changed (when asked), and the whole text, the utility's words shown literally."""

from __future__ import annotations

from rich.text import Text

from ..domain.models import Terms
from ..i18n import _, day
from .literal import literal


def terms_text(terms: Terms, *, with_changes: bool = False) -> Text:
    text = Text(
        _(
            "Wersja {version}, obowiązuje od {date}.",
            version=terms.version,
            date=day(terms.effective_from),
        ),
        style="bold",
    )
    if with_changes and terms.changes:
        text.append("\n\n")
        text.append(literal(terms.changes))
    text.append("\n\n")
    text.append(literal(terms.text))
    return text
