"""Public operations and everything about signing in and the account itself."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from ..domain.errors import Captcha
from ..domain.models import Notice, Registration, Session, Tariff, Terms, Utility
from ..domain.passwords import PasswordPolicy
from ..portal.hashing import HashingBusy, hash_queue_size, hash_workers
from .responses import AUTHED, errors, no_content, ok
from .state import Service, Token, client_of, get_state, rate_limited

router = APIRouter()
LOGIN_ERRORS = errors(401, 403, 413, 422, 423, 429)
T = TypeVar("T")


class Health(BaseModel):
    status: str
    time: str


class LoginBody(BaseModel):
    customer_number: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    captcha_id: str | None = Field(default=None, max_length=128)
    captcha_answer: str | None = Field(default=None, max_length=64)
    remember: bool = False


class OperatorLoginBody(BaseModel):
    login: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    captcha_id: str | None = Field(default=None, max_length=128)
    captcha_answer: str | None = Field(default=None, max_length=64)


class TokenBody(BaseModel):
    token: str = Field(max_length=512)


class ResetRequestBody(BaseModel):
    customer_number: str = Field(max_length=64)
    email: str = Field(max_length=320)


class ResetBody(BaseModel):
    token: str = Field(max_length=512)
    new_password: str = Field(max_length=1024)


class PasswordChangeBody(BaseModel):
    old_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class PasswordBody(BaseModel):
    password: str = Field(max_length=1024)


@router.get("/health", response_model=Health, tags=["public"])
def health(service: Service) -> Response:
    service.store.scalar("SELECT 1")
    return ok({"status": "ok", "time": service.now().isoformat()})


@router.get("/utility", response_model=Utility, tags=["public"], responses=errors(get=True))
def utility(service: Service) -> Response:
    return ok(service.utility())


@router.get("/terms", response_model=Terms, tags=["public"], responses=errors(get=True))
def terms(service: Service) -> Response:
    return ok(service.terms())


@router.get(
    "/password-policy", response_model=PasswordPolicy, tags=["public"], responses=errors(get=True)
)
def password_policy(service: Service) -> Response:
    return ok(service.password_policy())


@router.get("/notices", response_model=list[Notice], tags=["public"], responses=errors(get=True))
def notices(service: Service) -> Response:
    return ok(service.notices())


@router.get("/tariffs", response_model=list[Tariff], tags=["public"], responses=errors(get=True))
def tariffs(service: Service) -> Response:
    return ok(service.tariffs())


@router.post(
    "/captcha",
    response_model=Captcha,
    status_code=201,
    tags=["public"],
    responses=errors(413, 422, 429),
    dependencies=[Depends(rate_limited("captcha"))],
)
def new_captcha(service: Service) -> Response:
    return ok(service.new_captcha(), 201)


# --- signing in ----------------------------------------------------------------------------

SIGN_IN_THREADS_PER_CORE = 4  # a worker's sign-in threads: enough to keep every core hashing


class _SignInThreads:
    """The threads sign-ins run on, and their places (`hash_queue_size`: the sign-ins on a
    thread or waiting for one). A sign-in past the places is refused at once (429), on the
    event loop, before it costs a statement. The threads are few, a handful per core: with
    one per place (136 on this machine) a crowd of 100 had as many threads at its
    statements at once, taking turns with the interpreter's lock, and its workers spent
    about a fifth more CPU besides the hashes than with ten (`benchmarks server`)."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(
            SIGN_IN_THREADS_PER_CORE * hash_workers() + 2, thread_name_prefix="ibok-sign-in"
        )
        self.places = threading.BoundedSemaphore(hash_queue_size())

    async def run(self, job: Callable[[], T]) -> T:
        if not self.places.acquire(blocking=False):
            raise HashingBusy()
        try:
            future = self.pool.submit(job)
        except BaseException:
            self.places.release()
            raise
        # the place is given back when the sign-in ends, even one whose client went away
        # (its await cancelled while the sign-in waited for a thread or ran on one)
        future.add_done_callback(lambda _: self.places.release())
        return await asyncio.wrap_future(future)


_sign_in_lock = threading.Lock()
_sign_in_threads: _SignInThreads | None = None


