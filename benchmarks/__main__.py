"""Run every benchmark: `python -m benchmarks [name ...]`; the names are the keys of SUITES."""

from __future__ import annotations

import importlib
import sys

SUITES = {
    "portal": "benchmarks.portal_bench",
    "http": "benchmarks.http_bench",
    "server": "benchmarks.server_bench",
    "console": "benchmarks.console_bench",
    "startup": "benchmarks.startup_instructions",
    "readings": "benchmarks.readings_bench",
    "render": "benchmarks.render_guard_bench",
    "search": "benchmarks.search_bench",
    "tabs": "benchmarks.tab_instructions",
    "commands": "benchmarks.commands_bench",
}


def main(argv: list[str]) -> int:
    chosen = argv or list(SUITES)
    for name in chosen:
        module_name = SUITES.get(name)
        if module_name is None:
            print(f"unknown benchmark {name!r}; choose from {', '.join(SUITES)}", file=sys.stderr)
            return 2
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            print(f"== {name}: not written yet")
            continue
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
