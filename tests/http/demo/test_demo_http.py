"""The demo over HTTP: page, phones' API, auto-login, framing, reset and QR, and their refusals."""

from __future__ import annotations

import re

from bot.http.dashboard.sessions import COOKIE as DASHBOARD_COOKIE
from bot.http.demo.router import COOKIE
from bot.http.demo.seed import DEMO_EMAIL, ensure_demo_data
from tests.support.webchat import RuntimeFactory, client, json_headers

TELEGRAM = {
    "telegram_token": "123:ABC",
    "telegram_secret": "s3cret-s3cret",
    "telegram_bot_username": "@LaporDemoBot",
}


async def test_outside_demo_mode_the_demo_does_not_exist(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime(demo=False, **TELEGRAM)) as http:
        page = await http.get("/demo")
        login = await http.get("/demo/login")
        reset = await http.post("/demo/api/reset", json={}, headers=json_headers())
        phone = await http.post("/demo/api/phones/sms/send", json={"text": "halo"}, headers=json_headers())
        qr = await http.get("/demo/telegram-qr.svg")
        dashboard = await http.get("/dashboard/login")
        root = await http.get("/")
    assert page.status_code == 404 and "Mode demo tidak aktif" in page.text
    assert root.status_code == 404
    assert login.status_code == 404 and DASHBOARD_COOKIE not in login.cookies
    assert reset.status_code == 403 and "reset refused" in reset.json()["error"]
    assert (phone.status_code, qr.status_code) == (403, 404)
    assert dashboard.headers["x-frame-options"] == "DENY"  # framing stays forbidden


async def test_the_demo_page_is_local_strict_and_says_the_officer_logs_in_automatically(
    make_runtime: RuntimeFactory,
) -> None:
    async with client(await make_runtime(demo=True)) as http:
        root = await http.get("/")
        page = await http.get("/demo")
        login = await http.get("/demo/login")  # not seeded: no demo officer to log in
    assert (root.status_code, root.headers["location"]) == (307, "/demo")
    assert (login.status_code, login.headers["location"]) == (303, "/dashboard/login")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    assert '<iframe id="dashboard" src="/demo/login"' in page.text
    assert "masuk ke dasbor secara otomatis, hanya dalam mode demo" in page.text
    assert DEMO_EMAIL in page.text
    assert all(f'data-phone="{p}"' in page.text for p in ("telegram", "whatsapp", "sms"))
    assert "telegram-qr.svg" not in page.text  # no bot configured, no QR code
    assert re.fullmatch(r"[0-9a-f]{16}", page.cookies[COOKIE])


async def test_the_demo_officer_logs_in_and_the_dashboard_may_be_framed_by_the_demo(
    make_runtime: RuntimeFactory,
) -> None:
    runtime = await make_runtime(demo=True)
    await ensure_demo_data(runtime)
    async with client(runtime) as http:
        login = await http.get("/demo/login")
        inbox = await http.get("/dashboard/")
    assert login.status_code == 303 and login.headers["location"] == "/dashboard/"
    assert inbox.status_code == 200 and DEMO_EMAIL in inbox.text
    assert inbox.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inbox.headers["content-security-policy"]


async def test_each_phone_gets_its_own_channels_rendering(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime(demo=True)) as http:
        await http.get("/demo")
        sent = {
            phone: (
                await http.post(
                    f"/demo/api/phones/{phone}/send", json={"text": "halo"}, headers=json_headers()
                )
            ).json()
            for phone in ("telegram", "whatsapp", "sms")
        }
    telegram, whatsapp, sms = (sent[p]["messages"][0] for p in ("telegram", "whatsapp", "sms"))
    assert telegram["key"] == whatsapp["key"] == sms["key"] == "consent"
    assert telegram["keyboard"]["kind"] == "inline"
    assert whatsapp["bubbles"][0]["text"].endswith("1. Setuju\n2. Tidak setuju\nBalas 1 atau 2.")
    assert "Pelindungan Data Pribadi" in whatsapp["bubbles"][0]["text"]  # the full text
    assert sms["bubbles"][0]["text"].startswith("LAPOR!: data Anda")  # the SMS variant
    assert sms["bubbles"][0]["count"] == 1


async def test_a_phone_that_files_a_complaint_learns_its_ticket(make_runtime: RuntimeFactory) -> None:
    answers = ["halo", "1", "Jalan berlubang besar di depan Pasar Baru", "Jl. Otista no 5, Kota Bandung"]
    answers += ["kemarin", "lewati", "1", "1"]
    async with client(await make_runtime(demo=True)) as http:
        await http.get("/demo")
        for text in answers:
            answer = await http.post(
                "/demo/api/phones/whatsapp/send", json={"text": text}, headers=json_headers()
            )
    last = answer.json()
    assert last["messages"][-1]["key"] == "submitted"
    assert last["ticket"] and last["ticket"] in last["messages"][-1]["bubbles"][0]["text"]


async def test_the_phones_api_refuses_strangers_and_unknown_phones(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime(demo=True)) as http:
        no_session = await http.post(
            "/demo/api/phones/sms/send", json={"text": "halo"}, headers=json_headers()
        )
        await http.get("/demo")
        fax = await http.post("/demo/api/phones/fax/send", json={"text": "halo"}, headers=json_headers())
        evil = await http.post(
            "/demo/api/phones/sms/send", json={"text": "halo"}, headers=json_headers("https://evil.example")
        )
        reset = await http.post("/demo/api/reset", json={}, headers=json_headers("https://evil.example"))
    assert (no_session.status_code, fax.status_code, evil.status_code, reset.status_code) == (
        404,
        404,
        403,
        403,
    )


async def test_reset_over_http_gives_fresh_phones(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime(demo=True)
    await ensure_demo_data(runtime)
    async with client(runtime) as http:
        await http.get("/demo")
        before = http.cookies[COOKIE]
        reset = await http.post("/demo/api/reset", json={}, headers=json_headers())
    assert reset.status_code == 200 and len(reset.json()["samples"]) == 3
    assert reset.cookies[COOKIE] != before


async def test_a_configured_telegram_bot_gets_a_local_qr_code(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime(demo=True, **TELEGRAM)) as http:
        page = await http.get("/demo")
        qr = await http.get("/demo/telegram-qr.svg")
    assert '<img src="/demo/telegram-qr.svg"' in page.text and "@LaporDemoBot" in page.text
    assert 'href="https://t.me/LaporDemoBot"' in page.text
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    assert qr.text.startswith("<svg") and "<script" not in qr.text
