"""The wire under `HttpBackend`: the httpx client, retries, problem+json back to the
domain's errors, and decoding into the domain's types with msgspec.

Nothing a server (or whatever answers in its place: a proxy, a captive portal, a load
balancer's error page) sends is believed: every failure this module can meet becomes one
of the domain's errors with a message that says what happened and what to do. A refused
or reset connection, a timeout, a TLS failure, a redirect, an HTML page, a body that is
not JSON or not of the expected shape, an empty or a huge body: `Unavailable` (or, for an
answer the console cannot use, an `IbokError` of code `bad_answer`), never an exception
of httpx or msgspec.

httpx and msgspec are imported inside the methods: importing this module costs nothing.
"""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar
from urllib.parse import quote

from ..domain import errors as e
from ..domain.models import Session

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

T = TypeVar("T")
PREFIX = "/api/v1"
PROBLEM_TYPE = "urn:ibok:problem:"
BAD_ANSWER = "bad_answer"  # the start of the code of an answer the console cannot use
MAX_BODY = 64 * 1024 * 1024  # the largest answer read (documents and scans are far smaller)
_KINDS = e.ERROR_KINDS
_RETRY_STATUSES = frozenset({502, 503, 504})
_MAX_DETAIL = 2000  # a problem's texts are clipped: a hostile server could send megabytes
_MAX_FIELDS = 50
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,40}/[a-z0-9][a-z0-9.+-]{0,60}")
_AT_PATH = re.compile(r"at `(\$[^`]{0,80})`")


def error_from_problem(body: dict[str, Any], status: int) -> e.IbokError:
    """The error the server raised, rebuilt from its problem+json body. A body of the
    wrong shape (a field of another type, a list where an object was) gives the error its
    status names, never a crash."""
    try:
        return _error_from_problem(body, status)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return status_error(status)


def _error_from_problem(body: dict[str, Any], status: int) -> e.IbokError:
    kind = str(body.get("type", "")).removeprefix(PROBLEM_TYPE)
    cls = _KINDS.get(kind) or (e.Unavailable if status >= 500 else e.IbokError)
    code = _clip(str(body.get("code") or cls.code), 100)
    detail = _clip(str(body.get("detail") or body.get("title") or ""), _MAX_DETAIL)
    params = _params(body.get("params"))
    error: e.IbokError
    if issubclass(cls, e.ValidationFailed):
        error = cls([_field_error(f) for f in (body.get("errors") or [])[:_MAX_FIELDS]], detail)
        error.code = code
        error.params = params
    elif issubclass(cls, e.LoginFailed):
        locked = body.get("locked_until")
        error = cls(
            detail,
            code=code,
            params=params,
            captcha=captcha_of(body.get("captcha")),
            locked_until=_moment(locked),
            retry_after=retry_after_of(body.get("retry_after")),
        )
    else:
        error = cls(detail, code=code, params=params)
    if cls is e.IbokError:
        error.status = status
    return error


def _field_error(item: dict[str, Any]) -> e.FieldError:
    return e.FieldError(
        _clip(str(item.get("field", "")), 100),
        _clip(str(item.get("code", "")), 100),
        _clip(str(item.get("message", "")), _MAX_DETAIL),
        _params(item.get("params")),
    )


def _params(value: Any) -> e.Params:
    """A problem's `params`, as clipped text."""
    return {
        _clip(str(k), 100): _clip(str(v), 200)
        for k, v in list(dict(value or {}).items())[:_MAX_FIELDS]
    }


def status_error(status: int) -> e.IbokError:
    """An error status without the API's own problem in it (a bare status, a JSON body of
    another shape): the server is unavailable on 5xx, busy on 429, else it answered what
    the console cannot use."""
    if status >= 500:
        return e.Unavailable(**_said("server_error", status=status))
    if status == 429:
        return e.RateLimited(**_said("server_busy", status=status))
    return _bad_answer(
        _said("bad_answer_status", status=status),
        status,
    )


class _Said(TypedDict):
    code: str
    params: e.Params


def _said(code: str, **params: object) -> _Said:
    """The console's own refusal of an exchange: a code of the catalogue (i18n/problems.py,
    which words it in the console's language when shown) and its parameters."""
    return {"code": code, "params": e.params_of(params)}


