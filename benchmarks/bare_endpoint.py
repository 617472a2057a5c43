"""The framework's floor: a bare FastAPI app under uvicorn, run with `ibok serve`'s uvicorn
options, answering each path it is given with a fixed JSON body (the size of the real
server's answer) behind the same kind of bearer dependency as the real routes (the header
read by FastAPI's HTTPBearer in a coroutine, then a dict lookup); the route itself is a
plain function, run in the thread pool, as the real server's routes are.

`python -m benchmarks.bare_endpoint --port N [--workers N]`, with the bodies in the JSON
file (path → body) that IBOK_BARE_BODIES names and the accepted tokens, space-separated,
in IBOK_BARE_TOKENS (the environment: a token is never written to a file)."""

# no `from __future__ import annotations`: FastAPI reads the local dependencies' annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

BODIES_VARIABLE = "IBOK_BARE_BODIES"
TOKENS_VARIABLE = "IBOK_BARE_TOKENS"


def create() -> Any:
    from fastapi import Depends, FastAPI, HTTPException, Response
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

    bodies: dict[str, str] = json.loads(Path(os.environ[BODIES_VARIABLE]).read_text())
    sessions = dict.fromkeys(os.environ.get(TOKENS_VARIABLE, "").split(), "customer")
    bearer = HTTPBearer(auto_error=False)

    async def customer(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        found = sessions.get(credentials.credentials) if credentials else None
        if found is None:
            raise HTTPException(401)
        return found

    def answering(content: bytes) -> Callable[[str], Response]:
        def answer(who: Annotated[str, Depends(customer)]) -> Response:
            return Response(content, media_type="application/json")

        return answer

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for path, body in bodies.items():
        app.add_api_route(path, answering(body.encode()), methods=["GET"])

    @app.get("/api/v1/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bare_endpoint")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    # served as ibok_tui/server/serve.py serves the real app: the same uvicorn options,
    # and with workers the same listening socket (TCP_NODELAY)
    from ibok_tui.server.serve import serve_app

    options = argparse.Namespace(
        workers=args.workers, host="127.0.0.1", port=args.port, tls_cert=None, tls_key=None
    )
    app = create() if args.workers == 1 else "benchmarks.bare_endpoint:create"
    serve_app(uvicorn, app, options)


if __name__ == "__main__":
    main()
