"""The one rule for comparing text as a person searches it: case and diacritics do not
count (`Wiśniewski` = `wisniewski`, `Ł` = `ł` = `l`), punctuation only separates words."""

from __future__ import annotations

import re
import unicodedata

# letters with no Unicode decomposition into a base letter and a mark
_BASE_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """`text` in lower case without diacritics: `Złoty Kłos` -> `zloty klos`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_BASE_LETTERS)


def folded_words(text: str) -> list[str]:
    """The words of `text`, folded; anything but letters and digits separates them, so no
    wildcard or query syntax survives (`100%_"x"` -> `100`, `x`)."""
    return _WORD.findall(fold(text))
