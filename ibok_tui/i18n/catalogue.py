"""Keeps the catalogue in step with the code: `python -m ibok_tui.i18n.catalogue`.

Extracts every message of the package with babel's extractor (`_`, `N_`, `p_`, `P_`, `n_`,
the `Plural`s of i18n/problems.py and the
descriptions of `Binding`s), updates `locale/en/LC_MESSAGES/ibok.po` (new messages are added
untranslated, messages no longer in the code are dropped) and the Polish plural forms in
`locale/pl/LC_MESSAGES/ibok.po`, then compiles both to `ibok.mo`
and writes babel's formats beside them (`locale/forms.json`, forms.py). The `.mo` files are
committed rather than built by a hook: the console runs from a checkout (`PYTHONPATH`, an
editable install) as well as from the wheel, and a test checks they match their `.po`.
A development tool: babel's `messages` package is imported only here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parents[1]
# babel's keyword specs: the message's position (1-based), "c" marks a context
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "p_": ((1, "c"), 2),
    "P_": ((1, "c"), 2),
    "n_": (1, 2),
    "Plural": (1, 2),
    "Binding": (3,),
}
Key = str | tuple[str, ...]


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extracted() -> Iterator[tuple[Key, str | None, str]]:
    """(message id or (singular, plural), context, where) for every message in the code."""
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("i18n/catalogue.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    )
    for filename, lineno, message, _comments, context in found:
        yield message, context, f"ibok_tui/{filename}:{lineno}"
    yield from tab_docstrings()


def tab_docstrings() -> Iterator[tuple[Key, str | None, str]]:
    """A tab's help is the first paragraph of its class's docstring (`keys_help.tab_help`):
    every class in `screens/` that sets `TAB_TITLE` and no `TAB_HELP`."""
    import ast

    for path in sorted((PACKAGE / "screens").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            names = {
                target.id
                for statement in node.body
                if isinstance(statement, ast.Assign)
                for target in statement.targets
                if isinstance(target, ast.Name)
            }
            docstring = ast.get_docstring(node)
            if "TAB_TITLE" in names and "TAB_HELP" not in names and docstring:
                paragraph = " ".join(docstring.split("\n\n")[0].split())
                where = f"ibok_tui/{path.relative_to(PACKAGE).as_posix()}:{node.lineno}"
                yield paragraph, None, where


def read(language: str) -> Any:
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    messages = list(extracted())
    for language in LANGUAGES:
        old = read(language) if po_path(language).exists() else Catalog(locale=language)
        new = Catalog(locale=language, domain=DOMAIN, project="ibok", fuzzy=False)
        new.creation_date = new.revision_date = old.creation_date  # no churn in the header
        for message_id, context, where in messages:
            if language == "pl" and not isinstance(message_id, tuple):
                continue  # a Polish message is its own id
            key = message_id[0] if isinstance(message_id, tuple) else message_id
            file, line = where.rsplit(":", 1)
            existing = new.get(key, context=context)
            if existing is not None:
                existing.locations.append((file, int(line)))
                continue
            previous = old.get(key, context=context)
            translation = previous.string if previous is not None else ""
            new.add(message_id, translation, locations=[(file, int(line))], context=context)
        po_path(language).parent.mkdir(parents=True, exist_ok=True)
        with po_path(language).open("wb") as po:
            write_po(po, new, width=100, sort_output=True)
        with mo_path(language).open("wb") as mo:
            write_mo(mo, read(language))
    from .forms import write

    write()  # babel's marks and month names, beside the catalogue (forms.py)


if __name__ == "__main__":
    update()
    sys.exit(0)