async def _signing_in(
    request: Request, call: Callable[..., Session], *args: Any, **kwargs: Any
) -> Session:
    """Run a sign-in on the threads of sign-ins (`_SignInThreads`), after the `login`
    limit's token for the client is spent on the same thread (as a dependency it ran on
    anyio's threads first: a second hop to a thread, which cost a crowd of 100 signing in
    at once about a quarter of the workers' CPU besides the hashes). A sign-in waits its
    turn in the hashing queue, seconds at a crowd's peak; on the request threads every
    other route shares (anyio's 40) a crowd signing in would hold them all and stall every
    customer's dashboard."""
    global _sign_in_threads
    with _sign_in_lock:
        if _sign_in_threads is None:
            _sign_in_threads = _SignInThreads()
        threads = _sign_in_threads
    state, client = get_state(request), client_of(request)

    def limited() -> Session:
        state.limit("login", client)
        return call(*args, client=client, **kwargs)

    return await threads.run(functools.partial(contextvars.copy_context().run, limited))


@router.post(
    "/auth/login",
    response_model=Session,
    tags=["auth"],
    responses=LOGIN_ERRORS,
)
async def login(body: LoginBody, service: Service, request: Request) -> Response:
    return ok(
        await _signing_in(
            request,
            service.login,
            body.customer_number,
            body.password,
            captcha_id=body.captcha_id,
            captcha_answer=body.captcha_answer,
            remember=body.remember,
        )
    )


@router.post(
    "/auth/operator-login",
    response_model=Session,
    tags=["auth"],
    responses=LOGIN_ERRORS,
)
async def operator_login(body: OperatorLoginBody, service: Service, request: Request) -> Response:
    return ok(
        await _signing_in(
            request,
            service.operator_login,
            body.login,
            body.password,
            captcha_id=body.captcha_id,
            captcha_answer=body.captcha_answer,
        )
    )


@router.get(
    "/auth/session", response_model=Session, tags=["auth"], responses=errors(*AUTHED, get=True)
)
def current_session(service: Service, token: Token) -> Response:
    return ok(service.session(token))


@router.post("/auth/logout", status_code=204, tags=["auth"], responses=errors(401, 422))
def logout(service: Service, token: Token) -> Response:
    service.logout(token)
    return no_content()


@router.post(
    "/auth/register",
    status_code=202,
    response_class=Response,
    tags=["auth"],
    responses=errors(409, 413, 422, 429),
    dependencies=[Depends(rate_limited("registration"))],
)
def register(body: Registration, service: Service) -> Response:
    """Registration waits for an operator or for the link sent by e-mail."""
    service.register(body)
    return Response(status_code=202)


@router.post(
    "/auth/register/confirm",
    status_code=204,
    tags=["auth"],
    responses=errors(409, 413, 422, 429),
    dependencies=[Depends(rate_limited("registration"))],
)
def confirm_registration(body: TokenBody, service: Service) -> Response:
    service.confirm_registration(body.token)
    return no_content()


@router.post(
    "/auth/password-reset",
    status_code=202,
    response_class=Response,
    tags=["auth"],
    responses=errors(413, 422, 429),
    dependencies=[Depends(rate_limited("password_reset"))],
)
def request_password_reset(body: ResetRequestBody, service: Service) -> Response:
    """Always 202: the answer never says whether the number and e-mail matched."""
    service.request_password_reset(body.customer_number, body.email)
    return Response(status_code=202)


@router.post(
    "/auth/password-reset/confirm",
    status_code=204,
    tags=["auth"],
    responses=errors(413, 422, 429),
    dependencies=[Depends(rate_limited("password_reset"))],
)
def reset_password(body: ResetBody, service: Service) -> Response:
    service.reset_password(body.token, body.new_password)
    return no_content()


# --- the account -------------------------------------------------------------------------


@router.post(
    "/me/password", response_model=Session, tags=["account"], responses=errors(*AUTHED, 413)
)
def change_password(body: PasswordChangeBody, service: Service, token: Token) -> Response:
    return ok(service.change_password(token, body.old_password, body.new_password))


@router.post("/me/block", status_code=204, tags=["account"], responses=errors(*AUTHED, 413))
def block_access(body: PasswordBody, service: Service, token: Token) -> Response:
    service.block_access(token, body.password)
    return no_content()


@router.post("/me/terminate", status_code=204, tags=["account"], responses=errors(*AUTHED, 413))
def terminate(body: PasswordBody, service: Service, token: Token) -> Response:
    service.terminate(token, body.password)
    return no_content()


@router.get(
    "/me/export",
    response_model=dict[str, Any],
    tags=["account"],
    responses=errors(*AUTHED, get=True),
)
def export_data(service: Service, token: Token) -> Response:
    return ok(service.export_data(token))
