"""The whole app under uvicorn on 127.0.0.1, and Debian's Chromium driven by Playwright.

The server runs in a thread with its own event loop; ``call`` runs a
coroutine there with the server's runtime (an officer acting, a query), so
tests use the real services rather than reaching into the app's internals.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn
from fastapi import FastAPI

from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.web.app import create_app
from tests.services import IN_CI

T = TypeVar("T")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class LiveServer:
    """``create_app(settings)`` served by uvicorn until ``stop``."""

    def __init__(self, settings: Settings, sock: socket.socket) -> None:
        self.settings = settings
        self._socket = sock
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app: FastAPI = create_app(settings)
        config = uvicorn.Config(
            self.app, log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="live-server", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._server.serve(sockets=[self._socket])

    def start(self, timeout: float = 30.0) -> None:
        self._thread.start()
        for _ in range(int(timeout / 0.05)):
            if self._server.started:
                return
            if not self._thread.is_alive():
                break
            threading.Event().wait(0.05)
        raise RuntimeError("the live server did not start")

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    def call(self, work: Callable[[Runtime], Awaitable[T]], timeout: float = 15.0) -> T:
        """Run ``work(runtime)`` on the server's loop and return its result."""
        assert self._loop is not None

        async def run() -> T:
            return await work(self.runtime)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(15)


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def demo_settings_at(folder: Path, template: Path, port: int, **overrides: Any) -> Settings:
    """Demo settings on a copy of the migrated template database in ``folder``."""
    database = folder / "lapor.sqlite3"
    shutil.copy(template, database)
    options: dict[str, Any] = {
        "database_url": f"sqlite:///{database}",
        "state_path": folder / "state.sqlite3",
        "public_url": f"http://127.0.0.1:{port}",
        "demo": True,
        "worker_poll_seconds": 0.5,
        **overrides,
    }
    return load_settings(**options)


@contextmanager
def live_server(folder: Path, template: Path, **overrides: Any) -> Iterator[LiveServer]:
    sock = free_socket()
    settings = demo_settings_at(folder, template, sock.getsockname()[1], **overrides)
    server = LiveServer(settings, sock)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        sock.close()


def require_browser() -> None:
    """Skip (fail in CI) unless Debian's Chromium and Playwright are both here."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    if reason is None:
        return
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)
