"""Small helpers for forms: dates as people type them, field error labels."""

from __future__ import annotations

from ..domain.dates import parse_day

__all__ = ["parse_day"]
