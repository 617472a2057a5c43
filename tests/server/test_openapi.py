"""The OpenAPI document describes every route, its schemas and its errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

from ibok_tui.backends.base import Backend
from ibok_tui.server import api_customer, api_operator, api_public, api_terms
from ibok_tui.server.app import create_app
from ibok_tui.server.state import ServerConfig


@pytest.fixture(scope="module")
def app_and_document(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    app = create_app(ServerConfig(db=tmp_path_factory.mktemp("openapi") / "x.sqlite"))
    return app, app.openapi()


def test_every_route_is_documented(app_and_document: tuple[Any, dict[str, Any]]) -> None:
    _, document = app_and_document
    routes = {
        (method.lower(), "/api/v1" + route.path_format)
        for module in (api_public, api_customer, api_operator, api_terms)
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods
    }
    documented = {
        (method, path) for path, operations in document["paths"].items() for method in operations
    }
    assert routes == documented
    assert len(documented) >= 59


def test_every_operation_documents_its_errors_as_problems(
    app_and_document: tuple[Any, dict[str, Any]],
) -> None:
    _, document = app_and_document
    assert "Problem" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            assert any(s.startswith("2") for s in answers), (method, path)
            if "{" in path or method != "get" or path.startswith("/api/v1/me"):
                assert any(s.startswith("4") for s in answers), (method, path)
            for status, answer in answers.items():
                if status.startswith(("4", "5")):
                    assert list(answer["content"]) == ["application/problem+json"], (path, status)
            if path.startswith(("/api/v1/me", "/api/v1/operator")):
                assert "401" in answers and operation.get("security"), (method, path)
            if method == "get" and path != "/api/v1/health":
                assert "304" in answers, path


def test_creating_posts_take_an_idempotency_key(
    app_and_document: tuple[Any, dict[str, Any]],
) -> None:
    _, document = app_and_document
    posts = [(p, ops["post"]) for p, ops in document["paths"].items() if "post" in ops]
    assert len(posts) >= 24
    for path, operation in posts:
        keyed = any(
            p["name"] == "Idempotency-Key" and p["in"] == "header"
            for p in operation.get("parameters", [])
        )
        assert keyed == (not path.endswith(("/auth/login", "/auth/operator-login"))), path


def test_schemas_are_the_domain_types(app_and_document: tuple[Any, dict[str, Any]]) -> None:
    _, document = app_and_document
    schemas = document["components"]["schemas"]
    invoice = schemas["Invoice"]["properties"]
    assert invoice["gross"]["type"] == "integer"  # grosze
    line = schemas["InvoiceLine"]["properties"]
    assert line["vat_rate"]["type"] == "string"  # a Decimal
    assert schemas["PaymentDetails"]["properties"]["qr_payload"]["type"] == "string"
    pdf = document["paths"]["/api/v1/me/invoices/{number}/pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]


def test_every_backend_operation_has_an_endpoint(
    app_and_document: tuple[Any, dict[str, Any]],
) -> None:
    """Each method of the Backend protocol is in HttpBackend, and every path HttpBackend
    calls is in the document."""
    _, document = app_and_document
    local = {
        "label",
        "session",
        "mail_folder",
        "changes",
        "prepare",
        "close",
    }  # no request to the server
    names = {n for n in dir(Backend) if not n.startswith("_")} - local
    source = (Path(__file__).parents[2] / "ibok_tui/backends/http.py").read_text()
    for name in names:
        assert f"async def {name}(" in source, name
    literal = re.findall(
        r'"(/(?:me|operator|auth|utility|terms|password-policy|notices|tariffs|captcha)[^"]*)"',
        source,
    )
    formatted = re.findall(r'f"(/[^"]+)"', source)
    called = {re.sub(r"\{[^}]+\}", "{}", p) for p in [*literal, *formatted]}
    documented = {re.sub(r"\{[^}]+\}", "{}", p.removeprefix("/api/v1")) for p in document["paths"]}
    assert len(called) >= 45
    assert called <= documented, called - documented
