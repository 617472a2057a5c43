"""The drafts of forms closed unsent (host.py's `Drafts`): in memory only, never on a disk,
per signed-in subject (a clerk's desk serves several customers in one session) and form.
The session wipes them at logout, and so a kiosk's idle wipe too."""

from __future__ import annotations

from collections.abc import Mapping


class SessionDrafts:
    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], dict[str, object]] = {}

    def get(self, owner: str, key: str) -> Mapping[str, object] | None:
        return self._kept.get((owner, key))

    def keep(self, owner: str, key: str, values: Mapping[str, object]) -> None:
        self._kept[(owner, key)] = dict(values)

    def drop(self, owner: str, key: str) -> None:
        self._kept.pop((owner, key), None)

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
