"""The catalogue's markers for messages stored to be translated where they are shown (the
extractor finds them; they change nothing). Apart from the package so that the tables of
messages (`labels.py`) need not import the package that looks them up."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is stored, to be translated where shown."""
    return message


class InContext(str):
    """A marked message with its context (see `P_`)."""

    context: str


def P_(context: str, message: str) -> str:
    """`N_` for a message whose Polish words mean different things in different places."""
    marked = InContext(message)
    marked.context = context
    return marked
