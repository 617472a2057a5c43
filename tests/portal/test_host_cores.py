"""One hash per core across the processes of one server (portal/host_cores.py): two
processes that each hash on as many threads as there are cores never hash more at once
than there are cores, and one process alone uses them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ibok_tui.portal import host_cores
from tests.support.http_server import ROOT

CORES = 2

# a worker's hashing pool: CORES threads, four "hashes" (a sleep each) on them, and the
# moments each one ran, on the clock every process of the host shares; it starts when the
# test says so (every worker at once, however long each took to start)
WORKER = f"""
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from ibok_tui.portal.host_cores import on_a_core, take_a_core

def hash_once(_):
    started = time.monotonic()
    time.sleep(0.2)
    return started, time.monotonic()

pool = ThreadPoolExecutor({CORES}, initializer=take_a_core, initargs=({CORES},))
print("ready", flush=True)
sys.stdin.readline()
print(json.dumps(list(pool.map(lambda n: on_a_core(hash_once, n), range(4)))))
"""


def _most_at_once(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def _workers(count: int, folder: Path | None) -> list[list[tuple[float, float]]]:
    env = {k: v for k, v in os.environ.items() if k != host_cores.VARIABLE}
    env["PYTHONPATH"] = str(ROOT)
    if folder is not None:
        env[host_cores.VARIABLE] = str(folder)
    started = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    for process in started:
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
    found = []
    for process in started:  # all of them at once
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in started:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        found.append([tuple(pair) for pair in json.loads(out)])
    return found


def test_two_workers_hash_no_more_at_once_than_there_are_cores(tmp_path: Path) -> None:
    both = _workers(2, tmp_path)
    assert _most_at_once([i for worker in both for i in worker]) == CORES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["core-0", "core-1"]


def test_without_the_shared_folder_each_worker_hashes_on_all_its_threads(tmp_path: Path) -> None:
    both = _workers(2, None)  # what the lock files prevent: 4 at once on 2 cores
    assert _most_at_once([i for worker in both for i in worker]) == 2 * CORES


def test_a_worker_alone_hashes_on_every_core(tmp_path: Path) -> None:
    (alone,) = _workers(1, tmp_path)
    assert _most_at_once(alone) == CORES


def test_the_supervisor_names_a_private_folder_and_removes_it() -> None:
    before = os.environ.get(host_cores.VARIABLE)
    with host_cores.shared_folder():
        folder = Path(os.environ[host_cores.VARIABLE])
        assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0
    assert not folder.exists()
    assert os.environ.get(host_cores.VARIABLE) == before
