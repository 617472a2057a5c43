"""The non-interactive commands (`ibok invoices --json`, `ibok status`, ...): the same
`Backend` protocol as the console, for scripts, cron and home dashboards. They never
import Textual (an import-linter contract and tests/unit/test_command_imports.py)."""
