"""Stored XSS, checked in a real browser: Debian's chromium driven by Playwright.

A complaint whose text is a script payload must show as text and never run.
The app runs under uvicorn on a free 127.0.0.1 port; the officer logs in
through the real login form.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.workdays import add_working_days
from bot.engine.dates import local_date
from bot.runtime.process import build_runtime
from bot.runtime.settings import Settings, load_settings
from tests.support.browser import chromium, free_socket, serving
from tests.support.officers import insert_complaint, officer
from tests.support.paths import ARTIFACTS

pytestmark = pytest.mark.browser
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
PASSWORD = "kata-sandi-peramban-1"


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
    with serving(config, free_socket()) as running:
        yield running.url, ticket


def test_a_script_in_a_complaint_is_shown_as_text_and_never_runs(server: tuple[str, str]) -> None:
    base, ticket = server
    console: list[str] = []
    errors: list[str] = []
    with chromium() as browser:
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

    assert inbox_xss == "undefined" and xss == "undefined"
    assert XSS in inbox_titles
    assert shown == XSS
    assert reason_hidden  # the dashboard's own script did run: CSP allows 'self', nothing else
    assert not errors
    assert not [line for line in console if "Content Security Policy" in line], console
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 5_000
