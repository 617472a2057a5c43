"""Drive an HTTP endpoint with wrk (Debian's `wrk` package) and read what it measured.

A small Lua script gives every request the next of several bearer tokens (each wrk thread
starts at another one), so the load spreads over several customers; its `done()` prints
the summary as one JSON line, which `parse` reads (wrk's own text is for people). The
tokens reach wrk through its environment, never through a file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MARK = "IBOK_WRK "
TOKENS_VARIABLE = "IBOK_WRK_TOKENS"
TIMEOUT = "2s"  # wrk's default: a request slower than this counts as a timeout

SCRIPT = r"""
-- the bearer tokens, space-separated, from the environment (never from a file)
local tokens = {}
for token in string.gmatch(os.getenv("IBOK_WRK_TOKENS") or "", "%S+") do
  tokens[#tokens + 1] = token
end
local threads = 0
local prepared = {}
local next_one = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  for i, token in ipairs(tokens) do
    prepared[i] = wrk.format(nil, nil, {Authorization = "Bearer " .. token})
  end
  if #prepared == 0 then
    prepared[1] = wrk.format()
  end
  -- the threads start on different customers
  next_one = ((offset or 0) * 7919) % #prepared
end

function request()
  next_one = next_one % #prepared + 1
  return prepared[next_one]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'IBOK_WRK {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d,'
    .. ' "read": %d, "write": %d, "status": %d, "timeout": %d,'
    .. ' "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50: float  # seconds
    p99: float
    non_2xx: int  # answers with a status of 400 or more (wrk's "Non-2xx or 3xx")
    timeouts: int
    socket_errors: int  # connect, read and write errors

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.timeouts + self.socket_errors


def parse(output: str) -> WrkResult:
    """The summary the script's `done()` printed in wrk's output."""
    for line in output.splitlines():
        if line.startswith(MARK):
            found = json.loads(line.removeprefix(MARK))
            return WrkResult(
                requests=found["requests"],
                seconds=found["duration_us"] / 1e6,
                p50=found["p50_us"] / 1e6,
                p99=found["p99_us"] / 1e6,
                non_2xx=found["status"],
                timeouts=found["timeout"],
                socket_errors=found["connect"] + found["read"] + found["write"],
            )
    raise ValueError(f"no summary in wrk's output: {output[-500:]!r}")


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing("wrk is not installed (apt-get install wrk, or run ./scripts/test)")
    return found


def run_wrk(
    url: str,
    *,
    connections: int,
    seconds: float,
    tokens: Sequence[str] = (),
    threads: int = 2,
) -> WrkResult:
    """GET `url` for `seconds` over `connections` kept-alive connections."""
    binary = wrk_binary()
    with tempfile.TemporaryDirectory(prefix="ibok-wrk-") as folder:
        script = Path(folder) / "tokens.lua"
        script.write_text(SCRIPT)
        command = [
            binary,
            f"--threads={min(threads, connections)}",  # wrk wants a connection a thread
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={TIMEOUT}",
            "--latency",
            f"--script={script}",
            url,
        ]
        env = {**os.environ, TOKENS_VARIABLE: " ".join(tokens)}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)
