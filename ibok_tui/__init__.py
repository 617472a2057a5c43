"""ibok: a terminal console for a water utility's customer self-service office (iBOK)."""

__version__ = "0.1.0"
