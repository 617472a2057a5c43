"""The billing system's door: its data in (`POST /integration/import`, the JSON Lines of
portal/integration/records.py), the readings customers submit out (`GET
/integration/readings`, CSV) and its confirmation of what it took (`POST
/integration/readings/imported`).

Served only when the server was started with `--integration-key-file`; each request
carries that key in `X-Integration-Key`, compared in constant time. A customer's or an
operator's token opens none of these routes, and the key opens no other. Each call is
logged: the client, the route, how many records; never the key."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ..domain.errors import AuthenticationRequired, ValidationFailed
from ..portal.integration.importer import import_records, record_contract_ends
from ..portal.integration.reading import Source
from ..portal.integration.readings import MAX_CONFIRMED, as_csv, confirm, submitted_since
from .state import client_of, get_state

router = APIRouter(prefix="/integration", tags=["integration"])
log = logging.getLogger("ibok.integration")
IMPORT_PATH = "/integration/import"


def key_digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


async def integration_key(
    request: Request,
    x_integration_key: Annotated[str, Header(max_length=200)] = "",
) -> None:
    """The key the server was started with, or 401 (the same for a wrong key and none)."""
    expected = get_state(request).config.integration_key
    given = key_digest(x_integration_key)
    if (
        expected is None
        or not x_integration_key
        or not hmac.compare_digest(given, key_digest(expected))
    ):
        log.warning("integration: refused %s %s", request.url.path, client_of(request))
        raise AuthenticationRequired()


Keyed = [Depends(integration_key)]


@router.post(IMPORT_PATH.removeprefix("/integration"), dependencies=Keyed)
async def import_file(
    request: Request,
    partial: Annotated[bool, Query()] = False,
    name: Annotated[str, Query(max_length=200)] = "import.jsonl",
) -> Response:
    """One JSON Lines file of records (application/x-ndjson). 200 with the report when it
    was written; 422 with the same report (every problem by line and field) when nothing
    was, because a record was bad and `partial` was not asked for."""
    import json

    body = await request.body()
    state = get_state(request)
    source = Source(name, lambda: io.BytesIO(body), len(body))
    report = await run_in_threadpool(import_records, state.service.store, [source], partial=partial)
    if report.applied:
        await run_in_threadpool(record_contract_ends, report, state.service.record_contract_end)
    log.info(
        "integration: import from %s: %d records, %d problems, %s",
        client_of(request),
        report.total,
        report.problem_count,
        "applied" if report.applied else "nothing written",
    )
    return Response(
        json.dumps(report.as_json(), ensure_ascii=False),
        status_code=200 if report.applied else 422,
        media_type="application/json",
    )


@router.get("/readings", dependencies=Keyed)
def readings(
    request: Request,
    since: Annotated[datetime, Query(description="ISO 8601 with its offset")],
) -> Response:
    """The readings customers submitted at or after `since`, as the documented CSV."""
    if since.tzinfo is None:
        raise ValidationFailed.single("since", "needs_offset")
    rows = submitted_since(get_state(request).service.store, since)
    log.info("integration: readings to %s: %d rows", client_of(request), len(rows))
    return Response(as_csv(rows), media_type="text/csv; charset=utf-8")


class Confirmed(BaseModel):
    ids: list[Annotated[str, Field(max_length=60)]] = Field(max_length=MAX_CONFIRMED)


@router.post("/readings/imported", dependencies=Keyed)
def readings_imported(request: Request, body: Confirmed) -> dict[str, list[str]]:
    """The readings the billing system took: from now on not editable. Repeatable."""
    result = confirm(get_state(request).service.core, body.ids)
    log.info(
        "integration: %s confirmed %d readings (%d taken now)",
        client_of(request),
        len(body.ids),
        len(result["imported"]),
    )
    return result
