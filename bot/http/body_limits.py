"""Request bodies limited while they stream in, per route: 413 before the body is buffered.

A handler that reads ``await request.body()`` and then checks its length has
already held the whole body in memory. This middleware sits in front of every
route and counts bytes as they arrive: a ``Content-Length`` over the limit is
refused before a byte is read, and a chunked (or lying) body is cut the moment
it passes the limit. The 413 closes the connection, so the server reads no more.
A body that stops arriving for ``idle_seconds`` is answered 408, so a slow
client cannot hold a handler.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KIB = 1024
MIB = 1024 * KIB
BODY_IDLE_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """Path prefix -> largest body in bytes; the longest matching prefix wins."""

    rules: tuple[tuple[str, int], ...]
    default: int

    def with_rules(self, rules: tuple[tuple[str, int], ...]) -> BodyLimits:
        """These limits plus ``rules`` (a channel's own webhook limits)."""
        return BodyLimits((*self.rules, *rules), self.default)

    def for_path(self, path: str) -> int:
        matches = [(len(prefix), limit) for prefix, limit in self.rules if path.startswith(prefix)]
        return max(matches)[1] if matches else self.default


# Each limit is what its largest legitimate request needs, with room to spare.
LIMITS = BodyLimits(
    rules=(
        ("/webhooks/rest/", 256 * KIB),  # a Rasa REST message (texts up to 100 000 chars)
        ("/webhooks/", 1 * MIB),  # provider callbacks: JSON or form posts, media by reference
        ("/chat/", 64 * KIB),  # web chat: one JSON message
        ("/demo/api/", 64 * KIB),  # the demo phones: one JSON message
        ("/uploads/", 10 * MIB + 64 * KIB),  # a file upload: the media limit plus its envelope
    ),
    default=64 * KIB,  # dashboard forms, officer API JSON, anything new
)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the body passes its limit (an HTTPException, so
    FastAPI's body parsing lets it through instead of turning it into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"body larger than {limit} bytes")


class BodyIdle(HTTPException):
    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"no body received for {seconds:g} s")


class BodyLimitMiddleware:
    """ASGI middleware enforcing ``limits`` on every HTTP request body."""

    def __init__(
        self, app: ASGIApp, limits: BodyLimits = LIMITS, idle_seconds: float = BODY_IDLE_SECONDS
    ) -> None:
        self.app, self.limits, self.idle_seconds = app, limits, idle_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, BodyTooLarge(limit))  # the app never runs, the body is never read
            return
        reader = _LimitedBody(receive, limit, self.idle_seconds)
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, reader, send_tracked)
        except (BodyTooLarge, BodyIdle) as exc:
            if started:
                raise
            await _refuse(send, exc)


class _LimitedBody:
    """``receive`` counting body bytes; past the limit or idle too long it raises."""

    def __init__(self, receive: Receive, limit: int, idle_seconds: float) -> None:
        self._receive, self._limit, self._idle = receive, limit, idle_seconds
        self.received = 0
        self._complete = False

    async def __call__(self) -> Message:
        if self._complete:
            return await self._receive()  # e.g. waiting for a disconnect: no deadline
        try:
            message = await asyncio.wait_for(self._receive(), self._idle)
        except TimeoutError:
            raise BodyIdle(self._idle) from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self._limit:
                raise BodyTooLarge(self._limit)
            self._complete = not message.get("more_body", False)
        else:
            self._complete = True
        return message


def install(app: FastAPI, limits: BodyLimits = LIMITS) -> None:
    """Limit every route of ``app``; call after the other middleware (this one runs first)."""
    app.add_exception_handler(BodyTooLarge, _refused_response)
    app.add_exception_handler(BodyIdle, _refused_response)
    app.add_middleware(BodyLimitMiddleware, limits=limits)


async def _refused_response(request: Request, exc: Exception) -> Response:
    """Raised inside a route (the middleware's receive): the same JSON error, connection closed."""
    status, detail = (exc.status_code, exc.detail) if isinstance(exc, HTTPException) else (413, "")
    return JSONResponse({"error": detail}, status_code=status, headers={"Connection": "close"})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, exc: HTTPException) -> None:
    """A JSON error that also closes the connection: the rest of the body is never read."""
    body = json.dumps({"error": exc.detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": exc.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})
