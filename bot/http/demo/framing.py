"""Let ``/demo`` show the officers' dashboard in a frame: demo mode only.

The dashboard refuses to be framed at all (``X-Frame-Options: DENY``,
``frame-ancestors 'none'``), which is right for real use. In demo mode this
middleware relaxes both to this same origin, for the dashboard's responses
only, so the projector shows the phones and the dashboard side by side.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/dashboard"


class SameOriginFraming:
    """ASGI middleware rewriting the framing headers of ``/dashboard`` responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, send)
            return

        async def relaxed(message: Message) -> None:
            if message["type"] == "http.response.start":
                allow_same_origin(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, relaxed)


def allow_same_origin(headers: MutableHeaders) -> None:
    if "x-frame-options" in headers:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    policy = headers.get("content-security-policy")
    if policy:
        relaxed = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        headers["Content-Security-Policy"] = relaxed
