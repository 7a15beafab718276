"""Stored XSS, checked in a real browser: Debian's chromium driven by Playwright.

A complaint whose text is a script payload must show as text and never run.
The app runs under uvicorn on a free 127.0.0.1 port; the officer logs in
through the real login form.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.engine.dates import local_date
from bot.runtime import build_runtime
from bot.settings import Settings, load_settings
from bot.web.app import create_app
from bot.workdays import add_working_days
from tests.officers.support import insert_complaint, officer
from tests.services import IN_CI

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
PASSWORD = "kata-sandi-peramban-1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _require_browser() -> Any:
    """The Playwright sync API; skips (fails in CI) without chromium or Playwright."""
    reason = None
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        reason = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = reason or "the playwright package is not installed (pip install playwright)"
    if reason:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return sync_playwright


async def _prepare(config: Settings) -> str:
    runtime = await build_runtime(config, migrate=False)
    today = local_date(runtime.clock())
    try:
        await officer(runtime, "o@pupr.go.id", agency="PUPR", password=PASSWORD)
        for title, due in (("Jalan amblas di depan pasar", 3), ("Jembatan gantung putus", 1)):
            await insert_complaint(runtime, "PUPR", title=title, verify_due=add_working_days(today, due))
        await insert_complaint(runtime, "PUPR", title="Drainase tersumbat", status="in_progress")
        return await insert_complaint(
            runtime, "PUPR", title=XSS, description=XSS, verify_due=today - timedelta(days=2)
        )
    finally:
        await runtime.close()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The app on a free loopback port, in a thread with its own event loop; (base URL, XSS ticket)."""
    config = load_settings(
        database_url=database_url, state_path=tmp_path / "state.sqlite3", worker_in_process=False
    )
    ticket = asyncio.run(_prepare(config))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(config)
    uvi = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on"))
    thread = threading.Thread(target=uvi.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvi.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", ticket
    finally:
        uvi.should_exit = True
        thread.join(timeout=30)
        sock.close()


def test_a_script_in_a_complaint_is_shown_as_text_and_never_runs(server: tuple[str, str]) -> None:
    sync_playwright = _require_browser()
    base, ticket = server
    console: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}/dashboard/login")
            page.fill("input[name=email]", "o@pupr.go.id")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/dashboard/")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
            inbox_xss = page.evaluate("typeof window.__xss")
            inbox_titles = page.locator("table.inbox td:nth-child(2)").all_inner_texts()

            page.goto(f"{base}/dashboard/complaints/{ticket}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(ARTIFACTS / "complaint.png"), full_page=True)
            shown = page.inner_text("#description")
            xss = page.evaluate("typeof window.__xss")
            reason_hidden = page.is_hidden("[data-reason]")
        finally:
            browser.close()

    assert inbox_xss == "undefined" and xss == "undefined"
    assert XSS in inbox_titles
    assert shown == XSS
    assert reason_hidden  # the dashboard's own script did run: CSP allows 'self', nothing else
    assert not errors
    assert not [line for line in console if "Content Security Policy" in line], console
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 5_000
