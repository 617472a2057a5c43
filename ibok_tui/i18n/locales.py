"""Where the catalogue lives and which babel locale each console language is (shared by the
catalogue and by forms.py, which must not import the package that imports it)."""

from __future__ import annotations

from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = {"pl": "pl_PL", "en": "en_GB"}
