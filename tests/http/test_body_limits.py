"""Bodies are limited while they stream in: an over-limit body is refused before it is read."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from bot.http.app import create_app
from bot.http.body_limits import LIMITS
from bot.http.server_limits import HeaderDeadlineH11Protocol, uvicorn_limits
from bot.runtime.process import Runtime
from storage.models import Message
from tests.support import REST_HEADERS, REST_TOKEN
from tests.support.citizen import RuntimeFactory

CHUNK = 64 * 1024
HUGE = 64 * 1024 * 1024  # what the client would send if nobody stopped it
CHAT_COOKIE = "lapor_chat=" + "a" * 22
KANNEL = {
    "kannel_sendsms_url": "http://127.0.0.1:9/cgi-bin/sendsms", "kannel_username": "u",
    "kannel_password": "p", "kannel_from": "1708", "kannel_secret": "kannel-secret-123456",
}  # fmt: skip


@pytest.fixture
def state_settings(tmp_path: Path) -> dict[str, Any]:
    return {"state_path": tmp_path / "state.sqlite3"}


@dataclass
class Upload:
    """An ASGI request whose body is ``total`` bytes in chunks, counting what the app pulled."""

    total: int
    consumed: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)

    async def receive(self) -> dict[str, Any]:
        if self.consumed >= self.total:
            return {"type": "http.disconnect"}
        self.consumed += CHUNK
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": self.consumed < self.total}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.sent if m["type"] == "http.response.start"))

    @property
    def headers(self) -> dict[str, str]:
        start = next(m for m in self.sent if m["type"] == "http.response.start")
        return {k.decode().lower(): v.decode() for k, v in start["headers"]}


async def post(app: FastAPI, path: str, headers: dict[str, str], upload: Upload) -> Upload:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80), "state": {},
    }  # fmt: skip
    await app(scope, upload.receive, upload.send)
    return upload


CHUNKED = {"host": "testserver", "transfer-encoding": "chunked"}
ROUTES = {
    "rest": ("/webhooks/rest/webhook", {**REST_HEADERS, "content-type": "application/json"}),
    "webhook": (f"/webhooks/kannel?secret={KANNEL['kannel_secret']}", {}),
    "web chat": (
        "/chat/send",
        {"cookie": CHAT_COOKIE, "origin": "http://testserver", "content-type": "application/json"},
    ),
    "dashboard form": ("/dashboard/login", {"content-type": "application/x-www-form-urlencoded"}),
}


@pytest.fixture
async def app(make_runtime: RuntimeFactory) -> FastAPI:
    runtime = await make_runtime(rest_token=REST_TOKEN, **KANNEL)
    return create_app(runtime=runtime)


@pytest.mark.parametrize("route", ROUTES)
async def test_an_over_limit_chunked_body_is_cut_at_the_limit(app: FastAPI, route: str) -> None:
    path, headers = ROUTES[route]
    upload = await post(app, path.split("?")[0], {**CHUNKED, **headers}, Upload(HUGE))
    limit = LIMITS.for_path(path)
    assert upload.status == 413
    assert upload.consumed <= limit + CHUNK, f"read {upload.consumed} bytes of a body limited to {limit}"
    assert upload.headers["connection"] == "close"  # the server reads no more of it
    await _nothing_stored(app.state.runtime)


@pytest.mark.parametrize("route", ROUTES)
async def test_a_declared_length_over_the_limit_is_refused_unread(app: FastAPI, route: str) -> None:
    path, headers = ROUTES[route]
    declared = {"host": "testserver", **headers, "content-length": str(HUGE)}
    upload = await post(app, path, declared, Upload(HUGE))
    assert upload.status == 413
    assert upload.consumed == 0
    assert "error" in json.loads(b"".join(m.get("body", b"") for m in upload.sent[1:]))


async def test_a_body_within_the_limit_is_served(app: FastAPI) -> None:
    body = json.dumps({"sender": "budi", "message": "ü" * 30_000}).encode()  # 180 KB < 256 KiB
    assert 128 * 1024 < len(body) < LIMITS.for_path("/webhooks/rest/webhook")

    class Body(Upload):
        async def receive(self) -> dict[str, Any]:
            self.consumed = len(body)
            return {"type": "http.request", "body": body, "more_body": False}

    upload = await post(app, "/webhooks/rest/webhook", {**CHUNKED, **REST_HEADERS}, Body(len(body)))
    assert upload.status == 200


def test_limits_are_per_route() -> None:
    assert LIMITS.for_path("/webhooks/rest/webhook") == 256 * 1024
    assert LIMITS.for_path("/webhooks/telegram") == 1024 * 1024
    assert LIMITS.for_path("/chat/send") == 64 * 1024
    assert LIMITS.for_path("/api/v1/complaints/X/status") == LIMITS.default


async def _nothing_stored(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Message)) == 0


# -- over a real socket, through uvicorn with the limits `lapor serve` uses --------------------


class QuickHeaderDeadline(HeaderDeadlineH11Protocol):
    header_seconds = 0.5


@pytest.fixture
def server(app: FastAPI) -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    options = {**uvicorn_limits(), "http": QuickHeaderDeadline}
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", **options)
    served = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(served.serve(sockets=[sock])), daemon=True)
    thread.start()
    while not served.started and thread.is_alive():
        threading.Event().wait(0.02)
    yield sock.getsockname()[1]
    served.should_exit = True
    thread.join(10)
    sock.close()


def _chunked_post_until_answered(port: int, limit_bytes: int) -> tuple[bytes, int]:
    """Send a chunked REST body of up to ``limit_bytes``; stop at the answer. (reply, bytes sent)"""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(
            b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            + f"Authorization: Bearer {REST_TOKEN}\r\nContent-Type: application/json\r\n\r\n".encode()
        )
        frame = f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n"
        sent = 0
        conn.setblocking(False)
        reply = b""
        while sent < limit_bytes and not reply:
            try:
                reply = conn.recv(4096)
                break
            except BlockingIOError:
                pass
            try:
                sent += conn.send(frame)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                conn.setblocking(True)
                reply = conn.recv(4096)
        conn.setblocking(True)
        return reply or conn.recv(4096), sent


def test_uvicorn_answers_413_long_before_the_body_ends(server: int) -> None:
    total = 210 * 1024 * 1024  # the attack in issue 13
    reply, sent = _chunked_post_until_answered(server, total)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert sent < total // 10, f"the client could push {sent} bytes before the 413"


def test_a_client_that_never_finishes_its_headers_is_disconnected(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as conn:
        conn.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\n")  # and then nothing
        assert conn.recv(1024) == b""  # closed by the server (the timeout of 10 s would raise)
