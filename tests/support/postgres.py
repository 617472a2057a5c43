"""A real PostgreSQL for tests: Debian's server binaries (`initdb`, `pg_ctl`), one cluster
per test process (each xdist worker has its own) in a temporary directory, listening only
on a unix socket there, run as the unprivileged `postgres` user when the tests run as root.
Each test gets a database of its own, copied from a seeded template (CREATE DATABASE ...
TEMPLATE), as SQLite tests copy the seeded file."""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL = "apt-get install postgresql postgresql-contrib (or run ./scripts/test as root)"


def server_binaries() -> Path:
    """The directory of initdb and pg_ctl; a clear error when PostgreSQL is not installed."""
    found = shutil.which("pg_config")
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if found:
        done = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidates.insert(0, done.stdout.strip())
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise RuntimeError(
        f"PostgreSQL's server binaries (initdb, pg_ctl) are not installed: {INSTALL}"
    )


class Cluster:
    """One PostgreSQL server, started on first use and stopped when the process ends."""

    def __init__(self) -> None:
        self.bin = server_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="ibok-pg-"))
        self.data = self.folder / "data"
        self.port = 5432  # the socket is in our own folder: no clash with another cluster
        self._as_root = os.geteuid() == 0
        self._names = itertools.count(1)
        self._started = False
        if self._as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> Cluster:
        if self._started:
            return self
        self._run(
            str(self.bin / "initdb"),
            "-D", str(self.data),
            "-U", "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )  # fmt: skip
        options = (
            f"-k {self.folder} -c listen_addresses='' -p {self.port}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=300 -c shared_buffers=32MB"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D", str(self.data),
            "-l", str(self.folder / "server.log"),
            "-o", options,
            "-w", "start",
        )  # fmt: skip
        self._started = True
        atexit.register(self.stop)
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None, prefix: str = "t") -> str:
        """A new database (empty, or a copy of `template`); returns its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        copied = f" TEMPLATE {template}" if template else ""
        self.sql(f"CREATE DATABASE {name}{copied}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.split("/")[3].split("?")[0]
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self._started:
            self._started = False
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
            finally:
                shutil.rmtree(self.folder, ignore_errors=True)


_cluster: list[Cluster] = []


def cluster() -> Cluster:
    """This process's cluster, started on first use."""
    if not _cluster:
        _cluster.append(Cluster())
    return _cluster[0].start()


def stop_cluster() -> None:
    """Stop this process's cluster if one was started (at the end of the test session:
    an xdist worker ends without running atexit)."""
    while _cluster:
        _cluster.pop().stop()
