"""The e-service terms' life cycle (portal/terms.py): every version, publicly; the
customer's own standing and acceptance (open while the acceptance is due, Będzin §1.5);
the office publishing a new version."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from ..domain.models import Terms, TermsDraft, TermsPublished, TermsStatus
from ..portal.terms import VERSION_MAX
from .responses import AUTHED, WRITE, errors, ok
from .state import Service, Token

router = APIRouter()


class AcceptBody(BaseModel):
    version: str = Field(max_length=VERSION_MAX)


@router.get(
    "/terms/versions", response_model=list[Terms], tags=["public"], responses=errors(get=True)
)
def terms_versions(service: Service) -> Response:
    """Every version published, the latest effective first; one dated after today is
    published but not yet in force (`GET /terms` is the one in force)."""
    return ok(service.terms_versions())


@router.get(
    "/me/terms", response_model=TermsStatus, tags=["account"], responses=errors(*AUTHED, get=True)
)
def terms_status(service: Service, token: Token) -> Response:
    """The terms in force and what this customer accepted. While `must_accept`, every other
    customer route but logout and terminate answers 403 `terms_acceptance_required`."""
    return ok(service.terms_status(token))


@router.post(
    "/me/terms/accept", response_model=TermsStatus, tags=["account"], responses=errors(*WRITE)
)
def accept_terms(body: AcceptBody, service: Service, token: Token) -> Response:
    """Accept the version in force (409 `terms_not_current` for any other)."""
    return ok(service.accept_terms(token, body.version))


@router.post(
    "/operator/terms",
    response_model=TermsPublished,
    status_code=201,
    tags=["operator"],
    responses=errors(*WRITE),
)
def publish_terms(draft: TermsDraft, service: Service, token: Token) -> Response:
    """A new version, in force from `effective_from` (today or later); customers who
    consented to e-mail notices are told (`notified`)."""
    return ok(service.publish_terms(token, draft), 201)
