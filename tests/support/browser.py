"""Debian's Chromium driven by Playwright, and the app under uvicorn on 127.0.0.1.

Every browser test launches the same Chromium with the same flags and skips
(fails in CI) the same way when it is missing. The app server runs in a
thread with its own event loop; ``LiveServer.call`` runs a coroutine there
with the server's runtime (an officer acting, a query), so tests use the real
services rather than reaching into the app's internals.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import uvicorn
from fastapi import FastAPI

from bot.http.app import create_app
from bot.runtime.process import Runtime
from bot.runtime.settings import Settings
from tests.support.services import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

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


def require_browser() -> None:
    """Skip (fail in CI) unless Debian's Chromium and Playwright are both here."""
    reason = None
    if not CHROMIUM.exists() or shutil.which(CHROMIUM) is None:
        reason = f"{CHROMIUM} is missing: apt-get install chromium"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    if reason is None:
        return
    unavailable(reason)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block (see ``require_browser``)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def watched_page(browser: Browser, url: str, ready: str, **context_options: Any) -> Iterator[Page]:
    """A page at ``url`` once ``ready`` shows, in its own context.

    Closing it asserts that no script error and no CSP violation was logged.
    """
    context = browser.new_context(**context_options)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto(url)
    opened.locator(ready).wait_for()
    yield opened
    context.close()
    assert errors == []  # no script error, no CSP violation


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
    """A listening TCP socket on a free 127.0.0.1 port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@contextmanager
def serving(settings: Settings, sock: socket.socket) -> Iterator[LiveServer]:
    """The app served on ``sock`` for the duration of the block; closes ``sock`` after."""
    server = LiveServer(settings, sock)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        sock.close()
