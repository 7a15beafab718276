"""The web chat in headless Chromium on a 360x640 phone screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.delivery.local_channel import LocalConnector
from bot.http.demo.seed import demo_officer
from bot.http.webchat.router import COOKIE
from bot.officers.actions import change_status
from bot.officers.auth import principal_of
from bot.runtime.process import Runtime
from connectors.messages import Choice, Outbound
from tests.support.browser import LiveServer, chromium, watched_page
from tests.support.live_server import live_server
from tests.support.paths import ARTIFACTS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

pytestmark = pytest.mark.browser
BOT = ".messages .msg.bot:not(.intro):not(.typing)"
PHONE: ViewportSize = {"width": 360, "height": 640}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("chat"), sqlite_template) as running:
        yield running


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    with watched_page(browser, f"{server.url}/chat", "#live[data-state=on]", **phone) as opened:
        yield opened


def _replies(page: Page) -> int:
    return page.locator(BOT).count()


def _tap(page: Page, title: str) -> None:
    before = _replies(page)
    page.locator(".messages").get_by_role("button", name=title, exact=True).last.click()
    page.locator(BOT).nth(before).wait_for()


def _say(page: Page, text: str) -> None:
    before = _replies(page)
    page.get_by_label("Pesan").fill(text)
    page.get_by_label("Pesan").press("Enter")
    page.locator(BOT).nth(before).wait_for()


def _address(page: Page) -> str:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == COOKIE)
    return f"web:{token}"


def test_a_citizen_files_a_complaint_and_hears_back_on_a_phone_screen(page: Page, server: LiveServer) -> None:
    _tap(page, "Mulai")
    _tap(page, "Setuju")
    _say(page, "Sekolah negeri meminta uang pembangunan 2 juta rupiah kepada setiap murid baru")
    _say(page, "SMP Negeri 2, Kota Bogor")
    _say(page, "kemarin")
    _tap(page, "Lewati")
    _tap(page, "Publik")
    _tap(page, "Lewati")  # the phone question
    _tap(page, "Kirim")
    submitted = page.locator(BOT).last
    assert submitted.get_attribute("data-key") == "submitted"
    ticket = re.search(r"LPR-[0-9A-Z]+", submitted.inner_text())
    assert ticket is not None
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))

    async def officer_verifies(runtime: Runtime) -> None:
        officer = await demo_officer(runtime)
        assert officer is not None
        await change_status(runtime, principal_of(officer), ticket.group(0), "verified")

    server.call(officer_verifies)
    push = page.locator(".messages .msg.push").first
    push.wait_for(timeout=10_000)
    assert push.locator(".badge").text_content() == "Kabar terbaru"
    assert f"Kabar laporan {ticket.group(0)}: laporan Anda sudah diverifikasi" in push.inner_text()


def test_a_push_for_this_address_appears_live_with_its_buttons(page: Page, server: LiveServer) -> None:
    push = Outbound(
        _address(page), "Apakah masalahnya sudah beres?", choices=(Choice("Ya", "yes"), Choice("Tidak", "no"))
    )

    async def publish(runtime: Runtime) -> None:
        await LocalConnector(runtime.state).send(push)
        await LocalConnector(runtime.state).send(Outbound("web:someone-else", "Bukan untuk Anda."))

    server.call(publish)
    shown = page.locator(".messages .msg.push")
    shown.first.wait_for(timeout=10_000)
    assert "Apakah masalahnya sudah beres?" in shown.first.inner_text()
    assert shown.first.get_by_role("button", name="Ya", exact=True).is_enabled()
    assert "Bukan untuk Anda" not in page.locator(".messages").inner_text()


def test_language_and_large_type_switches(page: Page) -> None:
    _tap(page, "Mulai")
    page.get_by_role("button", name="English").click()
    page.locator(BOT).nth(1).wait_for()
    assert "continue in English" in page.locator(BOT).nth(1).inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Send").is_visible()
    size = page.locator(".msg .text").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.locator("#large").click()
    assert page.locator("#large").get_attribute("aria-pressed") == "true"
    larger = page.locator(".msg .text").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert larger > size * 1.2
