"""The whole demo in headless Chromium: a WhatsApp complaint, the officer's answer, the push."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.browser import LiveServer, chromium, watched_page
from tests.support.live_server import live_server
from tests.support.paths import ARTIFACTS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, ViewportSize

pytestmark = pytest.mark.browser
PROJECTOR: ViewportSize = {"width": 1600, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("demo"), sqlite_template) as running:
        yield running


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    with watched_page(browser, f"{server.url}/demo", "body[data-live=on]", viewport=PROJECTOR) as opened:
        yield opened


def _phone(page: Page, name: str) -> Locator:
    return page.locator(f".phone-{name}")


def _bot(page: Page, name: str) -> Locator:
    return _phone(page, name).locator(".bubble.bot")


def _type(page: Page, name: str, text: str) -> None:
    before = _bot(page, name).count()
    _phone(page, name).locator("input").fill(text)
    _phone(page, name).locator("input").press("Enter")
    _bot(page, name).nth(before).wait_for()


def _set_status(page: Page, status: str, note: str = "") -> None:
    desk = page.frame_locator("#dashboard")
    pushes = _phone(page, "whatsapp").locator(".bubble.push").count()
    desk.get_by_label("Status baru").select_option(status)
    desk.get_by_label("Catatan untuk pelapor").first.fill(note)
    desk.get_by_role("button", name="Simpan status").click()
    _phone(page, "whatsapp").locator(".bubble.push").nth(pushes).wait_for(timeout=10_000)


def test_a_whatsapp_complaint_is_answered_by_the_officer_and_the_push_arrives(page: Page) -> None:
    # The other phones start too, so the audience (and the screenshot) sees the differences.
    _phone(page, "telegram").get_by_role("button", name="MULAI").click()
    _bot(page, "telegram").first.wait_for()
    assert _phone(page, "telegram").locator(".inline-keys button").count() == 2
    _type(page, "sms", "halo")
    sms = _bot(page, "sms").first
    assert sms.inner_text().startswith("LAPOR!: data Anda") and "Balas 1 atau 2." in sms.inner_text()
    assert "1 SMS · GSM-7" in sms.locator(".segments-meta").inner_text()

    for text in ("halo", "1", "Jalan berlubang besar di depan Pasar Baru, sudah dua bulan tidak diperbaiki"):
        _type(page, "whatsapp", text)
    for text in ("Jl. Otista no 5, Kota Bandung", "kemarin", "lewati", "1", "1"):
        _type(page, "whatsapp", text)
    filed = _bot(page, "whatsapp").last
    assert filed.get_attribute("data-key") == "submitted"
    found = re.search(r"LPR-[0-9A-Z]+", filed.inner_text())
    assert found is not None
    ticket = found.group(0)

    desk = page.frame_locator("#dashboard")
    desk.get_by_role("link", name=ticket).click()  # the inbox reloaded with the new complaint
    _set_status(page, "verified")
    _set_status(page, "resolved", "Lubang sudah ditambal oleh Dinas PU.")
    push = _phone(page, "whatsapp").locator(".bubble.push").last
    text = push.inner_text()
    assert f"Kabar laporan {ticket}" in text and "Lubang sudah ditambal oleh Dinas PU." in text
    assert text.rstrip().endswith("1. Ya\n2. Tidak\nBalas 1 atau 2.")  # WhatsApp: a numbered list

    _type(page, "whatsapp", "1")  # "is it fixed?" yes: the bot asks for a rating
    assert _bot(page, "whatsapp").last.get_attribute("data-key") == "feedback_rating"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo.png"))
    page.locator("#large").click()
    page.screenshot(path=str(ARTIFACTS / "demo-large.png"))


def test_reset_starts_every_phone_and_the_dashboard_over(page: Page) -> None:
    _type(page, "whatsapp", "halo")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset demo").click()
    page.locator("body[data-live=on]").wait_for()
    page.locator(".phone-whatsapp .hint").wait_for()
    assert _bot(page, "whatsapp").count() == 0
    rows = page.frame_locator("#dashboard").locator("a[href^='/dashboard/complaints/LPR-']")
    rows.first.wait_for()
    assert rows.count() == 3  # only the samples are left
