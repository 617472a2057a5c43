"""The server a utility runs, under wrk, beside the framework's floor measured in the same run.

Starts a bare FastAPI endpoint (benchmarks/bare_endpoint.py: uvicorn with `ibok serve`'s
options, fixed answers the size of the real ones behind a bearer lookup), then `ibok serve`
over a seeded SQLite store and, when it can, `ibok serve --db postgresql://… --workers 2`
over PostgreSQL (beside the bare endpoint with 2 workers too), and drives each with wrk
(2 threads, 1, 10 and 100 connections, IBOK_BENCH_SECONDS a run, 10 by default) on the
dashboard, the invoices and the settlements, with the tokens of 100 signed-in customers
spread over the requests. Prints requests/s, p50, p99 and errors, and the ratios to the
bare endpoint against the issue's targets at 100 connections (≥ 0.5× its requests/s, p99 ≤
2× its p99, no error or timeout).

Also: 100 distinct customers signing in at once, beside the floor hashing alone sets (100
argon2id hashes with the portal's own hasher, one process a core hashing at once with
nothing else running; target ≤ 1.5×; benchmarks/hash_floor.py, which also prints one hash
alone × 100 ÷ cores beside it), five crowds each on a server just started, each beside the
floor measured just before and just after it (this machine's speed moves by a quarter from
one minute to the next), the median of the ratios the figure; the sign-in
storm of benchmarks/http_bench.py (IBOK_BENCH_STORM=0 leaves it out); the operator search
of benchmarks/search_bench.py when IBOK_SEARCH_STORE names a store made by `ibok generate`.
IBOK_BENCH_ONLY=sign-in measures only the sign-ins, on each server (no wrk needed).
IBOK_BENCH_SQLITE=0 leaves the SQLite server out (and its storm): the PostgreSQL part alone.

PostgreSQL: IBOK_BENCH_PG=postgresql://user@host/db names a server on which the benchmark
creates (and then drops) a database of its own; without it, a cluster is started the way
the tests start one (tests/support/postgres.py). That part says "skipped: …" when this
`ibok serve` has no `--workers` or takes no URL for `--db`, or no PostgreSQL is at hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from . import http_bench
from .hash_floor import Floor, Hashers, hash_seconds
from .http_bench import NOW, ROOT, serve_command, start_server, stop_server
from .sign_ins import SignIns, sign_in_all
from .timing import median
from .wrk import WrkMissing, WrkResult, run_wrk, wrk_binary

CONNECTIONS = (1, 10, 100)
ENDPOINTS = {
    "dashboard": "/api/v1/me/dashboard",
    "invoices": "/api/v1/me/invoices",
    "settlements": "/api/v1/me/settlements",
}
SIGN_INS = 100
CROWDS = 5  # crowds signing in, each on a server just started; the median ratio is the figure
YEARS = 10
TARGET_RPS, TARGET_P99, TARGET_SIGN_IN = 0.5, 2.0, 1.5


@dataclass
class Target:
    """A server under load: its URL and the tokens of its signed-in customers."""

    url: str
    tokens: list[str]


# --- the stores -------------------------------------------------------------------------


def _open_store(db: str | Path) -> Any:
    """The store `db` names: a SQLite file or a PostgreSQL URL."""
    from ibok_tui.portal.stores import open_store

    return open_store(db)


def _seed(db: str | Path) -> None:
    """The demo set and SIGN_INS synthetic customers with YEARS of history each."""
    from ibok_tui.portal.base import local_date
    from ibok_tui.portal.demo.synthetic import generate

    store = _open_store(db)
    try:
        generate(store, customers=SIGN_INS, years=YEARS, today=local_date(NOW), now=NOW)
    finally:
        store.close()


def _customers() -> list[tuple[str, str]]:
    from ibok_tui.portal.demo.synthetic import SYNTHETIC_PASSWORD

    return [(f"{500000 + index:06d}", SYNTHETIC_PASSWORD) for index in range(SIGN_INS)]


def _serve_help() -> str:
    command = [sys.executable, "-m", "ibok_tui.cli", "serve", "--help"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False).stdout


def postgres_unsupported(help_text: str) -> str | None:
    """Why this `ibok serve` cannot run the PostgreSQL part (None when it can)."""
    missing = [
        what
        for what, mark in (
            ("no --workers option", "--workers"),
            ("no postgresql:// URL for --db", "postgresql://"),
        )
        if mark not in help_text
    ]
    return "this ibok serve takes " + " and ".join(missing) if missing else None


def _without_password(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that carries it (libpq reads
    PGPASSWORD): a command line is visible to every user of the machine."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, {}
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    netloc = f"{user}@{host}" if user else host
    return urlunsplit(parts._replace(netloc=netloc)), {"PGPASSWORD": unquote(parts.password)}


@contextlib.contextmanager
def _postgres() -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh database for the run (its URL without a password, and the environment that
    carries the password), dropped afterwards; RuntimeError saying why there is none."""
    given = os.environ.get("IBOK_BENCH_PG")
    if given:
        import psycopg

        name = f"ibok_bench_{os.getpid()}"
        with psycopg.connect(given, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url, env = _without_password(urlunsplit(urlsplit(given)._replace(path=f"/{name}")))
        try:
            yield url, env
        finally:
            with psycopg.connect(given, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    try:
        from tests.support.postgres import cluster
    except ImportError:
        raise RuntimeError(
            "set IBOK_BENCH_PG=postgresql://… (tests/support/postgres.py, which starts"
            " a cluster, is not here)"
        ) from None
    running = cluster()  # RuntimeError when PostgreSQL is not installed
    url = running.new_database(prefix="bench")
    try:
        yield url, {}
    finally:
        running.drop(url)


# --- signing in ---------------------------------------------------------------------------


async def _sign_in_all(url: str) -> SignIns:
    """Every synthetic customer signs in at once, each from a client and an address of its
    own (benchmarks/sign_ins.py)."""
    return await sign_in_all(url, _customers())


def _print_sign_in(name: str, crowds: list[tuple[SignIns, Floor]]) -> None:
    """Each crowd beside its own floors, and the median of their ratios against the target
    (to the floor of the hashes at once; to one hash alone's beside it)."""

    def ratios(way: Callable[[Floor], float]) -> list[float]:
        return [
            found.seconds / way(floor) if way(floor) else float("inf") for found, floor in crowds
        ]

    at_once, alone = ratios(lambda floor: floor.at_once), ratios(lambda floor: floor.alone)
    ratio = median(at_once)
    refused: Counter[str] = sum((found.refused for found, _ in crowds), Counter())
    verdict = "meets" if ratio <= TARGET_SIGN_IN and not refused else "OVER"
    said = ", ".join(f"{n}×{status}" for status, n in sorted(refused.items()))

    def listed(values: Iterable[float], unit: str) -> str:
        return ", ".join(f"{value:.2f}{unit}" for value in values)

    print(
        f"{SIGN_INS} customers signing in at once, {name}: "
        + listed((found.seconds for found, _ in crowds), " s")
        + "\n     floors, the hashes at once: "
        + listed((floor.at_once for _, floor in crowds), " s")
        + f"  |  ratios {listed(at_once, '×')}  |  median {ratio:.2f}×"
        + f"  (target ≤ {TARGET_SIGN_IN}×: {verdict})"
        + f"\n     floors, one hash alone × {SIGN_INS} ÷ cores: "
        + listed((floor.alone for _, floor in crowds), " s")
        + f"  |  ratios {listed(alone, '×')}  |  median {median(alone):.2f}×"
        + f"\n     {sum(f.busy for f, _ in crowds)} answers 429 and"
        f" {sum(f.dropped for f, _ in crowds)} dropped connections tried again"
        + (f", refused: {said}" if said else "")
    )


async def _answers(url: str, tokens: list[str]) -> dict[str, str]:
    """Each endpoint's real answer of median size over the first customers."""
    import httpx

    chosen: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for path in ENDPOINTS.values():
            bodies = []
            for token in tokens[:15]:
                answer = await client.get(path, headers={"Authorization": f"Bearer {token}"})
                answer.raise_for_status()
                bodies.append(answer.text)
            chosen[path] = sorted(bodies, key=len)[len(bodies) // 2]
    return chosen


async def _first_visits(url: str, tokens: list[str]) -> float:
    """Every customer's first request of the day to each endpoint, one at a time: what
    computing and storing an answer costs; the seconds a request on average."""
    import httpx

    started = time.perf_counter()
    count = 0
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for path in ENDPOINTS.values():
            for token in tokens:
                answer = await client.get(path, headers={"Authorization": f"Bearer {token}"})
                answer.raise_for_status()
                count += 1
    return (time.perf_counter() - started) / max(1, count)


# --- load ---------------------------------------------------------------------------------


def _load(target: Target, seconds: float) -> dict[tuple[str, int], WrkResult]:
    found = {}
    for name, path in ENDPOINTS.items():
        for connections in CONNECTIONS:
            found[name, connections] = run_wrk(
                target.url + path, connections=connections, seconds=seconds, tokens=target.tokens
            )
            _settle(target, path)
    return found


def _settle(target: Target, path: str) -> None:
    """Wait for what wrk left queued in the server when it stopped (a request waits behind
    them in the thread pool), so that the next run starts on an idle server."""
    import httpx

    headers = {"Authorization": f"Bearer {target.tokens[0]}"}
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(target.url + path, headers=headers, timeout=300)


def _errors(result: WrkResult) -> str:
    if not result.errors:
        return "0"
    parts = (
        ("non-2xx", result.non_2xx),
        ("timeout", result.timeouts),
        ("socket", result.socket_errors),
    )
    return f"{result.errors} ({', '.join(f'{n} {k}' for k, n in parts if n)})"


def _verdict(result: WrkResult, bare: WrkResult) -> str:
    rps = result.per_second / bare.per_second if bare.per_second else 0.0
    p99 = result.p99 / bare.p99 if bare.p99 else float("inf")
    misses = []
    if rps < TARGET_RPS:
        misses.append(f"req/s < {TARGET_RPS}×")
    if p99 > TARGET_P99:
        misses.append(f"p99 > {TARGET_P99}×")
    if result.errors:
        misses.append("errors")
    return "meets the targets" if not misses else "OVER: " + ", ".join(misses)


def _print_load(
    name: str, found: dict[tuple[str, int], WrkResult], bare: dict[tuple[str, int], WrkResult]
) -> None:
    for endpoint in ENDPOINTS:
        for connections in CONNECTIONS:
            result, floor = found[endpoint, connections], bare[endpoint, connections]
            if not result.requests:
                print(
                    f"{endpoint:<12} {name:<36} {connections:>3} conn  no answer in the run"
                    f"  errors {_errors(result)}  |  OVER"
                )
                continue
            line = (
                f"{endpoint:<12} {name:<36} {connections:>3} conn  {result.per_second:8.1f} req/s"
                f"  p50 {result.p50 * 1000:8.2f} ms  p99 {result.p99 * 1000:8.2f} ms"
                f"  errors {_errors(result)}"
            )
            if result is not floor:
                rps = result.per_second / floor.per_second if floor.per_second else 0.0
                p99 = result.p99 / floor.p99 if floor.p99 else float("inf")
                line += f"  |  ×bare req/s {rps:5.2f}  p99 {p99:6.2f}"
                if connections == max(CONNECTIONS):
                    line += f"  |  {_verdict(result, floor)}"
            print(line)


# --- the run ------------------------------------------------------------------------------


def main() -> None:
    seconds = float(os.environ.get("IBOK_BENCH_SECONDS", "10"))
    sign_in_only = os.environ.get("IBOK_BENCH_ONLY") == "sign-in"
    if sign_in_only:
        print(f"== server: {SIGN_INS} customers signing in at once (IBOK_BENCH_ONLY=sign-in)")
    else:
        print(
            f"== server: wrk (2 threads, {seconds:g} s a run, timeout 2 s) at"
            f" {', '.join(map(str, CONNECTIONS))} connections; {SIGN_INS} customers' tokens spread"
            " over the requests; ratios to a bare FastAPI endpoint (same uvicorn options, an"
            " answer of the real one's size behind a bearer lookup) measured in this run"
        )
        try:
            wrk_binary()
        except WrkMissing as exc:
            print(f"   skipped: {exc}")
            return
    with Hashers() as hashers:
        print(
            f"   sign-in floor: {SIGN_INS} argon2id hashes with the portal's hasher, one process"
            f" a core ({hashers.cores}) hashing at once, nothing else running (one hash alone:"
            f" {hash_seconds() * 1000:.1f} ms now; its × {SIGN_INS} ÷ {hashers.cores} beside it),"
            f" measured just before and just after each of {CROWDS} crowds, each on a server"
            " just started: the machine's speed moves between moments"
        )
        run = Run(seconds, hashers, sign_in_only=sign_in_only)
        with tempfile.TemporaryDirectory(prefix="ibok-server-bench-") as name:
            run.folder = Path(name)
            if os.environ.get("IBOK_BENCH_SQLITE", "1") != "0":  # 0: the PostgreSQL part alone
                db = run.folder / "ibok.sqlite"
                _seed(db)
                storm = os.environ.get("IBOK_BENCH_STORM", "1") != "0" and not sign_in_only
                run.measure("SQLite", db, storm=storm)
            _postgres_part(run)
    if not sign_in_only:
        _search()


@dataclass
class Run:
    """What every server of one run is measured with and against."""

    seconds: float  # a wrk run's duration
    hashers: Hashers  # the sign-in's floors (benchmarks/hash_floor.py)
    folder: Path = Path()
    bodies: dict[str, str] | None = None  # the bare endpoint's answers, from the first server
    sign_in_only: bool = False  # IBOK_BENCH_ONLY=sign-in: each server's sign-ins, no load

    def measure(
        self, label: str, db: str | Path, *, workers: int = 1, env: dict[str, str] | None = None,
        storm: bool = False,
    ) -> None:  # fmt: skip
        """`ibok serve` over `db` with `workers`: the sign-ins, then the load beside the bare
        endpoint with as many workers; a failure is reported with the server's log."""
        import httpx

        extra = ("--workers", str(workers)) if workers > 1 else ()
        log = self.folder / f"{label}.log"
        crowds: list[tuple[SignIns, Floor]] = []
        process: subprocess.Popen[bytes] | None = None
        try:
            for _ in range(CROWDS):  # each on a server just started, its floor beside it
                if process is not None:
                    stop_server(process)
                process, url = start_server(serve_command(db, *extra), env=env, log=log)
                before = self.hashers.floor(SIGN_INS)
                signed_in = asyncio.run(_sign_in_all(url))
                crowds.append((signed_in, Floor.mean(before, self.hashers.floor(SIGN_INS))))
            _print_sign_in(label, crowds)
            if self.sign_in_only:
                return
            tokens = signed_in.tokens
            if self.bodies is None:
                self.bodies = asyncio.run(_answers(url, tokens))
                sizes = ", ".join(
                    f"{endpoint} {len(self.bodies[path].encode()):,} B"
                    for endpoint, path in ENDPOINTS.items()
                )
                print(f"   answer sizes (the median of 15 customers', {YEARS} years): {sizes}")
            bare = self._bare(tokens, workers)
            on = f" with {workers} workers" if workers > 1 else ""
            _print_load(f"bare endpoint{on}", bare, bare)
            cold = asyncio.run(_first_visits(url, tokens))
            print(
                f"   ibok serve {label}{on}: the day's first visit of each screen (computed and"
                f" stored), one client: {cold * 1000:.1f} ms a request; the load below is"
                " the rest of the day (stored answers)"
            )
            _print_load(f"ibok serve {label}{on}", _load(Target(url, tokens), self.seconds), bare)
            if storm:
                http_bench.print_storm(dict(asyncio.run(http_bench.run_storm(url))))
        except (httpx.HTTPError, RuntimeError) as exc:
            said = "".join(f"\n   {line}" for line in log.read_text().splitlines()[-15:])
            print(f"   ibok serve {label} failed: {exc!r}; its log ends:{said}")
        finally:
            if process is not None:
                stop_server(process)

    def _bare(self, tokens: list[str], workers: int) -> dict[tuple[str, int], WrkResult]:
        path = self.folder / "bare-bodies.json"
        path.write_text(json.dumps(self.bodies))  # the answers; the tokens go by the environment
        command = [sys.executable, "-m", "benchmarks.bare_endpoint", "--workers", str(workers)]
        env = {"IBOK_BARE_BODIES": str(path), "IBOK_BARE_TOKENS": " ".join(tokens)}
        process, url = start_server(command, env=env, log=self.folder / f"bare-{workers}.log")
        try:
            return _load(Target(url, tokens), self.seconds)
        finally:
            stop_server(process)


def _postgres_part(run: Run) -> None:
    title = "== server on PostgreSQL with 2 workers"
    why = postgres_unsupported(_serve_help())
    if why:
        print(f"{title}: skipped: {why}")
        return
    try:
        with _postgres() as (url, env):
            _seed(url)
            print(title)
            run.measure("PostgreSQL", url, workers=2, env=env)
    except (RuntimeError, ImportError, OSError) as exc:
        print(f"{title}: skipped: {exc}")


def _search() -> None:
    if os.environ.get("IBOK_SEARCH_STORE"):
        from . import search_bench

        search_bench.main()
    else:
        print(
            "== operator search p50/p95 on 100,000 customers: `ibok generate --db big.sqlite"
            " --customers 100000 --years 1`, then `IBOK_SEARCH_STORE=big.sqlite python -m"
            " benchmarks server` (or `python -m benchmarks search`)"
        )


if __name__ == "__main__":
    main()
