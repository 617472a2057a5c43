"""`ibok web`: the console served with textual-serve on 127.0.0.1, options passed through."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IBOK_CONFIG_DIR": str(tmp_path / "config")}
    command = [sys.executable, "-m", "ibok_tui.cli", "web", "--port", str(port)]
    command += ["--", "--demo", "--kiosk", "--data-dir", str(tmp_path / "data")]
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get_page(port: int, process: subprocess.Popen[bytes]) -> httpx.Response:
    """GET / once the server listens (it takes a moment to start)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                raise AssertionError(f"ibok web did not start:\n{output}") from None
            time.sleep(0.2)


def test_ibok_web_serves_the_console_on_loopback(
    web: tuple[int, subprocess.Popen[bytes]],
) -> None:
    port, process = web
    page = get_page(port, process)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "<div>iBOK</div>" in page.text
    assert f"ws://127.0.0.1:{port}/ws" in page.text  # the console's terminal, on loopback
    assert process.poll() is None


def test_the_browser_gets_the_kiosk_login_screen(
    web: tuple[int, subprocess.Popen[bytes]],
) -> None:
    """Open the page's terminal socket as the browser does: the console starts with the
    options given after `--` (the demo's accounts are listed; no quit key: a kiosk)."""
    port, process = web
    get_page(port, process)
    screen = asyncio.run(first_frames(port, until="Pomoc do ekranu"))
    assert "iBOK: logowanie" in screen
    assert "Konta demonstracyjne" in screen  # --demo
    assert "Wyjście" not in screen  # --kiosk: the footer offers no way out


async def first_frames(port: int, until: str) -> str:
    import aiohttp

    seen = ""
    url = f"http://127.0.0.1:{port}/ws?width=100&height=40"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket_:
        deadline = time.monotonic() + 90
        while until not in seen and time.monotonic() < deadline:
            try:
                message = await socket_.receive(timeout=5)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
    return seen


def test_ibok_web_passes_the_console_options_through() -> None:
    from ibok_tui.cli import build_parser

    args = build_parser().parse_args(["web", "--port", "9001", "--", "--demo", "--kiosk"])
    assert (args.command, args.host, args.port) == ("web", "127.0.0.1", 9001)
    assert args.console_args == ["--", "--demo", "--kiosk"]
    console = build_parser().parse_args(["--demo", "--kiosk"])
    assert console.kiosk and console.demo
