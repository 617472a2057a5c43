"""Headers every answer carries: `X-Content-Type-Options: nosniff`, so that no browser
ever runs an answer (a JSON problem, a stored file) as something other than its type."""

from __future__ import annotations

from .middleware import HttpMiddleware, Message, Receive, Scope, Send

ALWAYS = ((b"x-content-type-options", b"nosniff"),)


class SecurityHeaders(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _value in headers}
                headers.extend(h for h in ALWAYS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
