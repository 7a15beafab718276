"""Server-sent events: live messages from the state store to a page.

One stream may listen to several ``push:<address>`` channels (the demo's
three phones share one). The first event, ``ready``, tells the page the
subscription is open, so nothing published after it can be missed. A comment
line every ``heartbeat`` seconds keeps proxies from closing an idle stream,
and the stream ends after ``lifetime`` seconds: the browser reconnects by
itself, and a forgotten tab cannot hold a connection forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any

from fastapi.responses import StreamingResponse

from storage.state import StateStore

HEARTBEAT = 15.0
LIFETIME = 600.0
RETRY_MS = 2000

Render = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any] | None]]
"""Turns (channel, published message) into the event's JSON, or None to skip it."""


def sse_event(data: dict[str, Any], event: str = "message") -> str:
    """One event in the text/event-stream format (JSON has no raw newlines)."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _forward(
    channel: str, messages: AsyncIterator[dict[str, Any]], into: asyncio.Queue[tuple[str, dict[str, Any]]]
) -> None:
    async for message in messages:
        await into.put((channel, message))


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def events(
    state: StateStore,
    channels: Sequence[str],
    render: Render,
    *,
    heartbeat: float = HEARTBEAT,
    lifetime: float = LIFETIME,
) -> AsyncGenerator[str, None]:
    """The event stream for ``channels``; ends after ``lifetime`` seconds."""
    async with AsyncExitStack() as stack:
        merged: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        for channel in channels:
            messages = await stack.enter_async_context(state.subscribe(channel))
            stack.push_async_callback(_stop, asyncio.create_task(_forward(channel, messages, merged)))
        yield f"retry: {RETRY_MS}\n" + sse_event({}, "ready")
        deadline = time.monotonic() + lifetime
        while (left := deadline - time.monotonic()) > 0:
            try:
                channel, message = await asyncio.wait_for(merged.get(), min(heartbeat, left))
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            data = await render(channel, message)
            if data is not None:
                yield sse_event(data)


def event_response(body: AsyncIterator[str]) -> StreamingResponse:
    """A streaming response that no cache or proxy buffers."""
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no", "X-Content-Type-Options": "nosniff"}
    return StreamingResponse(body, media_type="text/event-stream", headers=headers)
