"""Live delivery: pushes published for an address reach its event stream."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.delivery.local_channel import LocalConnector, push_channel
from bot.http.webchat.router import COOKIE
from bot.http.webchat.stream import events
from bot.runtime.process import Runtime
from connectors.messages import Choice, Outbound
from tests.support.live_server import live_server
from tests.support.webchat import RuntimeFactory

ADDRESS = "web:AAAAAAAAAAAAAAAAAAAAAA"


async def _echo(channel: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"channel": channel, "text": payload["text"]}


def _data(chunk: str) -> dict[str, Any]:
    line = next(line for line in chunk.splitlines() if line.startswith("data: "))
    parsed: dict[str, Any] = json.loads(line.removeprefix("data: "))
    return parsed


async def test_a_push_sent_through_the_local_channel_reaches_the_stream(make_runtime: RuntimeFactory) -> None:
    await _push_reaches_the_stream(await make_runtime())


@pytest.mark.redis
async def test_a_push_reaches_the_stream_through_redis(make_runtime: RuntimeFactory, redis_url: str) -> None:
    await _push_reaches_the_stream(
        await make_runtime(redis_url=redis_url, state_prefix=f"lapor-test:{uuid.uuid4().hex}:")
    )


async def _push_reaches_the_stream(runtime: Runtime) -> None:
    stream = events(runtime.state, [push_channel(ADDRESS), push_channel("web:other")], _echo)
    ready = await anext(stream)
    assert "event: ready" in ready and "retry: " in ready
    await LocalConnector(runtime.state).send(Outbound(ADDRESS, "Laporan Anda terverifikasi."))
    pushed = await asyncio.wait_for(anext(stream), 5)
    assert "event: message" in pushed
    assert _data(pushed) == {"channel": f"push:{ADDRESS}", "text": "Laporan Anda terverifikasi."}
    await stream.aclose()


async def test_an_idle_stream_sends_keep_alives_and_ends_after_its_lifetime(
    make_runtime: RuntimeFactory,
) -> None:
    runtime = await make_runtime()
    stream = events(runtime.state, [push_channel(ADDRESS)], _echo, heartbeat=0.05, lifetime=0.3)
    chunks = [chunk async for chunk in stream]
    assert "event: ready" in chunks[0]
    assert chunks[1:] and all(chunk == ": keep-alive\n\n" for chunk in chunks[1:])


async def test_a_render_that_returns_none_skips_the_message(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()

    async def only_second(channel: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        return None if payload["n"] == 1 else payload

    stream = events(runtime.state, ["push:x"], only_second)
    await anext(stream)
    await runtime.state.publish("push:x", {"n": 1})
    await runtime.state.publish("push:x", {"n": 2})
    assert _data(await asyncio.wait_for(anext(stream), 5)) == {"n": 2}
    await stream.aclose()


def _split_events(response: httpx.Response) -> Iterator[str]:
    buffer = ""
    for text in response.iter_text():
        buffer += text
        while "\n\n" in buffer:
            event, buffer = buffer.split("\n\n", 1)
            yield event


def _until(stream: Iterator[str], marker: str) -> str:
    for event in stream:
        if marker in event:
            return event
    raise AssertionError(f"the stream ended before {marker!r}")


def test_the_chat_stream_delivers_a_push_over_http(tmp_path: Path, sqlite_template: Path) -> None:
    with (
        live_server(tmp_path, sqlite_template, demo=False) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        http.get("/chat")
        address = f"web:{http.cookies[COOKIE]}"
        push = Outbound(address, "Kabar laporan LPR-TEST: selesai.", choices=(Choice("Ya", "yes"),))

        async def send(runtime: Runtime) -> None:
            await LocalConnector(runtime.state).send(push)

        with http.stream("GET", "/chat/stream", timeout=10) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert response.headers["cache-control"] == "no-store"
            received = _split_events(response)
            _until(received, "event: ready")
            server.call(send)
            message = _until(received, "event: message")
    assert _data(message) == {
        "text": "Kabar laporan LPR-TEST: selesai.",
        "choices": [{"title": "Ya", "payload": "yes"}],
        "ask": "",
        "key": "",
        "push": True,
    }
