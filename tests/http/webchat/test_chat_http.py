"""The web chat over HTTP: the page and its headers, sending, and what is refused."""

from __future__ import annotations

import re

import httpx
import pytest

from bot.http.webchat import router
from bot.http.webchat.router import COOKIE
from tests.support.webchat import ORIGIN, RuntimeFactory, client, json_headers


async def _open(http: httpx.AsyncClient) -> str:
    page = await http.get("/chat")
    assert page.status_code == 200
    return str(http.cookies[COOKIE])


async def test_the_page_has_a_strict_csp_and_no_external_resources(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime()) as http:
        page = await http.get("/chat")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and " on" + "click=" not in page.text  # no inline script
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)  # everything served locally
    assert '<html lang="id">' in page.text  # Indonesian first


async def test_a_first_visit_gets_a_random_128_bit_address_in_an_httponly_cookie(
    make_runtime: RuntimeFactory,
) -> None:
    async with client(await make_runtime()) as http:
        first = await http.get("/chat")
        again = await http.get("/chat")
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/chat" in cookie
    token = first.cookies[COOKIE]
    assert len(token) == 22  # 16 random bytes, base64url
    assert "set-cookie" not in again.headers  # the conversation is kept


async def test_a_message_is_answered_in_the_response(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    async with client(runtime) as http:
        await _open(http)
        answer = await http.post(
            "/chat/send", json={"text": "halo", "id": "m-000001"}, headers=json_headers()
        )
        agreed = await http.post("/chat/send", json={"text": "agree"}, headers=json_headers())
    assert answer.status_code == 200
    consent = answer.json()["replies"][0]
    assert consent["key"] == "consent"
    assert [c["payload"] for c in consent["choices"]] == ["agree", "disagree"]
    assert agreed.json()["replies"][0]["key"] == "ask_description"


async def test_a_retried_message_is_handled_once(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime()) as http:
        await _open(http)
        body = {"text": "halo", "id": "retry-1234"}
        first = await http.post("/chat/send", json=body, headers=json_headers())
        second = await http.post("/chat/send", json=body, headers=json_headers())
    assert first.json()["duplicate"] is False
    assert second.json() == {"replies": [], "duplicate": True}


async def test_two_pages_may_use_the_same_client_id(make_runtime: RuntimeFactory) -> None:
    runtime = await make_runtime()
    async with client(runtime) as one, client(runtime) as two:
        await _open(one)
        await _open(two)
        body = {"text": "halo", "id": "same-id-1"}
        first = await one.post("/chat/send", json=body, headers=json_headers())
        second = await two.post("/chat/send", json=body, headers=json_headers())
    assert first.json()["replies"] and second.json()["replies"]


async def test_cross_site_and_malformed_requests_are_refused(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime()) as http:
        await _open(http)
        body = {"text": "halo"}
        evil = await http.post("/chat/send", json=body, headers=json_headers("https://evil.example"))
        no_origin = await http.post("/chat/send", json=body, headers={"Content-Type": "application/json"})
        as_form = await http.post("/chat/send", data=body, headers={"Origin": ORIGIN})
        empty = await http.post("/chat/send", json={"text": "  "}, headers=json_headers())
        bad = await http.post("/chat/send", content=b"{not json", headers=json_headers())
        huge = await http.post("/chat/send", content=b" " * 70_000, headers=json_headers())
    assert [r.status_code for r in (evil, no_origin, as_form)] == [403, 403, 403]
    assert [r.status_code for r in (empty, bad)] == [400, 400]
    assert huge.status_code == 413  # cut by the body limit before the handler reads it
    assert "error" in huge.json()


async def test_without_a_conversation_cookie_nothing_is_processed(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime()) as http:
        sent = await http.post("/chat/send", json={"text": "halo"}, headers=json_headers())
        stream = await http.get("/chat/stream")
        http.cookies.set(COOKIE, "../../etc", path="/chat")
        forged = await http.post("/chat/send", json={"text": "halo"}, headers=json_headers())
    assert (sent.status_code, stream.status_code, forged.status_code) == (401, 401, 401)


async def test_starting_over_gives_a_new_address(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime()) as http:
        before = await _open(http)
        refused = await http.post("/chat/new", json={}, headers=json_headers("https://evil.example"))
        assert str(http.cookies[COOKIE]) == before
        fresh = await http.post("/chat/new", json={}, headers=json_headers())
    assert refused.status_code == 403
    assert fresh.status_code == 200 and fresh.cookies[COOKIE] != before


async def test_the_static_files_are_served_locally(make_runtime: RuntimeFactory) -> None:
    async with client(await make_runtime()) as http:
        script = await http.get("/chat/static/chat.js")
        style = await http.get("/chat/static/chat.css")
    assert script.status_code == style.status_code == 200
    assert "EventSource" in script.text and "textContent" in script.text and "innerHTML" not in script.text
    assert "@import" not in style.text and "url(http" not in style.text


async def test_one_client_cannot_flood_the_chat_by_making_new_addresses(
    make_runtime: RuntimeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(router, "PER_CLIENT_PER_MINUTE", 3)
    async with client(await make_runtime()) as http:
        await _open(http)
        codes = []
        for n in range(2):
            codes.append((await http.post("/chat/new", json={}, headers=json_headers())).status_code)
            answer = await http.post("/chat/send", json={"text": f"halo {n}"}, headers=json_headers())
            codes.append(answer.status_code)
    assert codes == [200, 200, 200, 429]