def _bad_answer(said: _Said, status: int) -> e.IbokError:
    """An answer the console cannot use: unavailable when the server failed (5xx), else an
    error that keeps the status; its code starts with `bad_answer`."""
    if status >= 500:
        return e.Unavailable(**said)
    error = e.IbokError(**said)
    error.status = status
    return error


def format_error(content_type: str, status: int) -> e.IbokError:
    """A body that is not JSON where JSON was expected: what it was, and the status."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not media:
        return _bad_answer(
            _said("bad_answer_no_format", status=status),
            status,
        )
    if media in ("text/html", "application/xhtml+xml"):
        kind = "HTML"
    elif media.endswith("/xml") or media.endswith("+xml"):
        kind = "XML"
    elif _MEDIA_TYPE.fullmatch(media):
        kind = media
    else:
        kind = "?"
    return _bad_answer(
        _said("bad_answer_format", kind=kind, status=status),
        status,
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _tls_failure(exc: BaseException) -> bool:
    import ssl

    seen: BaseException | None = exc
    for _depth in range(10):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def captcha_of(data: Any) -> e.Captcha | None:
    """The proof-of-work challenge of a refusal, or None when it is missing or not one a
    client should try (a hostile server could ask for endless work): the console then
    fetches a fresh one."""
    from ..domain.proof_of_work import MAX_CHALLENGE_LENGTH, MAX_DIFFICULTY

    if not isinstance(data, dict):
        return None
    captcha_id, challenge = data.get("id"), data.get("challenge")
    difficulty = data.get("difficulty")
    if not (isinstance(captcha_id, str) and isinstance(challenge, str)):
        return None
    if not isinstance(difficulty, int) or isinstance(difficulty, bool):
        return None
    if not 0 <= difficulty <= MAX_DIFFICULTY or len(challenge) > MAX_CHALLENGE_LENGTH:
        return None
    if not 0 < len(captcha_id) <= MAX_CHALLENGE_LENGTH:
        return None
    return e.Captcha(captcha_id, challenge, difficulty)


def retry_after_of(value: Any) -> int | None:
    """Seconds from a Retry-After header or a problem's `retry_after` (delta-seconds only)."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        seconds = int(value.strip()[:9])
    else:
        return None
    return seconds if 0 <= seconds <= 366 * 24 * 3600 else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def day_param(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


@dataclass(frozen=True)
class Imported:
    """The answer to importing readings: how many were imported."""

    imported: int


@dataclass(frozen=True, slots=True)
class Answer:
    """A server's answer, read in full (within `MAX_BODY`)."""

    status_code: int
    content_type: str
    content: bytes
    retry_after: str | None = None


class HttpTransport:
    """The connection to an iBOK server that `HttpBackend`'s operations go through.

    Timeouts on connect and read; idempotent requests (and creating POSTs, which always
    carry an `Idempotency-Key`, the same one on every retry) are retried with backoff on
    connection errors and 502/503/504; every failure becomes one of the domain's errors.
    """

    def __init__(
        self,
        base_url: str,
        *,
        verify: bool = True,
        ca_file: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.2,
        max_body: int = MAX_BODY,
        event_hooks: dict[str, list[Any]] | None = None,
        session: Session | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.max_body = max_body
        self.timeouts = (connect_timeout, read_timeout)
        self._session = session
        self._owns_client = client is None
        self._client_options = (verify, ca_file, connect_timeout, read_timeout, event_hooks)
        self._made_client = client  # made on first use: importing httpx takes a while

    @property
    def _client(self) -> httpx.AsyncClient:
        if self._made_client is None:
            import httpx

            verify, ca_file, connect_timeout, read_timeout, event_hooks = self._client_options
            tls: Any = verify
            if self.base_url.lower().startswith("http://"):
                # no TLS is negotiated with a plain-http server (and a redirect, to https
                # or anywhere, is refused below): loading the CA bundle for nothing cost
                # a script's command about 3 % of its time
                tls = False
            elif ca_file:
                import ssl

                tls = ssl.create_default_context(cafile=ca_file)
            self._made_client = httpx.AsyncClient(
                base_url=self.base_url + PREFIX,
                verify=tls,
                timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
                event_hooks=event_hooks or {},
                headers={"User-Agent": "ibok-console", "Accept": "application/json"},
                follow_redirects=False,  # a redirect is refused: the token goes nowhere else
            )
        return self._made_client

    async def prepare(self) -> None:
        """Import httpx and make the client off the event loop, before the first call."""
        await asyncio.to_thread(lambda: self._client)

    @property
    def label(self) -> str:
        return self.base_url

    @property
    def mail_folder(self) -> Path | None:
        return None  # the server sends its mail

    @property
    def session(self) -> Session | None:
        return self._session

    async def close(self) -> None:
        if self._owns_client and self._made_client is not None:
            await self._made_client.aclose()

    # --- the transport -----------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        auth: bool = True,
        token: str | None = None,
        idempotency_key: str | None = None,
        replayable: bool = True,
        read_timeout: float | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Answer:
        """`read_timeout` replaces the client's for an answer known to take long."""
        import msgspec

        headers: dict[str, str] = dict(extra_headers or {})
        if token is None and auth:
            if self._session is None:
                raise e.AuthenticationRequired()
            token = self._session.token
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if method == "POST" and replayable:
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        if json is not None:
            content = msgspec.json.encode(json)
            headers["Content-Type"] = "application/json"
        elif content is not None:
            headers["Content-Type"] = "application/octet-stream"
        query = {k: v for k, v in (params or {}).items() if v is not None}
        safe = method != "POST" or replayable
        attempt = 0
        while True:
            try:
                answer = await self._exchange(method, path, content, query, headers, read_timeout)
            except _Transport as failure:
                # a request that never connected is safe to send again whatever it is
                again = safe or failure.never_sent
                if attempt < self.retries and again and not failure.final:
                    await self._pause(attempt)
                    attempt += 1
                    continue
                raise failure.error from failure.__cause__
            if answer.status_code in _RETRY_STATUSES and safe and attempt < self.retries:
                await self._pause(attempt)
                attempt += 1
                continue
            if answer.status_code >= 400:
                raise self._error(answer)
            if 300 <= answer.status_code < 400 or answer.status_code < 200:
                raise answer_error(answer)
            return answer

    async def _exchange(
        self,
        method: str,
        path: str,
        content: bytes | None,
        query: dict[str, Any],
        headers: dict[str, str],
        read_timeout: float | None = None,
    ) -> Answer:
        """One request and its whole answer (at most `max_body` bytes); a failure on the
        way is a `_Transport` that says whether it may be sent again."""
        import httpx

        try:
            timeout = (
                httpx.Timeout(read_timeout, connect=self.timeouts[0])
                if read_timeout is not None
                else httpx.USE_CLIENT_DEFAULT
            )
            request = self._client.build_request(
                method, path, content=content, params=query, headers=headers, timeout=timeout
            )
            response = await self._client.send(request, stream=True)
            try:
                body = await self._read(response)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:  # TransportError, and DecodingError of a bad gzip
            final = _tls_failure(exc) or isinstance(
                exc, httpx.UnsupportedProtocol | httpx.InvalidURL
            )
            raise _Transport(self._transport_error(exc), _never_sent(exc), final=final) from exc
        except OSError as exc:  # below httpx, should it ever let one through
            raise _Transport(self._transport_error(exc), False) from exc
        return Answer(
            response.status_code,
            response.headers.get("content-type", ""),
            body,
            response.headers.get("retry-after"),
        )

    async def _read(self, response: httpx.Response) -> bytes:
        limit = self.max_body
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Transport(_too_big(limit), False, final=True)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise _Transport(_too_big(limit), False, final=True)
            chunks.append(chunk)
        return b"".join(chunks)

    def _transport_error(self, exc: BaseException) -> e.IbokError:
        """A failed exchange in words: what happened and what to do."""
        import httpx

        connect, read = (_seconds(t) for t in self.timeouts)
        if _tls_failure(exc):
            return e.Unavailable(**_said("tls_failed"))
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            return e.Unavailable(**_said("connect_timeout", connect=connect))
        if isinstance(exc, httpx.TimeoutException):
            return e.Unavailable(**_said("read_timeout", read=read))
        if isinstance(exc, httpx.ConnectError):
            return e.Unavailable(**_said("connect_failed"))
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return e.Unavailable(**_said("invalid_address"))
        if isinstance(exc, httpx.DecodingError):
            return e.Unavailable(**_said("bad_answer_damaged"))
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return e.Unavailable(**_said("connection_cut"))
        return e.Unavailable(**_said("connection_failed"))

    async def _pause(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff * (2**attempt) * (0.5 + random.random()))

    @staticmethod
    def _error(answer: Answer) -> e.IbokError:
        """An error answer (4xx, 5xx): the API's problem, else what the status says."""
        import msgspec

        if answer.status_code == 429 and not _is_json(answer.content_type):
            return status_error(429)
        if not _is_json(answer.content_type):
            if not answer.content:
                return status_error(answer.status_code)
            return format_error(answer.content_type, answer.status_code)
        try:
            body = msgspec.json.decode(answer.content)
        except msgspec.DecodeError:
            return status_error(answer.status_code)
        if isinstance(body, dict) and "code" in body:
            error = error_from_problem(body, answer.status_code)
            if isinstance(error, e.LoginFailed) and error.retry_after is None:
                error.retry_after = retry_after_of(answer.retry_after)
            return error
        return status_error(answer.status_code)

    @staticmethod
    def _decode(kind: type[T], answer: Answer) -> T:
        """A successful answer as `kind`; a body that is not that is an error that says so."""
        import msgspec

        status = answer.status_code
        if not answer.content:
            raise _bad_answer(
                _said("bad_answer_empty", status=status),
                status,
            )
        if not _is_json(answer.content_type):
            raise format_error(answer.content_type, status)
        try:
            return msgspec.json.decode(answer.content, type=kind)
        except msgspec.ValidationError as exc:
            path_at = _AT_PATH.search(str(exc))
            where = path_at[1] if path_at else "$"
            raise _bad_answer(
                _said("bad_answer_shape", where=where),
                status,
            ) from exc
        except msgspec.DecodeError as exc:
            raise _bad_answer(
                _said("bad_answer_json", status=status),
                status,
            ) from exc

    @staticmethod
    def _content(answer: Answer) -> bytes:
        """A file's bytes (a PDF, a scan); a page of HTML in its place is refused."""
        media = answer.content_type.split(";", 1)[0].strip().lower()
        if media in ("text/html", "application/xhtml+xml") or _is_json(media):
            raise format_error(answer.content_type, answer.status_code)
        return answer.content

    async def _get(self, kind: type[T], path: str, **kwargs: Any) -> T:
        return self._decode(kind, await self._send("GET", path, **kwargs))

    async def _call(self, method: str, kind: type[T], path: str, **kwargs: Any) -> T:
        return self._decode(kind, await self._send(method, path, **kwargs))

    async def _file(self, path: str, read_timeout: float | None = None) -> bytes:
        return self._content(await self._send("GET", path, read_timeout=read_timeout))


class _Transport(Exception):
    """A failed exchange: the error to raise, and whether the request never left."""

    def __init__(self, error: e.IbokError, never_sent: bool, *, final: bool = False) -> None:
        super().__init__(error.message)
        self.error = error
        self.never_sent = never_sent
        self.final = final  # the same again would fail the same way (TLS, too big, a bad URL)


def _never_sent(exc: BaseException) -> bool:
    import httpx

    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout) and not _tls_failure(exc)


def _too_big(limit: int) -> e.IbokError:
    mib = _seconds(round(limit / (1024 * 1024), 2))
    return e.Unavailable(
        **_said("bad_answer_too_big", mib=mib),
    )


def answer_error(answer: Answer) -> e.IbokError:
    """A redirect (or a 1xx) where an answer was expected: the console follows no redirect,
    so a token never goes to another address."""
    return _bad_answer(
        _said("bad_answer_redirect", status=answer.status_code),
        answer.status_code,
    )


def segment(value: str) -> str:
    """One path segment, slashes included (invoice and contract numbers have them)."""
    return quote(value, safe="")
