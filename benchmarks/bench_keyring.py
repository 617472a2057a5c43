"""A keyring backend in a JSON file, for the benchmark's child processes only: they find
it through PYTHON_KEYRING_BACKEND, as the console finds the OS keyring, with no desktop
session (D-Bus, Secret Service) needed on the benchmark machine."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1

    @property
    def path(self) -> Path:
        return Path(os.environ["IBOK_BENCH_KEYRING"])

    def _entries(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        return entries

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._entries()
        entries[f"{service}\n{username}"] = password
        self.path.write_text(json.dumps(entries), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        entries.pop(f"{service}\n{username}", None)
        self.path.write_text(json.dumps(entries), encoding="utf-8")
