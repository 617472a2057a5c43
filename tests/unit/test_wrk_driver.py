"""The server benchmark's wrk driver against a real wrk and a tiny local HTTP server: the
summary its Lua script prints is read back, the tokens are spread over the requests, and a
refused request is counted as an error."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator

import pytest

from benchmarks.wrk import parse, run_wrk
from tests.support.local_http import JsonHandler, serving


@pytest.fixture(autouse=True)
def wrk_installed() -> None:
    """wrk is installed by scripts/test; without it this fails saying so, never skips."""
    assert shutil.which("wrk"), "wrk is not installed: apt-get install wrk (scripts/test does)"


ACCEPTED = {"Bearer alpha", "Bearer beta"}


class _Recorder(JsonHandler):
    seen: Counter[str] = Counter()
    paths: set[str] = set()

    def do_GET(self) -> None:
        authorization = self.headers.get("Authorization", "")
        type(self).seen[authorization] += 1
        type(self).paths.add(self.path)
        self.answer(200 if authorization in ACCEPTED else 401, b'{"ok": true}')


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.seen = Counter()
    _Recorder.paths = set()
    with serving(_Recorder) as url:
        yield url


def test_a_run_is_read_back_and_spreads_the_tokens(server: str) -> None:
    result = run_wrk(
        server + "/api/v1/me/dashboard", connections=2, seconds=1, tokens=["alpha", "beta"]
    )
    assert result.requests > 10
    assert result.errors == 0
    assert 0.5 < result.seconds < 3
    assert result.per_second == pytest.approx(result.requests / result.seconds)
    assert 0 < result.p50 <= result.p99
    # every request carried one of the tokens, and both were used about as often
    assert set(_Recorder.seen) == ACCEPTED
    assert _Recorder.paths == {"/api/v1/me/dashboard"}
    alpha, beta = _Recorder.seen["Bearer alpha"], _Recorder.seen["Bearer beta"]
    assert abs(alpha - beta) <= max(alpha, beta) * 0.2 + 4
    # wrk counts only answers it read in the run; the server may have seen a few more
    assert result.requests <= alpha + beta


def test_refused_answers_are_counted_as_errors(server: str) -> None:
    result = run_wrk(server + "/x", connections=1, seconds=1, tokens=["alpha", "stolen"])
    assert result.requests > 10
    assert result.non_2xx == pytest.approx(result.requests / 2, abs=2)
    assert result.errors == result.non_2xx
    assert result.timeouts == result.socket_errors == 0


def test_output_without_the_summary_is_refused() -> None:
    with pytest.raises(ValueError, match="no summary"):
        parse("Running 1s test @ http://127.0.0.1:1/\n  0 requests in 1.00s\n")
