"""`HttpBackend` against a server that answers badly: a real TCP server on 127.0.0.1 that
sends HTML, broken or mis-shaped JSON, the wrong content type, nothing, too much, a
redirect, a reset, a TLS mismatch or no answer at all. Every one of them becomes one of
the Backend's own errors with a message that says what happened and what to do, never an
exception of httpx or msgspec, and never the name of one."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ibok_tui.backends.base import (
    IbokError,
    LoginFailed,
    RateLimited,
    Unavailable,
    ValidationFailed,
)
from ibok_tui.backends.http import HttpBackend
from ibok_tui.i18n import set_language
from ibok_tui.i18n.problems import error_text
from tests.support.bad_server import HTML, BadServer, bad_server, reply
from tests.support.http_server import free_port

PYTHON_NAMES = (
    "Error",
    "Exception",
    "httpx",
    "msgspec",
    "Traceback",
    "Expected",
    "errno",
    "SSL",
    "Decode",
)


@pytest.fixture
async def bad() -> AsyncIterator[BadServer]:
    async for server in bad_server():
        yield server


def backend(url: str, **options: object) -> HttpBackend:
    defaults: dict[str, object] = {"retries": 1, "backoff": 0.01, "read_timeout": 2.0}
    return HttpBackend(url, **(defaults | options))  # type: ignore[arg-type]


async def failure_of(http: HttpBackend, call: str = "utility") -> IbokError:
    try:
        with pytest.raises(IbokError) as caught:
            await getattr(http, call)()
    finally:
        await http.close()
    return caught.value


def assert_says_what_to_do(error: IbokError, *words: str) -> None:
    """The error is worded from its code and params, in Polish and in English."""
    message = error_text(error)
    assert message != error.code, message
    for word in words:
        assert word in message, message
    for name in PYTHON_NAMES:
        assert name not in message, message
    assert "Spróbuj" in message or "Sprawdź" in message or "zgłoś" in message, message
    set_language("en")
    try:
        english = error_text(error)
    finally:
        set_language("pl")
    assert english != message and "Serwer" not in english, english


@pytest.mark.parametrize("status", [200, 502])
async def test_an_html_page_says_so_with_its_status(bad: BadServer, status: int) -> None:
    bad.behaviour = reply(status, HTML, "text/html; charset=utf-8")
    error = await failure_of(backend(bad.url))
    assert isinstance(error, Unavailable if status >= 500 else IbokError)
    assert_says_what_to_do(error, "HTML", f"status {status}")
    assert error_text(error) == (
        f"Serwer odpowiedział w nieoczekiwanym formacie (HTML, status {status}). "
        "Spróbuj ponownie za chwilę."
    )
    assert (error.code, error.params) == (
        "bad_answer_format",
        {"kind": "HTML", "status": str(status)},
    )


async def test_a_502_is_retried_before_it_is_reported(bad: BadServer) -> None:
    bad.behaviour = reply(502, HTML, "text/html")
    await failure_of(backend(bad.url, retries=2))
    assert len(bad.requests) == 3


async def test_html_on_sign_in_is_an_error_not_a_session(bad: BadServer) -> None:
    bad.behaviour = reply(200, HTML, "text/html")
    http = backend(bad.url)
    with pytest.raises(IbokError) as caught:
        await http.login("100001", "Woda!Kowalski1")
    await http.close()
    assert_says_what_to_do(caught.value, "HTML")
    assert http.session is None


async def test_broken_json_says_so(bad: BadServer) -> None:
    bad.behaviour = reply(200, '{"name": "Wodociągi'.encode(), "application/json")
    error = await failure_of(backend(bad.url))
    assert_says_what_to_do(error, "uszkodzonym JSON")


async def test_json_of_the_wrong_shape_names_the_field(bad: BadServer) -> None:
    bad.behaviour = reply(200, json.dumps([{"number": 5}]).encode(), "application/json")
    error = await failure_of(backend(bad.url), "notices")
    assert_says_what_to_do(error, "nieoczekiwaną postać", "$[0]")


async def test_json_under_the_wrong_content_type_is_refused(bad: BadServer) -> None:
    bad.behaviour = reply(200, b'{"a": 1}', "text/plain")
    error = await failure_of(backend(bad.url))
    assert_says_what_to_do(error, "text/plain", "status 200")


async def test_a_hostile_content_type_is_not_repeated(bad: BadServer) -> None:
    bad.behaviour = reply(200, b"x", "text/\x1b]52;c;aGk=\x07evil")
    error = await failure_of(backend(bad.url))
    assert "\x1b" not in error_text(error) and "evil" not in str(error.params)
    assert_says_what_to_do(error, "(?, status 200)")


async def test_no_content_type_says_so(bad: BadServer) -> None:
    bad.behaviour = reply(200, b'{"a": 1}')
    error = await failure_of(backend(bad.url))
    assert_says_what_to_do(error, "bez określenia formatu")


async def test_an_empty_body_says_so(bad: BadServer) -> None:
    bad.behaviour = reply(200, b"", "application/json")
    error = await failure_of(backend(bad.url))
    assert_says_what_to_do(error, "pustą treścią")


async def test_a_redirect_is_not_followed(bad: BadServer) -> None:
    bad.behaviour = reply(302, b"", location="http://evil.example/steal")
    error = await failure_of(backend(bad.url))
    assert_says_what_to_do(error, "przekierowuje", "302")
    assert len(bad.requests) == 1  # and never sent the token anywhere else


@pytest.mark.parametrize("declared", [True, False])
async def test_a_huge_body_is_cut_off(bad: BadServer, declared: bool) -> None:
    body = b"[" + b"1," * (700 * 1024) + b"1]"

    async def send(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if declared:
            writer.write(reply(200, body, "application/json"))
        else:
            head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            writer.write((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
            for start in range(0, len(body), 65536):
                chunk = body[start : start + 65536]
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            writer.write(b"0\r\n\r\n")
        await writer.drain()

    bad.behaviour = send
    error = await failure_of(backend(bad.url, max_body=1024 * 1024), "notices")
    assert_says_what_to_do(error, "za duża", "1 MiB")


async def test_a_file_that_is_an_html_page_is_refused(bad: BadServer) -> None:
    bad.behaviour = reply(200, HTML, "text/html")
    http = backend(bad.url)
    http._session = _session()
    with pytest.raises(IbokError) as caught:
        await http.invoice_pdf("F/1")
    await http.close()
    assert_says_what_to_do(caught.value, "HTML")


async def test_a_problem_of_the_wrong_shape_is_still_an_error(bad: BadServer) -> None:
    shapes = [
        {"type": "urn:ibok:problem:validation_failed", "code": "x", "errors": ["a", 1]},
        {"type": "urn:ibok:problem:validation_failed", "code": "x", "errors": {"a": 1}},
        ["code"],
        "code",
    ]
    for shape in shapes:
        bad.behaviour = reply(422, json.dumps(shape).encode(), "application/problem+json")
        error = await failure_of(backend(bad.url))
        assert type(error) is IbokError, shape
        assert_says_what_to_do(error, "status 422")


async def test_a_refused_sign_in_of_the_wrong_shape_carries_nothing_of_it(bad: BadServer) -> None:
    """A captcha or a lock the console cannot use is left out; the refusal itself stays."""
    shapes = [
        {"captcha": "art"},
        {"captcha": {"id": "c", "challenge": "x", "difficulty": 10**9}},  # endless work
        {"locked_until": "soon"},
        {"locked_until": 5, "retry_after": "never"},
    ]
    for extra in shapes:
        shape = {"type": "urn:ibok:problem:login_failed", "code": "login_failed", **extra}
        bad.behaviour = reply(401, json.dumps(shape).encode(), "application/problem+json")
        error = await failure_of(backend(bad.url))
        assert isinstance(error, LoginFailed), shape
        assert (error.captcha, error.locked_until, error.retry_after) == (None, None, None)


async def test_a_good_problem_still_comes_through(bad: BadServer) -> None:
    problem = {
        "type": "urn:ibok:problem:validation_failed",
        "code": "validation_failed",
        "detail": "value: Podaj stan licznika.",
        "errors": [{"field": "value", "code": "required", "message": "Podaj stan licznika."}],
    }
    bad.behaviour = reply(422, json.dumps(problem).encode(), "application/problem+json")
    error = await failure_of(backend(bad.url))
    assert isinstance(error, ValidationFailed) and error.fields == {"value"}
    bad.behaviour = reply(
        401,
        json.dumps({"type": "urn:ibok:problem:login_failed", "code": "login_failed"}).encode(),
        "application/problem+json",
    )
    http = backend(bad.url)
    with pytest.raises(LoginFailed):
        await http.login("1", "2")
    await http.close()


async def test_a_bare_429_is_rate_limited(bad: BadServer) -> None:
    bad.behaviour = reply(429, b"slow down", "text/plain")
    error = await failure_of(backend(bad.url))
    assert isinstance(error, RateLimited)


async def test_connection_refused_says_what_to_do() -> None:
    error = await failure_of(backend(f"http://127.0.0.1:{free_port()}"))
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "Nie można połączyć się")


async def test_a_connection_closed_without_an_answer(bad: BadServer) -> None:
    async def hang_up(_reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        return

    bad.behaviour = hang_up
    error = await failure_of(backend(bad.url))
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "przerwane")


async def test_a_connection_reset(bad: BadServer) -> None:
    async def reset(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # an RST, not a FIN

    bad.behaviour = reset
    error = await failure_of(backend(bad.url))
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "przerwane")


async def test_a_reset_in_the_middle_of_the_body(bad: BadServer) -> None:
    async def cut(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        writer.write(head + b"Content-Length: 100000\r\n\r\n[1,")
        await writer.drain()

    bad.behaviour = cut
    error = await failure_of(backend(bad.url), "notices")
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "przerwane")


async def test_no_answer_is_a_timeout(bad: BadServer) -> None:
    async def silent(reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up

    bad.behaviour = silent
    error = await failure_of(backend(bad.url, read_timeout=0.3, retries=0))
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "nie odpowiedział w 0,3 s")


async def test_https_to_a_plain_server_is_a_tls_error(bad: BadServer) -> None:
    bad.behaviour = reply(200, b"{}", "application/json")
    error = await failure_of(backend(f"https://127.0.0.1:{bad.port}", retries=3))
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "TLS", "ca_file")
    assert len(bad.requests) <= 1  # not tried again: it would fail the same way


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    return key, cert


async def test_an_untrusted_certificate_is_a_tls_error(self_signed: tuple[Path, Path]) -> None:
    key, cert = self_signed
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = BadServer(reply(200, b"{}", "application/json"))
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=context)
    port = listener.sockets[0].getsockname()[1]
    async with listener:
        error = await failure_of(backend(f"https://127.0.0.1:{port}"))
    assert isinstance(error, Unavailable)
    assert_says_what_to_do(error, "certyfikat")


async def test_an_address_that_is_not_http_says_so() -> None:
    error = await failure_of(backend("ftp://127.0.0.1:1"))
    assert_says_what_to_do(error, "http://")


def _session() -> object:
    from datetime import UTC, datetime

    from ibok_tui.domain.models import Role, Session

    return Session("t", Role.CUSTOMER, "100001", "Jan", datetime(2030, 1, 1, tzinfo=UTC))
