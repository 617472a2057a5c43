"""The wire under `HttpBackend`: the httpx client, retries, problem+json back to the
domain's errors, and decoding into the domain's types with msgspec.

httpx and msgspec are imported inside the methods: importing this module costs nothing.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from ..domain import errors as e
from ..domain.models import Session

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
PREFIX = "/api/v1"
PROBLEM_TYPE = "urn:ibok:problem:"
_KINDS = e.ERROR_KINDS
_RETRY_STATUSES = frozenset({502, 503, 504})


def error_from_problem(body: dict[str, Any], status: int) -> e.IbokError:
    """The error the server raised, rebuilt from its problem+json body."""
    kind = str(body.get("type", "")).removeprefix(PROBLEM_TYPE)
    cls = _KINDS.get(kind) or (e.Unavailable if status >= 500 else e.IbokError)
    code = str(body.get("code") or cls.code)
    detail = str(body.get("detail") or body.get("title") or "")
    error: e.IbokError
    if issubclass(cls, e.ValidationFailed):
        error = cls(
            [
                e.FieldError(
                    str(f.get("field", "")),
                    str(f.get("code", "")),
                    str(f.get("message", "")),
                    {str(k): str(v) for k, v in (f.get("params") or {}).items()},
                )
                for f in body.get("errors") or []
            ],
            detail,
        )
        error.code = code
    elif issubclass(cls, e.LoginFailed):
        locked = body.get("locked_until")
        error = cls(
            detail,
            code=code,
            captcha=captcha_of(body.get("captcha")),
            locked_until=_moment(locked),
            retry_after=retry_after_of(body.get("retry_after")),
        )
    else:
        error = cls(detail, code=code)
    if cls is e.IbokError:
        error.status = status
    return error


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


class HttpTransport:
    """The connection to an iBOK server that `HttpBackend`'s operations go through.

    Timeouts on connect and read; idempotent requests (and creating POSTs, which always
    carry an `Idempotency-Key`, the same one on every retry) are retried with backoff on
    connection errors and 502/503/504; failures to connect become `Unavailable`.
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
        event_hooks: dict[str, list[Any]] | None = None,
        session: Session | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
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
            if ca_file:
                import ssl

                tls = ssl.create_default_context(cafile=ca_file)
            self._made_client = httpx.AsyncClient(
                base_url=self.base_url + PREFIX,
                verify=tls,
                timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
                event_hooks=event_hooks or {},
                headers={"User-Agent": "ibok-console", "Accept": "application/json"},
            )
        return self._made_client

    async def prepare(self) -> None:
        """Import httpx and make the client off the event loop, before the first call."""
        await asyncio.to_thread(lambda: self._client)

    @property
    def label(self) -> str:
        return self.base_url

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
        idempotency_key: str | None = None,
        replayable: bool = True,
    ) -> httpx.Response:
        import httpx
        import msgspec

        headers: dict[str, str] = {}
        if auth:
            if self._session is None:
                raise e.AuthenticationRequired("Zaloguj się, aby kontynuować.")
            headers["Authorization"] = f"Bearer {self._session.token}"
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
                response = await self._client.request(
                    method, path, content=content, params=query, headers=headers
                )
            except httpx.TransportError as exc:
                # a request that never connected is safe to send again whatever it is
                never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt < self.retries and (safe or never_sent):
                    await self._pause(attempt)
                    attempt += 1
                    continue
                raise e.Unavailable(f"Serwer iBOK nie odpowiada ({type(exc).__name__}).") from exc
            if response.status_code in _RETRY_STATUSES and safe and attempt < self.retries:
                await self._pause(attempt)
                attempt += 1
                continue
            if response.status_code >= 400:
                raise self._error(response)
            return response

    async def _pause(self, attempt: int) -> None:
        await asyncio.sleep(self.backoff * (2**attempt) * (0.5 + random.random()))

    @staticmethod
    def _error(response: httpx.Response) -> e.IbokError:
        body: Any = None
        if "json" in response.headers.get("content-type", ""):
            try:
                body = response.json()
            except ValueError:
                body = None
        if isinstance(body, dict) and "code" in body:
            error = error_from_problem(body, response.status_code)
            if isinstance(error, e.LoginFailed) and error.retry_after is None:
                error.retry_after = retry_after_of(response.headers.get("retry-after"))
            return error
        if response.status_code >= 500:
            return e.Unavailable(f"Serwer iBOK zwrócił błąd {response.status_code}.")
        return e.IbokError(f"Nieoczekiwana odpowiedź serwera: {response.status_code}.")

    @staticmethod
    def _decode(kind: type[T], response: httpx.Response) -> T:
        import msgspec

        try:
            return msgspec.json.decode(response.content, type=kind)
        except msgspec.ValidationError as exc:
            raise e.Unavailable(f"Nieprawidłowa odpowiedź serwera: {exc}") from exc

    async def _get(self, kind: type[T], path: str, **kwargs: Any) -> T:
        return self._decode(kind, await self._send("GET", path, **kwargs))

    async def _call(self, method: str, kind: type[T], path: str, **kwargs: Any) -> T:
        return self._decode(kind, await self._send(method, path, **kwargs))


def segment(value: str) -> str:
    """One path segment, slashes included (invoice and contract numbers have them)."""
    return quote(value, safe="")
