"""The domain's units: money is integer grosze, meter indexes and consumption are integer
litres, so nothing is ever a float."""

from __future__ import annotations

from typing import TypeAlias

Grosze: TypeAlias = int


Litres: TypeAlias = int
